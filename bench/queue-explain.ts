/**
 * The work queue's queries under EXPLAIN ANALYZE, on the data set of bench/queue-seed.sql
 * (10,000 open tickets): the first page of each view and the counts, for a department handler,
 * a deputy leader, a principal leader and the manager. Prints each query's execution time.
 *
 *   DATABASE_URL=postgres://…/<seeded db> TS_NODE_TRANSPILE_ONLY=1 node -r ts-node/register bench/queue-explain.ts
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource, type Logger } from 'typeorm';
import type { AuthUser } from '../src/auth/current-user';
import { SystemClock } from '../src/common/clock';
import { typeormOptions } from '../src/database/typeorm-options';
import { QUEUE_VIEWS } from '../src/tickets/dto/ticket.dto';
import type { TicketReaders } from '../src/tickets/ticket-reader';
import { TicketsService } from '../src/tickets/tickets.service';

/** Keeps the SELECTs the service sends, to explain them afterwards. */
class Recorder implements Logger {
  queries: { sql: string; params: unknown[] }[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    if (query.trimStart().startsWith('SELECT')) this.queries.push({ sql: query, params: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

async function main() {
  const recorder = new Recorder();
  const ds = await new DataSource({
    ...typeormOptions(process.env.DATABASE_URL!),
    entities: [join(__dirname, '..', 'src', '**', '*.entity.ts')],
    logging: ['query'],
    logger: recorder,
  }).initialize();
  const readers = { toDtos: async () => [] } as unknown as TicketReaders;
  const service = new TicketsService(ds, null as never, new SystemClock(), readers);
  const pick = async (username: string): Promise<AuthUser> => {
    const [u] = await ds.query(`SELECT id, username, role, department_id AS "departmentId", token_version AS "tokenVersion" FROM users WHERE username = $1`, [username]);
    return u;
  };
  for (const username of (process.env.USERS ?? 'handler1_1,deputy1,principal1,manager').split(',')) {
    const user = await pick(username);
    const runs: [string, () => Promise<unknown>][] = [
      ...QUEUE_VIEWS.map((view) => [view, () => service.queue(user, { view })] as [string, () => Promise<unknown>]),
      ['counts', () => service.queueCounts(user, {})],
    ];
    for (const [name, run] of runs) {
      await run(); // warm
      recorder.queries = [];
      await run();
      const { sql, params } = recorder.queries[0];
      const plan: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      const time = plan.map((p) => p['QUERY PLAN']).find((line) => line.startsWith('Execution Time'));
      const rows = await ds.query(`SELECT count(*) AS n FROM (${sql}) q`, params);
      console.log(`${username.padEnd(11)} ${name.padEnd(16)} ${time}  (rows ${rows[0].n})`);
      if (process.env.PLANS === name) console.log(plan.map((p) => `    ${p['QUERY PLAN']}`).join('\n'));
    }
  }
  await ds.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
