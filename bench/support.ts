import { migrate, quoteIdent, testDatabaseNames, withAdminClient } from '../test/support/databases';

/** Benchmarks run on a database of their own, created fresh and migrated, never the demo one. */
export async function freshBenchDatabase(name: string): Promise<string> {
  await withAdminClient(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  const url = testDatabaseNames().urlFor(name);
  migrate(url);
  return url;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
