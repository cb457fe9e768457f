import pg from 'pg';
import type { Category } from '../src/tickets/categories';
import type { Role } from '../src/users/entities/user.entity';
import { migrate, quoteIdent, testDatabaseNames, withAdminClient } from '../test/support/databases';
import { validCreditCode } from '../test/support/fixtures';

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

/** Runs a benchmark whose file was started directly (`npm run bench:<name>`) and prints its result. */
export function runWhenMain(benchModule: NodeModule, benchmark: () => Promise<object>): void {
  if (require.main !== benchModule) return;
  benchmark()
    .then((result) => {
      console.table(result);
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

export { sleep } from '../test/support/polling';

/** A queue prefix no other run (or concurrent agent) shares, so jobs never mix. */
export const uniqueQueuePrefix = (bench: string) => `bench_${bench}_${process.pid}_${Date.now()}`;

export async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}

/**
 * A user written straight to the database. Without a real hash the account cannot log in,
 * which is all a bench needs of the people it only references.
 */
export async function insertUser(
  db: pg.ClientBase,
  username: string,
  role: Role,
  { departmentId = null, passwordHash = 'x' }: { departmentId?: string | null; passwordHash?: string } = {},
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO users (username, display_name, password_hash, role, department_id) VALUES ($1, $1, $2, $3, $4) RETURNING id`,
    [username, passwordHash, role, departmentId],
  );
  return rows[0].id;
}

export async function insertDepartment(
  db: pg.ClientBase,
  name: string,
  categories: readonly Category[],
  deputyLeaderId: string | null,
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO departments (name, categories, deputy_leader_id) VALUES ($1, $2, $3) RETURNING id`,
    [name, categories, deputyLeaderId],
  );
  return rows[0].id;
}

/** `count` enterprises with valid, distinct unified social credit codes; returns their ids. */
export async function insertEnterprises(db: pg.ClientBase, count: number, liaisonOfficerId: string | null = null): Promise<string[]> {
  const codes = Array.from({ length: count }, (_, i) => validCreditCode(i + 1));
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO enterprises (name, credit_code, liaison_officer_id)
     SELECT 'bench enterprise ' || code, code, $2 FROM unnest($1::text[]) AS code
     RETURNING id`,
    [codes, liaisonOfficerId],
  );
  return rows.map((row) => row.id);
}

/** Active pairings from today: `pairs[i]` pairs an enterprise with a leader. */
export async function insertPairings(db: pg.ClientBase, pairs: { enterpriseId: string; leaderId: string }[], createdBy: string): Promise<void> {
  await db.query(
    `INSERT INTO pairings (enterprise_id, leader_id, started_on, created_by)
     SELECT e, l, current_date, $3 FROM unnest($1::uuid[], $2::uuid[]) AS p(e, l)`,
    [pairs.map((p) => p.enterpriseId), pairs.map((p) => p.leaderId), createdBy],
  );
}
