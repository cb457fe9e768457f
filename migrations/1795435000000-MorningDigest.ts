import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The event vocabulary at 1795400000000 plus the digest's inbox type (src/notifications/webhook-events.ts). */
const EVENTS = [
  'ticket.created', 'ticket.routed', 'ticket.started', 'ticket.paused', 'ticket.resumed', 'ticket.returned',
  'ticket.extended', 'ticket.resolved', 'ticket.reopened', 'ticket.closed', 'ticket.warned', 'ticket.escalated',
  'ticket.overdue', 'ticket.reminded', 'survey.sent', 'survey.reminded', 'survey.answered', 'survey.no_response',
];
const list = (names: string[]) => names.map((name) => `'${name}'`).join(', ');

/**
 * The morning digest: one row per local day it ran, claimed by the first worker (the primary
 * key makes it exactly once), and `digest.morning` as an inbox type (not a webhook event).
 */
export class MorningDigest1795435000000 implements MigrationInterface {
  name = 'MorningDigest1795435000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE digest_runs (
        day date PRIMARY KEY,
        ran_at timestamptz NOT NULL,
        since timestamptz,
        digests integer NOT NULL DEFAULT 0 CHECK (digests >= 0)
      )`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_type_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_type_check CHECK (type IN (${list([...EVENTS, 'digest.morning'])}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE type = 'digest.morning'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_type_check`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_type_check CHECK (type IN (${list(EVENTS)}))`);
    await q.query(`DROP TABLE digest_runs`);
  }
}
