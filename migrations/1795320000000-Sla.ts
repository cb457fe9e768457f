import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The working-day calendar, SLA policies (the 1-2-3 rule as data), each ticket's stored
 * clock and its resolution. `next_event_at` is the one column the queue and the sweeper wake up on.
 */
export class Sla1795320000000 implements MigrationInterface {
  name = 'Sla1795320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_days (
        date date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'workday') = (extract(isodow FROM date) IN (6, 7)))
      )`);
    await q.query(`
      CREATE TABLE calendar_years (
        year integer PRIMARY KEY,
        source text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE calendar_settings (
        id smallint PRIMARY KEY CHECK (id = 1),
        work_start_minute smallint NOT NULL CHECK (work_start_minute BETWEEN 0 AND 1439),
        work_end_minute smallint NOT NULL CHECK (work_end_minute BETWEEN 1 AND 1440),
        CHECK (work_end_minute > work_start_minute)
      )`);

    await q.query(`
      CREATE TABLE sla_policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        category text UNIQUE CHECK (category IN ('land','power','water','gas','financing','labor','permits',
          'policy_payout','intellectual_property','infrastructure','foreign_trade','talent_housing','other')),
        mode text NOT NULL CHECK (mode IN ('working_days', 'duration')),
        budgets jsonb NOT NULL CHECK (jsonb_typeof(budgets) = 'array' AND jsonb_array_length(budgets) = 3),
        warn_ratio numeric(4,3) NOT NULL CHECK (warn_ratio > 0 AND warn_ratio < 1),
        tier2_owner text NOT NULL CHECK (tier2_owner IN ('deputy_leader', 'paired_leader')),
        reminder_interval text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one default policy (category null).
    await q.query(`CREATE UNIQUE INDEX sla_policies_one_default ON sla_policies ((true)) WHERE category IS NULL`);
    await q.query(`
      INSERT INTO sla_policies (name, category, mode, budgets, warn_ratio, tier2_owner)
      VALUES ('1-2-3 办结制 (default)', NULL, 'working_days', '[1, 2, 3]', 0.75, 'deputy_leader')`);

    await q.query(`
      ALTER TABLE tickets
        ADD COLUMN sla jsonb,
        ADD COLUMN clock_started_at timestamptz,
        ADD COLUMN tier1_due_at timestamptz,
        ADD COLUMN tier2_due_at timestamptz,
        ADD COLUMN tier3_due_at timestamptz,
        ADD COLUMN due_at timestamptz,
        ADD COLUMN warned_tier smallint NOT NULL DEFAULT 0,
        ADD COLUMN overdue_at timestamptz,
        ADD COLUMN last_reminded_at timestamptz,
        ADD COLUMN escalated_at timestamptz,
        ADD COLUMN paused_at timestamptz,
        ADD COLUMN status_before_pause text,
        ADD COLUMN assignee_id uuid REFERENCES users(id),
        ADD COLUMN clock_version integer NOT NULL DEFAULT 0,
        ADD COLUMN next_event text CHECK (next_event IN ('warning', 'breach', 'reminder')),
        ADD COLUMN next_event_at timestamptz,
        ADD COLUMN resolution text,
        ADD COLUMN resolution_attachments jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN resolved_at timestamptz,
        ADD COLUMN resolved_by uuid REFERENCES users(id),
        ADD COLUMN resolved_tier smallint CHECK (resolved_tier BETWEEN 1 AND 3),
        ADD COLUMN closed_at timestamptz,
        ADD CONSTRAINT tickets_next_event_pair CHECK ((next_event IS NULL) = (next_event_at IS NULL))`);
    await q.query(`CREATE INDEX tickets_next_event_idx ON tickets (next_event_at) WHERE next_event_at IS NOT NULL`);
    await q.query(`CREATE INDEX tickets_overdue_idx ON tickets (overdue_at) WHERE overdue_at IS NOT NULL`);
    await q.query(`CREATE INDEX tickets_assignee_idx ON tickets (assignee_id)`);
    await q.query(`CREATE INDEX tickets_due_idx ON tickets (due_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tickets_due_idx`);
    await q.query(`DROP INDEX tickets_assignee_idx`);
    await q.query(`DROP INDEX tickets_overdue_idx`);
    await q.query(`DROP INDEX tickets_next_event_idx`);
    await q.query(`
      ALTER TABLE tickets
        DROP CONSTRAINT tickets_next_event_pair,
        DROP COLUMN closed_at, DROP COLUMN resolved_tier, DROP COLUMN resolved_by, DROP COLUMN resolved_at,
        DROP COLUMN resolution_attachments, DROP COLUMN resolution,
        DROP COLUMN next_event_at, DROP COLUMN next_event, DROP COLUMN clock_version, DROP COLUMN assignee_id,
        DROP COLUMN status_before_pause, DROP COLUMN paused_at, DROP COLUMN escalated_at,
        DROP COLUMN last_reminded_at, DROP COLUMN overdue_at, DROP COLUMN warned_tier,
        DROP COLUMN due_at, DROP COLUMN tier3_due_at, DROP COLUMN tier2_due_at, DROP COLUMN tier1_due_at,
        DROP COLUMN clock_started_at, DROP COLUMN sla`);
    await q.query(`DROP TABLE sla_policies`);
    await q.query(`DROP TABLE calendar_settings`);
    await q.query(`DROP TABLE calendar_years`);
    await q.query(`DROP TABLE calendar_days`);
  }
}
