import type { MigrationInterface, QueryRunner } from 'typeorm';

const EVENTS = `'ticket.created','ticket.warning','ticket.escalated','ticket.overdue','ticket.reminder',
  'ticket.paused','ticket.resumed','ticket.extended','ticket.resolved','ticket.reopened','ticket.closed',
  'survey.answered'`;

/**
 * The follow-up survey (回访): one row per ticket and resolution round, keeping that round's
 * resolution, the answer and how it came in. `next_action_at` is what the queue and the sweeper
 * wake up on; only a hash of the link's token is stored.
 */
export class Surveys1795330000000 implements MigrationInterface {
  name = 'Surveys1795330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN reopen_count integer NOT NULL DEFAULT 0 CHECK (reopen_count >= 0)`);
    await q.query(`
      CREATE TABLE surveys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        round integer NOT NULL CHECK (round >= 1),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','answered','no_response')),
        resolution text NOT NULL,
        resolved_at timestamptz NOT NULL,
        resolved_by uuid REFERENCES users(id),
        resolved_tier smallint CHECK (resolved_tier BETWEEN 1 AND 3),
        token_hash text UNIQUE,
        sent_at timestamptz,
        expires_at timestamptz,
        reminders_sent integer NOT NULL DEFAULT 0 CHECK (reminders_sent >= 0),
        next_action text CHECK (next_action IN ('send','remind','expire')),
        next_action_at timestamptz,
        answer text CHECK (answer IN ('satisfied','basically_satisfied','unsatisfied')),
        comment text,
        channel text CHECK (channel IN ('link','phone')),
        recorded_by uuid REFERENCES users(id),
        answered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (ticket_id, round),
        CONSTRAINT surveys_next_action_pair CHECK ((next_action IS NULL) = (next_action_at IS NULL)),
        CONSTRAINT surveys_answer_status CHECK ((status = 'answered') = (answer IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX surveys_next_action_idx ON surveys (next_action_at) WHERE next_action_at IS NOT NULL`);
    await this.events(q, `${EVENTS}, 'survey.sent', 'survey.reminder'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM webhook_deliveries WHERE event IN ('survey.sent', 'survey.reminder')`);
    await q.query(`UPDATE webhooks SET events = array_remove(array_remove(events, 'survey.sent'), 'survey.reminder')`);
    await this.events(q, EVENTS);
    await q.query(`DROP TABLE surveys`);
    await q.query(`ALTER TABLE tickets DROP COLUMN reopen_count`);
  }

  /** Replaces the CHECK constraints that list the webhook events. */
  private async events(q: QueryRunner, events: string): Promise<void> {
    const checks: { table: string; name: string }[] = await q.query(`
      SELECT c.conrelid::regclass::text AS table, c.conname AS name FROM pg_constraint c
      WHERE c.contype = 'c' AND c.conrelid IN ('webhooks'::regclass, 'webhook_deliveries'::regclass)
        AND pg_get_constraintdef(c.oid) LIKE '%ticket.created%'`);
    for (const check of checks) await q.query(`ALTER TABLE ${check.table} DROP CONSTRAINT ${check.name}`);
    await q.query(`ALTER TABLE webhooks ADD CONSTRAINT webhooks_events_check
      CHECK (cardinality(events) > 0 AND events <@ ARRAY[${events}]::text[])`);
    await q.query(`ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_check CHECK (event IN (${events}))`);
  }
}
