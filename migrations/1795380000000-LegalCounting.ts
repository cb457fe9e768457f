import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How a policy counts working days. Existing working-day policies become `legal` (the intake day
 * is not counted; tier N ends at the close of the Nth working day after it), since that is the
 * rule the zone means; drills (durations) and any policy with fractional days stay `elapsed`.
 * Tickets already filed keep their stored deadlines: their SLA snapshot has no `counting` and is
 * read as elapsed. The default keeps raw inserts (tests, tools) working; the service always sets it.
 */
export class LegalCounting1795380000000 implements MigrationInterface {
  name = 'LegalCounting1795380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_policies ADD COLUMN counting text NOT NULL DEFAULT 'legal' CHECK (counting IN ('legal', 'elapsed'))`);
    await q.query(`
      UPDATE sla_policies SET counting = 'elapsed'
       WHERE mode = 'duration'
          OR EXISTS (SELECT 1 FROM jsonb_array_elements(budgets) b WHERE jsonb_typeof(b) <> 'number' OR b::numeric <> trunc(b::numeric))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_policies DROP COLUMN counting`);
  }
}
