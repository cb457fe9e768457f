import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pg from 'pg';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/demand_desk';

/**
 * Tests never touch the demo database: they use `<name>_test_template` (migrated once
 * per run) and clone one database per e2e file from it.
 */
export function testDatabaseNames() {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  const name = decodeURIComponent(base.pathname.slice(1)) || 'demand_desk';
  const testName = name.endsWith('_test') ? name : `${name}_test`;
  const urlFor = (database: string) => {
    const url = new URL(base.toString());
    url.pathname = `/${database}`;
    return url.toString();
  };
  return {
    template: `${testName}_template`,
    perFilePrefix: `${testName}_f_`,
    urlFor,
    adminUrl: urlFor('postgres'),
  };
}

// Read once at load: startTestApp points DATABASE_URL at each clone afterwards.
const DATABASE_NAMES = testDatabaseNames();
const ADMIN_URL = DATABASE_NAMES.adminUrl;

/** One connection to `databaseUrl` for the length of `fn`. */
export async function withDatabase<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const withAdminClient = <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => withDatabase(ADMIN_URL, fn);

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface ClonedDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database of its own on the shared test server, cloned from the migrated template. */
export async function cloneTemplateDatabase(): Promise<ClonedDatabase> {
  const { template, perFilePrefix, urlFor } = DATABASE_NAMES;
  const name = `${perFilePrefix}${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`));
  return {
    name,
    url: urlFor(name),
    drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs every migration (from source, through the TypeORM CLI) against one database. */
export function migrate(databaseUrl: string): void {
  execFileSync(
    process.execPath,
    ['node_modules/typeorm/cli-ts-node-commonjs.js', 'migration:run', '-d', 'src/database/data-source.ts'],
    {
      env: { ...process.env, DATABASE_URL: databaseUrl, TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}
