import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, departments, enterprises, pairings, engagements, tickets and their timeline,
 * idempotency keys. Enumerations are text with CHECK constraints so adding a value is a
 * one-line migration.
 */
export class Intake1795300000000 implements MigrationInterface {
  name = 'Intake1795300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE departments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        deputy_leader_id uuid,
        categories text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('liaison_officer','department_handler','deputy_leader',
                                           'principal_leader','manager','admin')),
        department_id uuid REFERENCES departments(id),
        phone text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (role <> 'department_handler' OR department_id IS NOT NULL)
      )`);
    await q.query(`
      ALTER TABLE departments ADD CONSTRAINT departments_deputy_leader_fk
        FOREIGN KEY (deputy_leader_id) REFERENCES users(id)`);

    await q.query(`
      CREATE TABLE enterprises (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        credit_code char(18) NOT NULL UNIQUE,
        industry text,
        park text,
        is_key boolean NOT NULL DEFAULT false,
        contacts jsonb NOT NULL DEFAULT '[]',
        liaison_officer_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX enterprises_name_idx ON enterprises (lower(name))`);
    await q.query(`CREATE INDEX enterprises_liaison_idx ON enterprises (liaison_officer_id)`);

    await q.query(`
      CREATE TABLE pairings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        leader_id uuid NOT NULL REFERENCES users(id),
        enterprise_id uuid NOT NULL REFERENCES enterprises(id),
        started_on date NOT NULL,
        ended_on date,
        end_reason text,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`);
    // One active leader per enterprise, enforced by the database, not only by the service.
    await q.query(`CREATE UNIQUE INDEX pairings_one_active_per_enterprise ON pairings (enterprise_id) WHERE ended_on IS NULL`);
    await q.query(`CREATE INDEX pairings_leader_idx ON pairings (leader_id, started_on)`);

    await q.query(`
      CREATE TABLE engagements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL CHECK (type IN ('visit','breakfast_meeting','afternoon_tea','evening_salon',
          'site_office_meeting','entrepreneur_forum','weekend_morning_talk','service_window','online')),
        occurred_at timestamptz NOT NULL,
        place text,
        official_ids uuid[] NOT NULL DEFAULT '{}',
        notes text,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX engagements_occurred_idx ON engagements (occurred_at DESC)`);
    await q.query(`CREATE INDEX engagements_created_by_idx ON engagements (created_by)`);
    await q.query(`CREATE INDEX engagements_officials_idx ON engagements USING gin (official_ids)`);

    await q.query(`
      CREATE TABLE engagement_enterprises (
        engagement_id uuid NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
        enterprise_id uuid NOT NULL REFERENCES enterprises(id),
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (engagement_id, enterprise_id)
      )`);
    await q.query(`CREATE INDEX engagement_enterprises_last_idx ON engagement_enterprises (enterprise_id, occurred_at DESC)`);

    await q.query(`
      CREATE TABLE ticket_number_counters (
        year integer PRIMARY KEY,
        last_value integer NOT NULL
      )`);

    await q.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        enterprise_id uuid NOT NULL REFERENCES enterprises(id),
        engagement_id uuid REFERENCES engagements(id),
        channel text NOT NULL CHECK (channel IN ('visit','breakfast_meeting','afternoon_tea','evening_salon',
          'site_office_meeting','entrepreneur_forum','weekend_morning_talk','service_window','online')),
        category text NOT NULL CHECK (category IN ('land','power','water','gas','financing','labor','permits',
          'policy_payout','intellectual_property','infrastructure','foreign_trade','talent_housing','other')),
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        attachments jsonb NOT NULL DEFAULT '[]',
        department_id uuid REFERENCES departments(id),
        paired_leader_id uuid REFERENCES users(id),
        starting_tier smallint NOT NULL CHECK (starting_tier BETWEEN 1 AND 3),
        tier smallint NOT NULL CHECK (tier BETWEEN 1 AND 3),
        status text NOT NULL CHECK (status IN ('new','assigned','in_progress','paused','returned','resolved',
          'reopened','closed')),
        created_by uuid NOT NULL REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tickets_created_idx ON tickets (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX tickets_department_idx ON tickets (department_id, created_at DESC)`);
    await q.query(`CREATE INDEX tickets_enterprise_idx ON tickets (enterprise_id)`);
    await q.query(`CREATE INDEX tickets_leader_idx ON tickets (paired_leader_id)`);
    await q.query(`CREATE INDEX tickets_created_by_idx ON tickets (created_by)`);
    await q.query(`CREATE INDEX tickets_engagement_idx ON tickets (engagement_id)`);
    await q.query(`CREATE INDEX tickets_status_idx ON tickets (status)`);

    await q.query(`
      CREATE TABLE ticket_events (
        id bigserial PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        actor_id uuid REFERENCES users(id),
        type text NOT NULL,
        before jsonb,
        after jsonb,
        note text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users(id),
        key text NOT NULL,
        route text NOT NULL,
        request_hash text NOT NULL,
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'ticket_events',
      'tickets',
      'ticket_number_counters',
      'engagement_enterprises',
      'engagements',
      'pairings',
      'enterprises',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`ALTER TABLE departments DROP CONSTRAINT departments_deputy_leader_fk`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE departments`);
  }
}
