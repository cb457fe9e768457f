import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { resolve } from 'node:path';
import { WORKERS_READY_MESSAGE } from '../../src/common/lifecycle/worker-runner.service';
import { TEST_JWT_SECRET } from './test-app';

// Jest (ESM) has no __dirname; every npm script runs from the repository root.
const ROOT = process.cwd();
const MAIN = resolve(ROOT, 'dist/src/main.js');

export interface AppProcessOptions {
  role: 'api' | 'worker' | 'all';
  databaseUrl: string;
  redisUrl?: string;
  queuePrefix: string;
  env?: Record<string, string>;
}

export interface AppProcess {
  pid: number;
  /** `http://127.0.0.1:<port>` for api/all; undefined for a worker. */
  baseUrl: string | undefined;
  /** The process's peak resident memory so far (VmHWM), in MiB. */
  peakRssMb(): number;
  /** CPU time (user + system) the process has used so far, in seconds. */
  cpuSeconds(): number;
  /** SIGKILL: the process gets no chance to clean up, as when a machine dies. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the graceful shutdown to finish. */
  stop(): Promise<void>;
}

/**
 * A free port below Linux's ephemeral range (32768+), where an outgoing connection cannot
 * hold it for a moment between our check and the server binding it.
 */
export async function freeServerPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolveFree) => {
      const probe = net.createServer();
      probe.once('error', () => resolveFree(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolveFree(true)));
    });
    if (free) return port;
  }
}

/**
 * The built app (`npm run build`) as a separate OS process, the way production runs it, so a
 * benchmark measures its memory and a reliability test can kill it outright.
 */
export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const port = options.role === 'worker' ? undefined : await freeServerPort();
  // The heap bound `npm start` and the Docker image use, so memory is measured as deployed.
  const child = spawn(process.execPath, ['--max-old-space-size=192', MAIN], {
    cwd: ROOT,
    // The IPC channel carries the workers' readiness message (see WorkerRunner).
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      JWT_SECRET: TEST_JWT_SECRET,
      APP_ROLE: options.role,
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: options.queuePrefix,
      HOST: '127.0.0.1',
      PORT: String(port ?? 0),
      ...options.env,
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let workersReady = options.role === 'api';
  child.on('message', (message) => {
    if (message === WORKERS_READY_MESSAGE) workersReady = true;
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const baseUrl = port === undefined ? undefined : `http://127.0.0.1:${port}`;
  await waitUntilStarted(child, baseUrl, () => workersReady, () => stderr);
  const pid = child.pid as number;
  return {
    pid,
    baseUrl,
    peakRssMb: () => peakRssMb(pid),
    cpuSeconds: () => cpuSeconds(pid),
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Started: HTTP answers /health/live (api, all) and every queue worker is connected (worker, all). */
async function waitUntilStarted(
  child: ChildProcess,
  baseUrl: string | undefined,
  workersReady: () => boolean,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited with ${child.exitCode} while starting:\n${stderr()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The app did not start within 60 s:\n${stderr()}`);
    }
    const live =
      baseUrl === undefined ||
      (await fetch(`${baseUrl}/health/live`).then(
        (res) => res.ok,
        () => false,
      ));
    if (live && workersReady()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it start past its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`No VmHWM in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}
