import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the work queue (GET /tickets/queue) reads. "Held now" is the function `ticket_owners`,
 * which no index can serve: its cost is declared for what it is (queries of its own, not an
 * operator), so the planner tests a row's cheap conditions first and calls it last, on the few
 * rows left. Open tickets by tier and department find the candidates; `holder_ids` (GIN) and
 * `resolved_by` find what a person handled, however long the history grows.
 */
export class WorkQueue1795420000000 implements MigrationInterface {
  name = 'WorkQueue1795420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER FUNCTION ticket_owners(text, smallint, uuid, uuid, uuid, text) COST 1000`);
    await q.query(`CREATE INDEX tickets_open_tier_idx ON tickets (tier, department_id) WHERE status NOT IN ('resolved', 'closed')`);
    await q.query(`CREATE INDEX tickets_holders_idx ON tickets USING gin (holder_ids)`);
    await q.query(`CREATE INDEX tickets_resolved_by_idx ON tickets (resolved_by)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_resolved_by_idx`);
    await q.query(`DROP INDEX tickets_holders_idx`);
    await q.query(`DROP INDEX tickets_open_tier_idx`);
    await q.query(`ALTER FUNCTION ticket_owners(text, smallint, uuid, uuid, uuid, text) COST 100`);
  }
}
