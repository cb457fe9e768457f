import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';

/** Benchmarks run on a database of their own, created fresh and migrated, never the demo one. */
export async function freshBenchDatabase(name: string): Promise<string> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/demand_desk');
  const admin = new URL(base.toString());
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  execFileSync(process.execPath, ['node_modules/typeorm/cli-ts-node-commonjs.js', 'migration:run', '-d', 'src/database/data-source.ts'], {
    env: { ...process.env, DATABASE_URL: url.toString(), TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return url.toString();
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
