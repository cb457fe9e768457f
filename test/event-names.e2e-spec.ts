import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type QueryRunner } from 'typeorm';
import { EventsCalendarDaysSurveyLinks1795400000000 as Migration } from '../migrations/1795400000000-EventsCalendarDaysSurveyLinks';
import { typeormOptions } from '../src/database/typeorm-options';
import { type ClonedDatabase, cloneTemplateDatabase } from './support/databases';

/** Subscriptions, deliveries and inboxes written under the old names, then migrated. */
describe('migrating to the one vocabulary of events', () => {
  let clone: ClonedDatabase;
  let dataSource: DataSource;
  let q: QueryRunner;
  const migration = new Migration();

  beforeAll(async () => {
    clone = await cloneTemplateDatabase();
    dataSource = new DataSource(typeormOptions(clone.url));
    await dataSource.initialize();
    q = dataSource.createQueryRunner();
  });

  afterAll(async () => {
    await q?.release();
    await dataSource?.destroy();
    await clone?.drop();
  });

  it('renames old events in subscriptions, deliveries and inboxes, so existing subscriptions keep working; down renames them back', async () => {
    await migration.down(q);
    const [user] = await q.query(`INSERT INTO users (username, display_name, password_hash, role) VALUES ('u', 'U', 'x', 'manager') RETURNING id`);
    const [webhook] = await q.query(
      `INSERT INTO webhooks (url, events, secret) VALUES ('https://relay.example.test/', '{ticket.warning,ticket.created,survey.reminder,ticket.reminder}', 'relay-secret-0123456789') RETURNING id`,
    );
    await q.query(`INSERT INTO webhook_deliveries (webhook_id, event, payload) VALUES ($1, 'ticket.warning', '{}'), ($1, 'survey.reminder', '{}')`, [webhook.id]);
    await q.query(
      `INSERT INTO notifications (user_id, type, title, body) VALUES ($1, 'ticket.resolve', 't', 'b'), ($1, 'ticket.reminder', 't', 'b'), ($1, 'ticket.route', 't', 'b')`,
      [user.id],
    );

    await migration.up(q);
    expect((await q.query(`SELECT events FROM webhooks`))[0].events).toEqual(['ticket.warned', 'ticket.created', 'survey.reminded', 'ticket.reminded']);
    expect((await q.query(`SELECT event FROM webhook_deliveries ORDER BY event`)).map((r: { event: string }) => r.event)).toEqual(['survey.reminded', 'ticket.warned']);
    expect((await q.query(`SELECT type FROM notifications ORDER BY type`)).map((r: { type: string }) => r.type)).toEqual([
      'ticket.reminded',
      'ticket.resolved',
      'ticket.routed',
    ]);
    // The renamed subscription receives the new names; the old ones are refused.
    await q.query(`INSERT INTO webhook_deliveries (webhook_id, event, payload) VALUES ($1, 'ticket.warned', '{}')`, [webhook.id]);
    await expect(q.query(`INSERT INTO webhook_deliveries (webhook_id, event, payload) VALUES ($1, 'ticket.warning', '{}')`, [webhook.id])).rejects.toThrow(/check/);
    await expect(q.query(`UPDATE webhooks SET events = '{ticket.reminder}'`)).rejects.toThrow(/check/);

    // Down: back to the old names; events the old list lacks are dropped.
    await q.query(`UPDATE webhooks SET events = events || '{ticket.routed}'`);
    await migration.down(q);
    expect((await q.query(`SELECT events FROM webhooks`))[0].events).toEqual(['ticket.warning', 'ticket.created', 'survey.reminder', 'ticket.reminder']);
    expect((await q.query(`SELECT type FROM notifications ORDER BY type`)).map((r: { type: string }) => r.type)).toEqual([
      'ticket.reminder',
      'ticket.resolve',
      'ticket.route',
    ]);
    await migration.up(q);
  });
});
