import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Survey links by SMS: the enterprise's contact mobile (a mainland number, 11 digits), and one
 * row per message meant for it (the survey sent, reminded, or its link sent again), recording
 * what came of it: sent, failed with the platform's code and message, or skipped and why.
 */
export class SurveySms1795425000000 implements MigrationInterface {
  name = 'SurveySms1795425000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE enterprises ADD COLUMN contact_mobile text CONSTRAINT enterprises_contact_mobile_check CHECK (contact_mobile ~ '^1[3-9][0-9]{9}$')`);
    await q.query(`
      CREATE TABLE survey_sms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        survey_id uuid NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('sent', 'reminded', 'resent')),
        link_version integer NOT NULL CHECK (link_version >= 0),
        reminder integer NOT NULL CHECK (reminder >= 0),
        provider text CHECK (provider IN ('aliyun', 'tencent')),
        mobile text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
        code text,
        message text,
        provider_id text,
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT survey_sms_once UNIQUE (survey_id, kind, link_version, reminder),
        CONSTRAINT survey_sms_finished CHECK ((status = 'pending') = (finished_at IS NULL))
      )`);
    // The sweeper's look-up of messages still waiting.
    await q.query(`CREATE INDEX survey_sms_pending ON survey_sms (created_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE survey_sms`);
    await q.query(`ALTER TABLE enterprises DROP COLUMN contact_mobile`);
  }
}
