import type { MigrationInterface, QueryRunner } from 'typeorm';

const EVENTS = [
  'ticket.created', 'ticket.routed', 'ticket.started', 'ticket.paused', 'ticket.resumed', 'ticket.returned',
  'ticket.extended', 'ticket.resolved', 'ticket.reopened', 'ticket.closed', 'ticket.warned', 'ticket.escalated',
  'ticket.overdue', 'ticket.reminded', 'survey.sent', 'survey.reminded', 'survey.answered', 'survey.no_response',
];

/**
 * The event bus's one outbox: a row per emitted event that some after-commit subscriber wants,
 * written in the event's transaction; `pending` lists the subscribers yet to act on it, each
 * removed in the transaction of its own work (so each acts once). Webhook deliveries now come
 * from the webhooks subscriber, one per event and webhook at most.
 */
export class EventOutbox1795420000000 implements MigrationInterface {
  name = 'EventOutbox1795420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event text NOT NULL CHECK (event IN (${EVENTS.map((e) => `'${e}'`).join(', ')})),
        payload jsonb NOT NULL,
        pending text[] NOT NULL,
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The sweeper reads only rows with work left: a small partial index, whatever the history.
    await q.query(`CREATE INDEX event_outbox_pending_idx ON event_outbox (id) WHERE cardinality(pending) > 0`);
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN event_id uuid`);
    await q.query(`CREATE UNIQUE INDEX webhook_deliveries_event_webhook_key ON webhook_deliveries (event_id, webhook_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_deliveries_event_webhook_key`);
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN event_id`);
    await q.query(`DROP TABLE event_outbox`);
  }
}
