import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The one past-tense vocabulary of events (src/notifications/webhook-events.ts at this migration). */
const EVENTS = [
  'ticket.created', 'ticket.routed', 'ticket.started', 'ticket.paused', 'ticket.resumed', 'ticket.returned',
  'ticket.extended', 'ticket.resolved', 'ticket.reopened', 'ticket.closed', 'ticket.warned', 'ticket.escalated',
  'ticket.overdue', 'ticket.reminded', 'survey.sent', 'survey.reminded', 'survey.answered', 'survey.no_response',
];
/** What the webhooks' CHECK constraints allowed before (1795330000000-Surveys). */
const OLD_EVENTS = [
  'ticket.created', 'ticket.warning', 'ticket.escalated', 'ticket.overdue', 'ticket.reminder', 'ticket.paused',
  'ticket.resumed', 'ticket.extended', 'ticket.resolved', 'ticket.reopened', 'ticket.closed', 'survey.answered',
  'survey.sent', 'survey.reminder',
];
/** Old name -> new: webhook events that were nouns, and inbox types that were the action's verb. */
const RENAMES: [string, string][] = [
  ['ticket.warning', 'ticket.warned'],
  ['ticket.reminder', 'ticket.reminded'],
  ['survey.reminder', 'survey.reminded'],
  ['ticket.route', 'ticket.routed'],
  ['ticket.start', 'ticket.started'],
  ['ticket.pause', 'ticket.paused'],
  ['ticket.resume', 'ticket.resumed'],
  ['ticket.return', 'ticket.returned'],
  ['ticket.resolve', 'ticket.resolved'],
  ['ticket.reopen', 'ticket.reopened'],
  ['ticket.close', 'ticket.closed'],
  ['ticket.extend', 'ticket.extended'],
];

const list = (names: string[]) => names.map((name) => `'${name}'`).join(', ');

/**
 * 1. Inbox notification types and webhook events become one past-tense vocabulary: existing
 *    subscriptions, deliveries and inbox rows are renamed, so subscriptions keep working, and
 *    inbox types are now checked against the same list as webhook events.
 * 2. Calendar days edited one by one: a per-day `manual` marker (the year keeps its source) and
 *    the audit of who changed which day when.
 * 3. Survey links sent again: `link_version` is signed into the link, so a new link has a new
 *    hash and the old one stops matching.
 */
export class EventsCalendarDaysSurveyLinks1795400000000 implements MigrationInterface {
  name = 'EventsCalendarDaysSurveyLinks1795400000000';

  async up(q: QueryRunner): Promise<void> {
    await this.renameEvents(q, RENAMES, EVENTS);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_type_check CHECK (type IN (${list(EVENTS)}))`);

    await q.query(`ALTER TABLE calendar_days ADD COLUMN manual boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE calendar_day_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        date date NOT NULL,
        before jsonb,
        after jsonb,
        actor_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        CHECK (before IS DISTINCT FROM after)
      )`);
    // Read a year at a time, newest first.
    await q.query(`CREATE INDEX calendar_day_changes_date_idx ON calendar_day_changes (date)`);

    await q.query(`ALTER TABLE surveys ADD COLUMN link_version integer NOT NULL DEFAULT 0 CHECK (link_version >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE surveys DROP COLUMN link_version`);
    await q.query(`DROP TABLE calendar_day_changes`);
    await q.query(`ALTER TABLE calendar_days DROP COLUMN manual`);

    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_type_check`);
    await this.renameEvents(q, RENAMES.map(([from, to]) => [to, from]), OLD_EVENTS);
  }

  /**
   * Renames events in subscriptions, deliveries and inboxes, and replaces the webhooks' CHECK
   * constraints. Going down, events the old list lacks are dropped from subscriptions (a
   * webhook left with none is switched off, not deleted) and their deliveries deleted.
   */
  private async renameEvents(q: QueryRunner, renames: [string, string][], allowed: string[]): Promise<void> {
    await q.query(`ALTER TABLE webhooks DROP CONSTRAINT webhooks_events_check`);
    await q.query(`ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_check`);
    const pairs = renames.map(([from, to]) => `('${from}', '${to}')`).join(', ');
    await q.query(`
      WITH renames (old, new) AS (VALUES ${pairs})
      UPDATE webhooks SET events = ARRAY(
        SELECT coalesce(r.new, e) FROM unnest(events) WITH ORDINALITY AS u(e, i) LEFT JOIN renames r ON r.old = e ORDER BY i)
      WHERE events && ARRAY(SELECT old FROM renames)`);
    await q.query(`
      WITH renames (old, new) AS (VALUES ${pairs})
      UPDATE webhook_deliveries d SET event = r.new FROM renames r WHERE d.event = r.old`);
    await q.query(`
      WITH renames (old, new) AS (VALUES ${pairs})
      UPDATE notifications n SET type = r.new FROM renames r WHERE n.type = r.old`);
    await q.query(`DELETE FROM webhook_deliveries WHERE event <> ALL($1::text[])`, [allowed]);
    await q.query(`UPDATE webhooks SET events = ARRAY(SELECT e FROM unnest(events) AS e WHERE e = ANY($1::text[])) WHERE NOT events <@ $1::text[]`, [allowed]);
    await q.query(`UPDATE webhooks SET events = '{ticket.created}', active = false WHERE cardinality(events) = 0`);
    await q.query(`ALTER TABLE webhooks ADD CONSTRAINT webhooks_events_check
      CHECK (cardinality(events) > 0 AND events <@ ARRAY[${list(allowed)}]::text[])`);
    await q.query(`ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_check CHECK (event IN (${list(allowed)}))`);
  }
}
