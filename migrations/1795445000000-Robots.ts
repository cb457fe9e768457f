import type { MigrationInterface, QueryRunner } from 'typeorm';

const EVENTS = `'ticket.created','ticket.routed','ticket.started','ticket.paused','ticket.resumed','ticket.returned',
  'ticket.extended','ticket.resolved','ticket.reopened','ticket.closed','ticket.warned','ticket.escalated',
  'ticket.overdue','ticket.reminded','survey.sent','survey.reminded','survey.answered','survey.no_response'`;

/**
 * Group robots (WeCom, DingTalk, Feishu): channels, the rules routing events to them, and one
 * delivery row per (event, channel), written by the robots' subscriber of the event bus (as
 * webhook deliveries are). Users get a mainland mobile number, the one id all three platforms' robots
 * can @-mention by (WeCom and DingTalk; Feishu names people instead).
 */
export class Robots1795445000000 implements MigrationInterface {
  name = 'Robots1795445000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN mobile text CONSTRAINT users_mobile_check CHECK (mobile ~ '^1[3-9][0-9]{9}$')`);

    await q.query(`
      CREATE TABLE robot_channels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        platform text NOT NULL CHECK (platform IN ('wecom','dingtalk','feishu')),
        webhook_url text NOT NULL CHECK (webhook_url ~ '^https?://' AND length(webhook_url) <= 500),
        -- Stored as given: the platforms need it in clear to sign (README, "Robot channels").
        secret text CHECK (length(secret) BETWEEN 8 AND 200),
        active boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        -- WeCom robots have no secret (the URL's key is the credential); DingTalk and Feishu must sign.
        CONSTRAINT robot_channels_secret_platform_check CHECK ((platform = 'wecom') = (secret IS NULL))
      )`);

    await q.query(`
      CREATE TABLE robot_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel_id uuid NOT NULL REFERENCES robot_channels(id),
        events text[] NOT NULL CHECK (cardinality(events) > 0 AND events <@ ARRAY[${EVENTS}]::text[]),
        department_id uuid REFERENCES departments(id),
        mention_owners boolean NOT NULL DEFAULT false,
        description text CHECK (length(description) <= 500),
        active boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE robot_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel_id uuid NOT NULL REFERENCES robot_channels(id),
        -- The event (or a direct message's id): one delivery per (event, channel), whatever rules matched.
        event_id uuid NOT NULL,
        event text CHECK (event IN (${EVENTS})),
        ticket_id uuid REFERENCES tickets(id),
        -- The event's payload; for a direct message (event null) the message itself.
        payload jsonb NOT NULL,
        mention_owners boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        -- Messages split over several requests (WeCom): how many went, so a retry sends the rest only.
        parts_sent integer NOT NULL DEFAULT 0 CHECK (parts_sent >= 0),
        last_error_code integer,
        last_error text,
        not_before timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        UNIQUE (event_id, channel_id),
        CHECK ((status = 'delivered') = (delivered_at IS NOT NULL)),
        CONSTRAINT robot_deliveries_ticket_event_check CHECK (event IS NOT NULL OR ticket_id IS NULL)
      )`);
    await q.query(`CREATE INDEX robot_deliveries_status_idx ON robot_deliveries (status, not_before)`);
    await q.query(`CREATE INDEX robot_deliveries_channel_idx ON robot_deliveries (channel_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE robot_deliveries`);
    await q.query(`DROP TABLE robot_rules`);
    await q.query(`DROP TABLE robot_channels`);
    await q.query(`ALTER TABLE users DROP COLUMN mobile`);
  }
}
