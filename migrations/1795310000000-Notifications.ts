import type { MigrationInterface, QueryRunner } from 'typeorm';

const EVENTS = `'ticket.created','ticket.warning','ticket.escalated','ticket.overdue','ticket.reminder',
  'ticket.paused','ticket.resumed','ticket.extended','ticket.resolved','ticket.reopened','ticket.closed',
  'survey.answered'`;

/**
 * Users' inboxes, outbound webhooks and their deliveries. A delivery row is written in the
 * transaction of the event it reports (an outbox): Redis only carries out the sending.
 */
export class Notifications1795310000000 implements MigrationInterface {
  name = 'Notifications1795310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        type text NOT NULL,
        ticket_id uuid REFERENCES tickets(id),
        title text NOT NULL,
        body text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The inbox is read newest first per user; the partial index serves the unread count and filter.
    await q.query(`CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE INDEX notifications_user_unread_idx ON notifications (user_id, created_at DESC, id DESC)
        WHERE read_at IS NULL`);

    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL CHECK (url ~ '^https?://'),
        events text[] NOT NULL CHECK (cardinality(events) > 0 AND events <@ ARRAY[${EVENTS}]::text[]),
        secret text NOT NULL CHECK (length(secret) >= 16),
        description text,
        active boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    // Finding the subscribers of an event scans the few live webhooks; no index needed.

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks(id),
        event text NOT NULL CHECK (event IN (${EVENTS})),
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_status_idx ON webhook_deliveries (status, created_at)`);
    await q.query(`CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
    await q.query(`DROP TABLE notifications`);
  }
}
