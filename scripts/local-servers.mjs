// Local Postgres clusters and redis-servers started from the system's binaries, as the
// `postgres` user when we are root. Shared by scripts/ensure-services.mjs and the
// reliability tests, which start throwaway servers of their own. Failures throw.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

export const isRoot = process.getuid?.() === 0;

export function answers(host, port, timeoutMs = 1000) {
  return new Promise((resolveAnswer) => {
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (ok) => {
      socket.destroy();
      resolveAnswer(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until something answers (`up`) or nothing does (`!up`) on host:port; throws after `seconds`. */
export async function waitFor(name, host, port, { seconds = 30, up = true } = {}) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if ((await answers(host, port)) === up) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not ${up ? 'start' : 'stop'} answering on ${host}:${port} within ${seconds}s.`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  return result.status === 0;
}

export function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(base, versions[0], 'bin');
  }
  if (has('pg_ctl') && has('initdb')) {
    return execFileSync('sh', ['-c', 'dirname "$(command -v pg_ctl)"']).toString().trim();
  }
  return undefined;
}

// Postgres refuses to run as root: as root, run its tools as the `postgres` user.
function asPostgresUser(command, args) {
  if (!isRoot) return [command, args];
  if (!has('runuser')) throw new Error('Running as root, but runuser is missing to start Postgres as the postgres user.');
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

function chownToPostgres(dir) {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  chownSync(dir, uid, gid);
}

function pgCtl(bin, dataDir, args) {
  const [cmd, fullArgs] = asPostgresUser(join(bin, 'pg_ctl'), ['-D', dataDir, ...args]);
  return run(cmd, fullArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Creates a cluster in `dataDir` (trust auth, owned by the postgres user when root) unless one is there. */
export function initPostgresCluster(bin, dataDir, user, log = () => {}) {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(dataDir, { recursive: true });
  if (isRoot) chownToPostgres(dataDir);
  log(`initialising a Postgres cluster in ${dataDir}`);
  const [cmd, args] = asPostgresUser(join(bin, 'initdb'), [
    '-D', dataDir, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8',
  ]);
  if (!run(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] })) throw new Error(`initdb failed in ${dataDir}.`);
}

/** pg_ctl start on 127.0.0.1:port (no Unix socket), waiting until it accepts connections. */
export function startPostgresCluster(bin, dataDir, port, log = () => {}) {
  log(`starting Postgres on 127.0.0.1:${port} (data in ${dataDir})`);
  const args = [
    '-l', join(dataDir, 'server.log'), '-w', '-t', '60',
    '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`, 'start',
  ];
  // A port in the ephemeral range can be held for a moment by an outgoing connection: retry.
  for (let attempt = 1; !pgCtl(bin, dataDir, args); attempt++) {
    if (attempt === 3) throw new Error(`Postgres did not start; see ${join(dataDir, 'server.log')}.`);
    log('Postgres did not start; trying again in 2 s');
    spawnSync('sleep', ['2']);
  }
}

/** pg_ctl stop (mode `fast` or `immediate`), waiting until it is down; false when it was not running. */
export function stopPostgresCluster(bin, dataDir, mode = 'fast') {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return false;
  return pgCtl(bin, dataDir, ['-m', mode, '-w', 'stop']);
}

const redisPidFile = (dataDir) => join(dataDir, 'redis.pid');

/** A daemonized redis-server on 127.0.0.1:port that keeps nothing on disk; its pid file is in `dataDir`. */
export async function startRedisServer(dataDir, port, log = () => {}) {
  mkdirSync(dataDir, { recursive: true });
  log(`starting redis-server on 127.0.0.1:${port}`);
  const ok = run('redis-server', [
    '--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port),
    '--save', '', '--appendonly', 'no', '--dir', dataDir,
    '--pidfile', redisPidFile(dataDir), '--logfile', join(dataDir, 'redis.log'),
  ]);
  if (!ok) throw new Error(`redis-server did not start; see ${join(dataDir, 'redis.log')}.`);
  await waitFor('Redis', '127.0.0.1', port);
}

/**
 * Signals the redis-server whose pid file is in `dataDir`; false when none was running. The pid
 * file goes too (a SIGKILLed server leaves it behind), so a later call never signals a reused pid.
 */
export function stopRedisServer(dataDir, signal = 'SIGTERM') {
  const pidFile = redisPidFile(dataDir);
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // Already gone.
  }
}
