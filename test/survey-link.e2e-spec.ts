import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { WEBHOOK_EVENTS } from '../src/notifications/webhook-events';
import { type Actor, actor, createDepartment, createEnterprise, createPairing, surveyTokenOf } from './support/fixtures';
import { until } from './support/polling';
import { startTestApp, type TestApp } from './support/test-app';

/** A window long enough that the survey stays open for the whole file. */
const ENV = { SURVEY_REMINDERS: 'PT1H', SURVEY_WINDOW: 'PT2H', PUBLIC_BASE_URL: 'https://desk.example.test/' };

interface Notification {
  type: string;
  ticketId: string;
  data: { link?: string };
}

describe('the survey link, sent again on demand', () => {
  let t: TestApp;
  let db: DataSource;
  let manager: Actor;
  let liaison: Actor;
  let otherLiaison: Actor;
  let handler: Actor;
  let paired: Actor;
  let otherLeader: Actor;
  let enterpriseId: string;

  const inbox = async (who: Actor) =>
    (await t.http.get('/api/v1/notifications?limit=100').set('Authorization', who.auth).expect(200)).body.items as Notification[];
  const resend = (id: string, who: Actor) => t.http.post(`/api/v1/tickets/${id}/survey/link`).set('Authorization', who.auth);
  const fileDemand = async () =>
    (
      await t.http
        .post('/api/v1/tickets')
        .set('Authorization', liaison.auth)
        .send({ enterpriseId, category: 'land', title: '厂区道路', channel: 'online' })
        .expect(201)
    ).body.id as string;
  /** A resolved demand whose survey has gone out; returns the first link. */
  const surveyed = async () => {
    const id = await fileDemand();
    await t.http.post(`/api/v1/tickets/${id}/resolve`).set('Authorization', handler.auth).send({ resolution: '已修复' }).expect(200);
    const link = await until('the survey link', async () => (await inbox(liaison)).find((n) => n.ticketId === id && n.type === 'survey.sent')?.data.link);
    return { id, link };
  };

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
    db = t.app.get(DataSource);
    manager = await actor(t, 'manager', 'manager');
    liaison = await actor(t, 'liaison', 'liaison_officer');
    otherLiaison = await actor(t, 'liaison2', 'liaison_officer');
    paired = await actor(t, 'paired', 'deputy_leader');
    otherLeader = await actor(t, 'other_leader', 'deputy_leader');
    const land = await createDepartment(t, '自然资源局', ['land'], otherLeader.id);
    handler = await actor(t, 'handler', 'department_handler', land.id);
    enterpriseId = (await createEnterprise(t, { contacts: [{ name: '王经理', phone: '13800000000' }] })).id;
    await createPairing(t, paired.id, enterpriseId);
    await t.http
      .post('/api/v1/webhooks')
      .set('Authorization', manager.auth)
      .send({ url: 'http://127.0.0.1:9/relay', events: ['survey.sent'], secret: 'relay-secret-0123456789' })
      .expect(201);
  });

  afterAll(() => t?.close());

  it('gives a new link that works, voids the old one, and delivers it like the first', async () => {
    const { id, link: first } = await surveyed();
    await t.http.get(`/api/v1/surveys/${surveyTokenOf(first)}`).expect(200);

    const again = await resend(id, liaison).expect(200);
    expect(again.body).toEqual({ surveyId: expect.any(String), round: 1, link: expect.stringMatching(/^https:\/\/desk\.example\.test\/s\/[^/]+$/), expiresAt: expect.any(String) });
    const second = again.body.link as string;
    expect(second).not.toBe(first);
    // The old link is as unknown as a forged one; the new one shows and answers the survey.
    expect((await t.http.get(`/api/v1/surveys/${surveyTokenOf(first)}`).expect(404)).body.code).toBe('not_found');
    await t.http.post(`/api/v1/surveys/${surveyTokenOf(first)}`).send({ answer: 'unsatisfied' }).expect(404);
    await t.http.get(`/api/v1/surveys/${surveyTokenOf(second)}`).expect(200);

    // The same inboxes as the first link, and the relay webhook with the new link.
    for (const who of [liaison, paired]) {
      expect((await inbox(who)).filter((n) => n.ticketId === id && n.type === 'survey.sent').map((n) => n.data.link)).toEqual([second, first]);
    }
    const relayed = await db.query(`SELECT payload FROM webhook_deliveries WHERE event = 'survey.sent' AND payload->>'ticketId' = $1 ORDER BY created_at`, [id]);
    expect(relayed.map((d: { payload: { link: string; linkVersion: number } }) => [d.payload.link, d.payload.linkVersion])).toEqual([[first, 0], [second, 1]]);
    const timeline = (await t.http.get(`/api/v1/tickets/${id}/timeline`).set('Authorization', manager.auth).expect(200)).body as { type: string; actorId: string }[];
    expect(timeline.filter((e) => e.type === 'survey_link_resent')).toEqual([expect.objectContaining({ actorId: liaison.id })]);

    // The paired leader and a manager may send it again too; each time the previous link stops working.
    const third = (await resend(id, paired).expect(200)).body.link as string;
    const fourth = (await resend(id, manager).expect(200)).body.link as string;
    await t.http.get(`/api/v1/surveys/${surveyTokenOf(third)}`).expect(404);
    await t.http.post(`/api/v1/surveys/${surveyTokenOf(fourth)}`).send({ answer: 'satisfied' }).expect(200);
    await t.http.post(`/api/v1/surveys/${surveyTokenOf(fourth)}`).send({ answer: 'satisfied' }).expect(410);
  });

  it('is a 404 for those who do not relay the survey, a 403 for handlers, and changes nothing', async () => {
    const { id, link } = await surveyed();
    const hash = async () => (await db.query(`SELECT token_hash FROM surveys WHERE ticket_id = $1`, [id]))[0].token_hash;
    const before = await hash();
    // Another officer, and a leader who sees the ticket (in charge of its department) but is not paired.
    await t.http.get(`/api/v1/tickets/${id}`).set('Authorization', otherLeader.auth).expect(200);
    for (const who of [otherLiaison, otherLeader]) expect((await resend(id, who).expect(404)).body.code).toBe('not_found');
    await resend(id, handler).expect(403);
    await resend('00000000-0000-4000-8000-000000000000', manager).expect(404);
    expect(await hash()).toBe(before);
    await t.http.get(`/api/v1/surveys/${surveyTokenOf(link)}`).expect(200);
  });

  it('is a 409 when no survey is open: not resolved yet, or already answered', async () => {
    const open = await fileDemand();
    expect((await resend(open, liaison).expect(409)).body).toMatchObject({ code: 'conflict', surveyStatus: null });

    const { id, link } = await surveyed();
    await t.http.post(`/api/v1/surveys/${surveyTokenOf(link)}`).send({ answer: 'satisfied' }).expect(200);
    expect((await resend(id, liaison).expect(409)).body).toMatchObject({ code: 'conflict', surveyStatus: 'answered' });
  });

  it('inbox notification types are webhook event names, and the database refuses any other', async () => {
    const types = (await db.query(`SELECT DISTINCT type FROM notifications ORDER BY type`)).map((row: { type: string }) => row.type);
    expect(types).toEqual(['survey.sent', 'ticket.resolved']);
    for (const type of types) expect(WEBHOOK_EVENTS).toContain(type);
    const [user] = await db.query(`SELECT id FROM users LIMIT 1`);
    await expect(
      db.query(`INSERT INTO notifications (user_id, type, title, body) VALUES ($1, 'ticket.resolve', 'x', 'y')`, [user.id]),
    ).rejects.toThrow(/notifications_type_check/);
  });
});
