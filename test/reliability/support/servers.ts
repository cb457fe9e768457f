import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  initPostgresCluster,
  postgresBinDir,
  startPostgresCluster,
  startRedisServer,
  stopPostgresCluster,
  stopRedisServer,
  waitFor,
} from '../../../scripts/local-servers.mjs';
import { freeServerPort } from '../../support/app-process';

/** A scratch directory the postgres user can reach (a root-only mkdtemp is not). */
function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

export interface ThrowawayPostgres {
  url(database: string): string;
  /** Down (`pg_ctl stop -m immediate`: like a crash, sessions cut) for `downMs`, then up again. */
  restart(downMs: number): Promise<void>;
  /** Stops the cluster and deletes its files. */
  destroy(): void;
}

/** A Postgres cluster of our own, in a temp dir on a free port: the machine's server is never touched. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('No PostgreSQL binaries (pg_ctl, initdb) on this machine');
  const dir = scratchDir('rel-pg-');
  const dataDir = join(dir, 'data');
  const port = await freeServerPort();
  const destroy = () => {
    stopPostgresCluster(bin, dataDir, 'immediate');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    initPostgresCluster(bin, dataDir, 'postgres');
    startPostgresCluster(bin, dataDir, port);
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async restart(downMs) {
      stopPostgresCluster(bin, dataDir, 'immediate');
      await new Promise((r) => setTimeout(r, downMs));
      startPostgresCluster(bin, dataDir, port);
    },
    destroy,
  };
}

export interface ThrowawayRedis {
  url: string;
  /** SIGKILL: every key is gone (nothing is saved), as when a Redis host dies. */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
  /** Stops it and deletes its files. */
  destroy(): void;
}

export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const dir = scratchDir('rel-redis-');
  const port = await freeServerPort();
  const destroy = () => {
    stopRedisServer(dir, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await startRedisServer(dir, port);
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      stopRedisServer(dir, 'SIGKILL');
      await waitFor('Redis', '127.0.0.1', port, { up: false, seconds: 10 });
    },
    start: () => startRedisServer(dir, port),
    destroy,
  };
}
