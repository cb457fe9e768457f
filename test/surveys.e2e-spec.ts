import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { type Actor, actor, createDepartment, createEnterprise, createPairing, surveyTokenOf } from './support/fixtures';
import { until } from './support/polling';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app';

/** Drill policy: tier 1 ends 2 s after intake, so a demand reaches tier 2 before it is resolved. */
const DRILL = { mode: 'duration', budgets: ['PT2S', 'PT30S', 'PT60S'], warnRatio: 0.5 };
/** Drill survey: reminders 1 s and 2 s after sending, no response after 6 s. */
const ENV = { SLA_SWEEP_EVERY_MS: '500', SURVEY_REMINDERS: 'PT1S,PT2S', SURVEY_WINDOW: 'PT6S', PUBLIC_BASE_URL: 'https://desk.example.test/' };

interface Notification {
  type: string;
  ticketId: string;
  data: { link?: string; round?: number };
}

describe('the closed loop: follow-up survey, reopen, close, no response', () => {
  let t: TestApp;
  let db: DataSource;
  let manager: Actor;
  let liaison: Actor;
  let otherLiaison: Actor;
  let handler: Actor;
  let deputy: Actor;
  let paired: Actor;
  let enterpriseId: string;

  const inbox = async (who: Actor) =>
    (await t.http.get('/api/v1/notifications?limit=100').set('Authorization', who.auth).expect(200)).body.items as Notification[];
  const ticket = async (id: string) => (await t.http.get(`/api/v1/tickets/${id}`).set('Authorization', manager.auth).expect(200)).body;
  const timeline = async (id: string) =>
    ((await t.http.get(`/api/v1/tickets/${id}/timeline`).set('Authorization', manager.auth).expect(200)).body as { type: string; note: string | null }[]);
  const surveys = (ticketId: string) =>
    db.query(`SELECT * FROM surveys WHERE ticket_id = $1 ORDER BY round`, [ticketId]) as Promise<Record<string, unknown>[]>;
  /** Every row a token request could touch, to show a refused one changed nothing. */
  const rows = async (ticketId: string) => ({
    surveys: await surveys(ticketId),
    ticket: (await db.query(`SELECT * FROM tickets WHERE id = $1`, [ticketId]))[0],
    events: (await db.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1`, [ticketId]))[0].n,
    deliveries: (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries`))[0].n,
  });
  /** The link of a round, as the creator's inbox got it. */
  const linkOf = (ticketId: string, round: number) =>
    until(`survey link of round ${round}`, async () =>
      (await inbox(liaison)).find((n) => n.ticketId === ticketId && n.type === 'survey.sent' && n.data.round === round)?.data.link,
    );
  const resolve = (id: string, resolution: string) =>
    t.http.post(`/api/v1/tickets/${id}/resolve`).set('Authorization', handler.auth).send({ resolution }).expect(200);
  const fileDemand = async () =>
    (
      await t.http
        .post('/api/v1/tickets')
        .set('Authorization', liaison.auth)
        .send({ enterpriseId, category: 'land', title: '厂区道路', channel: 'online' })
        .expect(201)
    ).body.id as string;

  beforeAll(async () => {
    t = await startTestApp({ env: ENV });
    db = t.app.get(DataSource);
    manager = await actor(t, 'manager', 'manager');
    liaison = await actor(t, 'liaison', 'liaison_officer');
    otherLiaison = await actor(t, 'liaison2', 'liaison_officer');
    deputy = await actor(t, 'deputy', 'deputy_leader');
    paired = await actor(t, 'paired', 'deputy_leader');
    const land = await createDepartment(t, '自然资源局', ['land'], deputy.id);
    handler = await actor(t, 'handler', 'department_handler', land.id);
    enterpriseId = (await createEnterprise(t, { isKey: true, park: '襄垣经开区', contacts: [{ name: '王经理', phone: '13800000000' }] })).id;
    await createPairing(t, paired.id, enterpriseId);
    const [policy] = (await t.http.get('/api/v1/sla-policies').set('Authorization', manager.auth).expect(200)).body;
    await t.http.patch(`/api/v1/sla-policies/${policy.id}`).set('Authorization', manager.auth).send(DRILL).expect(200);
    // A relay subscribed to survey links (nothing answers there: the payload is what matters).
    await t.http
      .post('/api/v1/webhooks')
      .set('Authorization', manager.auth)
      .send({ url: 'http://127.0.0.1:9/relay', events: ['survey.sent', 'survey.reminded'], secret: 'relay-secret-0123456789' })
      .expect(201);
  });

  afterAll(() => t?.close());

  it('evening salon → tier 2 → resolved → unsatisfied → reopened at tier 1 → resolved → satisfied → closed', async () => {
    const engagement = await t.http
      .post('/api/v1/engagements')
      .set('Authorization', liaison.auth)
      .send({
        type: 'evening_salon',
        occurredAt: '2026-05-12T19:30:00+08:00',
        enterpriseIds: [enterpriseId],
        demands: [{ enterpriseId, category: 'land', title: '扩建用地指标' }],
      })
      .expect(201);
    const id = engagement.body.tickets[0].id as string;

    await until('escalation to tier 2', async () => (await ticket(id)).tier === 2);
    const first = (await resolve(id, '已协调落实用地指标')).body;
    expect(first).toMatchObject({ status: 'resolved', resolvedTier: 2, reopenCount: 0 });

    // The link reaches the creator's and the paired leader's inboxes, and the relay's webhook payload.
    const link = await linkOf(id, 1);
    expect(link.startsWith('https://desk.example.test/s/')).toBe(true);
    expect((await inbox(paired)).some((n) => n.ticketId === id && n.type === 'survey.sent' && n.data.link === link)).toBe(true);
    const [delivery] = await db.query(`SELECT payload FROM webhook_deliveries WHERE event = 'survey.sent' AND payload->>'ticketId' = $1`, [id]);
    expect(delivery.payload).toMatchObject({ link, round: 1, enterprise: { id: enterpriseId, contacts: [{ name: '王经理', phone: '13800000000' }] } });
    const [stored] = await surveys(id);
    expect(stored).toMatchObject({ round: 1, status: 'sent', resolved_tier: 2, resolution: '已协调落实用地指标' });
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(surveyTokenOf(link));

    const view = await t.http.get(`/api/v1/surveys/${surveyTokenOf(link)}`).expect(200);
    // The resolver shows as their department, never as a user id.
    expect(view.body).toEqual({
      ticketNumber: first.number,
      title: '扩建用地指标',
      resolution: '已协调落实用地指标',
      enterpriseName: expect.any(String),
      zone: '襄垣经开区',
      resolvedBy: '自然资源局',
      resolvedAt: first.resolvedAt,
      answered: false,
      expiresAt: expect.any(String),
    });

    const beforeReopen = Date.now();
    const answered = await t.http.post(`/api/v1/surveys/${surveyTokenOf(link)}`).send({ answer: 'unsatisfied', comment: '指标仍未下达' }).expect(200);
    expect(answered.body.answered).toBe(true);
    const reopened = await ticket(id);
    expect(reopened).toMatchObject({ status: 'reopened', tier: 1, assigneeId: null, reopenCount: 1, closedAt: null });
    expect(Date.parse(reopened.tier1DueAt)).toBeGreaterThanOrEqual(beforeReopen + 1900);
    expect(Date.parse(reopened.tier1DueAt)).toBeGreaterThan(Date.parse(first.tier1DueAt));
    expect((await inbox(paired)).some((n) => n.ticketId === id && n.type === 'ticket.reopened')).toBe(true);

    // Resolved again at tier 1 (before the fresh 2 s tier-1 deadline): a second round.
    const second = (await resolve(id, '用地指标已正式下达')).body;
    expect(second).toMatchObject({ status: 'resolved', resolvedTier: 1 });
    const link2 = await linkOf(id, 2);
    expect(link2).not.toBe(link);
    await t.http.post(`/api/v1/surveys/${surveyTokenOf(link2)}`).send({ answer: 'satisfied' }).expect(200);

    const closed = await ticket(id);
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).not.toBeNull();
    const rounds = await surveys(id);
    expect(rounds.map((s) => [s.round, s.status, s.answer, s.channel, s.resolved_tier, s.resolution])).toEqual([
      [1, 'answered', 'unsatisfied', 'link', 2, '已协调落实用地指标'],
      [2, 'answered', 'satisfied', 'link', 1, '用地指标已正式下达'],
    ]);
    const types = (await timeline(id)).map((e) => e.type);
    expect(types.filter((type) => type === 'resolve')).toHaveLength(2);
    expect(types.filter((type) => type === 'survey_answered')).toHaveLength(2);
    expect(types).toEqual(expect.arrayContaining(['escalated', 'survey_sent', 'reopen', 'close']));

    const api = await t.http.get(`/api/v1/tickets/${id}/surveys`).set('Authorization', liaison.auth).expect(200);
    expect(api.body.map((s: { round: number; answer: string; resolvedTier: number }) => [s.round, s.answer, s.resolvedTier])).toEqual([
      [1, 'unsatisfied', 2],
      [2, 'satisfied', 1],
    ]);
    await t.http.get(`/api/v1/tickets/${id}/surveys`).set('Authorization', otherLiaison.auth).expect(404);
  });

  it('reminds an unanswered survey, then records no response (never satisfied) and closes; the link is then gone', async () => {
    const id = await fileDemand();
    await resolve(id, '道路已修复');
    const link = await linkOf(id, 1);
    await until('no response', async () => (await surveys(id))[0].status === 'no_response', 20);
    const [survey] = await surveys(id);
    expect(survey).toMatchObject({ answer: null, reminders_sent: 2, next_action: null, next_action_at: null });
    const events = await timeline(id);
    expect(events.filter((e) => e.type === 'survey_reminder')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'survey_no_response')).toHaveLength(1);
    expect((await inbox(liaison)).filter((n) => n.ticketId === id && n.type === 'survey.reminded')).toHaveLength(2);
    // Each reminder also goes to the relay, with the same link, so the enterprise is asked again.
    const relayed = await db.query(`SELECT payload FROM webhook_deliveries WHERE event = 'survey.reminded' AND payload->>'ticketId' = $1`, [id]);
    expect(relayed.map((d: { payload: { link: string; reminder: number } }) => [d.payload.link, d.payload.reminder]).sort()).toEqual([
      [link, 1],
      [link, 2],
    ]);
    const closed = await until('closed', async () => {
      const current = await ticket(id);
      return current.status === 'closed' && current;
    });
    expect(closed.closedAt).not.toBeNull();

    const before = await rows(id);
    expect((await t.http.get(`/api/v1/surveys/${surveyTokenOf(link)}`).expect(410)).body.code).toBe('survey_token_expired');
    expect((await t.http.post(`/api/v1/surveys/${surveyTokenOf(link)}`).send({ answer: 'satisfied' }).expect(410)).body.code).toBe(
      'survey_token_expired',
    );
    expect(await rows(id)).toEqual(before);
  });

  it('refuses replayed, forged, garbled and wrong-purpose tokens and changes nothing', async () => {
    const id = await fileDemand();
    await resolve(id, '已派人现场处理');
    const token = surveyTokenOf(await linkOf(id, 1));
    await t.http.post(`/api/v1/surveys/${token}`).send({ answer: 'basically_satisfied' }).expect(200);
    expect((await ticket(id)).status).toBe('closed');
    const before = await rows(id);

    const replay = await t.http.post(`/api/v1/surveys/${token}`).send({ answer: 'unsatisfied' }).expect(410);
    expect(replay.body.code).toBe('survey_token_used');
    expect((await t.http.get(`/api/v1/surveys/${token}`).expect(200)).body.answered).toBe(true);

    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const forged = new JwtService({ secret: 'not-our-secret-but-long-enough-0123456789' }).sign(claims);
    const ourKeyUnknownSurvey = new JwtService({ secret: TEST_JWT_SECRET }).sign({ ...claims, round: 9 });
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const bad of [forged, ourKeyUnknownSurvey, tampered, 'garbage', liaison.token]) {
      expect((await t.http.post(`/api/v1/surveys/${bad}`).send({ answer: 'satisfied' }).expect(404)).body.code).toBe('not_found');
      await t.http.get(`/api/v1/surveys/${bad}`).expect(404);
    }
    // And a survey token is no access token.
    await t.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(await rows(id)).toEqual(before);
  });

  it('records a phone answer once, by the liaison officer in scope, marked as such', async () => {
    const id = await fileDemand();
    await resolve(id, '已解决');
    await linkOf(id, 1);
    const answer = { answer: 'satisfied', comment: '电话回访：满意' };
    await t.http.post(`/api/v1/tickets/${id}/survey-answer`).set('Authorization', otherLiaison.auth).send(answer).expect(404);
    await t.http.post(`/api/v1/tickets/${id}/survey-answer`).set('Authorization', handler.auth).send(answer).expect(403);
    const recorded = await t.http.post(`/api/v1/tickets/${id}/survey-answer`).set('Authorization', liaison.auth).send(answer).expect(200);
    expect(recorded.body).toMatchObject({ round: 1, status: 'answered', answer: 'satisfied', channel: 'phone', recordedBy: liaison.id });
    expect((await ticket(id)).status).toBe('closed');
    const before = await rows(id);
    await t.http.post(`/api/v1/tickets/${id}/survey-answer`).set('Authorization', liaison.auth).send({ answer: 'unsatisfied' }).expect(409);
    expect(await rows(id)).toEqual(before);
  });
});
