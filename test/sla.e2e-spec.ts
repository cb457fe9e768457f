import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { CalendarService } from '../src/calendar/calendar.service';
import { endOfWorkingDaysAfter } from '../src/calendar/working-time';
import { loadOrgDirectory } from '../src/sla/org-directory';
import { type Actor, actor, createDepartment, createEnterprise, createPairing, createUser, PASSWORD } from './support/fixtures';
import { sleep, until } from './support/polling';
import { deleteQueueKeys, startTestApp, type TestApp } from './support/test-app';
import { TcpProxy } from './support/tcp-proxy';

/** Drill policy: tiers end 3, 6 and 9 seconds after intake, warnings at half of each tier. */
const DRILL = { mode: 'duration', budgets: ['PT3S', 'PT6S', 'PT9S'], warnRatio: 0.5, reminderInterval: 'PT2S' };
const FAST_SWEEP = { SLA_SWEEP_EVERY_MS: '500' };

interface TimelineEvent {
  type: string;
  actorId: string | null;
  actorName: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  note: string | null;
}

interface World {
  app: TestApp;
  manager: Actor;
  liaison: Actor;
  handler: Actor;
  deputy: Actor;
  principal: Actor;
  /** The enterprise's paired leader (包联领导), not in charge of the department. */
  paired: Actor;
  enterpriseId: string;
}

/** Staff, a land department, a key enterprise and the drill policy, in one app's database. */
async function world(app: TestApp): Promise<World> {
  const manager = await actor(app, 'manager', 'manager');
  const liaison = await actor(app, 'liaison', 'liaison_officer');
  const deputy = await actor(app, 'deputy', 'deputy_leader');
  const principal = await actor(app, 'principal', 'principal_leader');
  const land = await createDepartment(app, '自然资源局', ['land'], deputy.id);
  const handler = await actor(app, 'handler', 'department_handler', land.id);
  const paired = await actor(app, 'paired', 'deputy_leader');
  const enterpriseId = (await createEnterprise(app, { isKey: true })).id;
  await createPairing(app, paired.id, enterpriseId);
  const [policy] = (await app.http.get('/api/v1/sla-policies').set('Authorization', manager.auth).expect(200)).body;
  expect(policy).toMatchObject({ mode: 'working_days', counting: 'legal' });
  const drill = await app.http.patch(`/api/v1/sla-policies/${policy.id}`).set('Authorization', manager.auth).send(DRILL).expect(200);
  // A drill counts elapsed time: changing the mode took that counting with it.
  expect(drill.body.counting).toBe('elapsed');
  return { app, manager, liaison, handler, deputy, principal, paired, enterpriseId };
}

const fileDemand = async (w: World, via: TestApp = w.app) =>
  (
    await via.http
      .post('/api/v1/tickets')
      .set('Authorization', w.liaison.auth)
      .send({ enterpriseId: w.enterpriseId, category: 'land', title: '扩建用地', channel: 'online' })
      .expect(201)
  ).body as { id: string; number: string };

const timelineOf = async (w: World, id: string): Promise<TimelineEvent[]> =>
  (await w.app.http.get(`/api/v1/tickets/${id}/timeline`).set('Authorization', w.manager.auth).expect(200)).body;

const ticketOf = async (w: World, id: string) =>
  (await w.app.http.get(`/api/v1/tickets/${id}`).set('Authorization', w.manager.auth).expect(200)).body;

const count = (events: TimelineEvent[], type: string) => events.filter((e) => e.type === type).length;

describe('the 1-2-3 rule, escalated by BullMQ', () => {
  let t: TestApp;
  let w: World;
  let manager: Actor;
  let liaison: Actor;
  let handler: Actor;
  let deputy: Actor;
  let principal: Actor;
  let paired: Actor;

  const timeline = (id: string) => timelineOf(w, id);
  const ticket = (id: string) => ticketOf(w, id);
  const inbox = async (who: Actor) =>
    (await t.http.get('/api/v1/notifications?limit=100').set('Authorization', who.auth).expect(200)).body.items as {
      type: string;
      ticketId: string;
    }[];

  beforeAll(async () => {
    t = await startTestApp({ env: FAST_SWEEP });
    w = await world(t);
    ({ manager, liaison, handler, deputy, principal, paired } = w);
  });

  afterAll(() => t?.close());

  it('escalates 1 → 2 → 3 → overdue with the right owners, timeline and notifications, then reminds', async () => {
    const { id } = await fileDemand(w);
    const filed = await ticket(id);
    expect(filed).toMatchObject({ tier: 1, status: 'assigned', nextEvent: 'warning' });
    const intake = Date.parse(filed.createdAt);
    expect(Date.parse(filed.tier1DueAt) - intake).toBeGreaterThanOrEqual(2900);
    expect(Date.parse(filed.tier3DueAt) - Date.parse(filed.tier1DueAt)).toBe(6000);

    const events = await until('overdue and a reminder', async () => {
      const all = await timeline(id);
      return count(all, 'overdue_reminder') >= 1 && all;
    });
    const escalations = events.filter((e) => e.type === 'escalated');
    expect(escalations.map((e) => [e.before?.tier, e.after?.tier, e.after?.owner])).toEqual([
      [1, 2, 'deputy_leader'],
      [2, 3, 'principal_leaders'],
    ]);
    expect(escalations[0].after?.assigneeId).toBe(deputy.id);
    // The SLA engine acted: no actor, no name.
    expect(escalations.map((e) => [e.actorId, e.actorName])).toEqual([[null, null], [null, null]]);
    expect(count(events, 'overdue')).toBe(1);

    const overdue = await ticket(id);
    expect(overdue).toMatchObject({ tier: 3, nextEvent: 'reminder', warned: true });
    expect(overdue.workingMsLeft).toBeLessThan(0);
    expect(overdue.overdueAt).not.toBeNull();
    expect(Date.parse(overdue.overdueAt)).toBeGreaterThanOrEqual(Date.parse(overdue.tier3DueAt));

    // Who hears what (README): one notice per person and event.
    const kinds = async (who: Actor) => (await inbox(who)).filter((n) => n.ticketId === id).map((n) => n.type).sort();
    const times = (all: string[], kind: string) => all.filter((k) => k === kind).length;
    const handlerHeard = await kinds(handler);
    expect(handlerHeard).toEqual(expect.arrayContaining(['ticket.warned', 'ticket.overdue', 'ticket.reminded']));
    expect(times(handlerHeard, 'ticket.escalated')).toBe(2);
    // The deputy held tier 2: still told once it is overdue, and reminded.
    const deputyHeard = await kinds(deputy);
    expect(deputyHeard).toEqual(expect.arrayContaining(['ticket.warned', 'ticket.overdue', 'ticket.reminded']));
    expect(times(deputyHeard, 'ticket.escalated')).toBe(2);
    const principalHeard = await kinds(principal);
    expect(times(principalHeard, 'ticket.escalated')).toBe(1);
    expect(principalHeard).toEqual(expect.arrayContaining(['ticket.overdue', 'ticket.reminded']));
    // The paired leader hears every escalation of their enterprise's demand, and the overdue.
    const pairedHeard = await kinds(paired);
    expect(times(pairedHeard, 'ticket.escalated')).toBe(2);
    expect(pairedHeard).toEqual(expect.arrayContaining(['ticket.overdue', 'ticket.reminded']));
    expect(pairedHeard).not.toContain('ticket.warned');
    // The liaison officer who logged it hears that it went to tier 2, not the rest.
    expect(await kinds(liaison)).toEqual(['ticket.escalated']);

    // The overdue filter finds it.
    const listed = await t.http.get('/api/v1/tickets?overdue=true').set('Authorization', manager.auth).expect(200);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(id);
  });

  it('counts working-day policies the legal way: the intake day is not counted, a tier ends at the close of its last day', async () => {
    const created = await t.http
      .post('/api/v1/sla-policies')
      .set('Authorization', manager.auth)
      .send({ name: '供电类', category: 'power', mode: 'working_days', budgets: [1, 2, 3] })
      .expect(201);
    expect(created.body.counting).toBe('legal');
    const { id } = (
      await t.http
        .post('/api/v1/tickets')
        .set('Authorization', liaison.auth)
        .send({ enterpriseId: w.enterpriseId, category: 'power', title: '增容', channel: 'online' })
        .expect(201)
    ).body;
    const filed = await ticket(id);
    const calendar = await t.app.get(CalendarService).workCalendar();
    const due = [filed.tier1DueAt, filed.tier2DueAt, filed.tier3DueAt].map((d: string) => new Date(d));
    expect(due).toEqual([1, 2, 3].map((n) => endOfWorkingDaysAfter(new Date(filed.createdAt), n, calendar)));
    // Whole days: each deadline is a Shanghai midnight (24:00 of its last day), at least the next midnight after intake.
    for (const d of due) expect(d.getTime() % 86_400_000).toBe(16 * 3600_000);
    const nextMidnight = Math.floor((Date.parse(filed.createdAt) + 8 * 3600_000) / 86_400_000 + 1) * 86_400_000 - 8 * 3600_000;
    expect(due[0].getTime()).toBeGreaterThan(nextMidnight);
  });

  it('loads the org directory of a ticket in one query: active people only, the current pairing, who held tier 2', async () => {
    const db = t.app.get(DataSource);
    const { id } = await fileDemand(w);
    const stored = await db.query('SELECT department_id AS "departmentId", enterprise_id AS "enterpriseId", paired_leader_id AS "pairedLeaderId" FROM tickets WHERE id = $1', [id]);
    const ticketRef = { id, ...stored[0] };
    const gone = await createUser(t, 'gone_leader', 'deputy_leader');
    const second = await createUser(t, 'second_holder', 'deputy_leader');
    await db.query('UPDATE users SET active = false WHERE id = $1', [gone.id]);
    const escalated = (before: string | null, after: string | null) =>
      db.query(`INSERT INTO ticket_events (ticket_id, type, before, after) VALUES ($1, 'escalated', $2, $3)`, [
        id,
        { tier: 2, assigneeId: before },
        { tier: 3, assigneeId: after },
      ]);
    await escalated(null, deputy.id);
    await escalated(deputy.id, gone.id);
    await escalated(gone.id, second.id);
    const queries: string[] = [];
    const runner = db.createQueryRunner();
    const query = runner.query.bind(runner);
    runner.query = ((sql: string, ...rest: unknown[]) => (queries.push(sql), query(sql, ...(rest as [])))) as typeof runner.query;
    try {
      const directory = await loadOrgDirectory(runner.manager, ticketRef);
      expect(queries).toHaveLength(1);
      expect(directory).toEqual({
        handlers: [handler.id],
        deputyInCharge: deputy.id,
        principals: [principal.id],
        managers: [manager.id],
        pairedLeader: paired.id,
        tier2Holders: [deputy.id, second.id],
      });
    } finally {
      await runner.release();
    }
  });

  it('validates the counting of a policy', async () => {
    const post = (body: object) => t.http.post('/api/v1/sla-policies').set('Authorization', manager.auth).send({ name: '用水类', category: 'water', ...body });
    const drillLegal = await post({ mode: 'duration', budgets: ['PT1S', 'PT2S', 'PT3S'], counting: 'legal' }).expect(400);
    expect(drillLegal.body.errors.map((e: { field: string }) => e.field)).toEqual(['counting']);
    const halfDay = await post({ mode: 'working_days', budgets: [0.5, 2, 3] }).expect(400);
    expect(halfDay.body.errors.map((e: { field: string }) => e.field)).toEqual(['budgets.0']);
    await post({ mode: 'working_days', budgets: [1, 2, 3], counting: 'calendar' }).expect(400);
    const elapsed = await post({ mode: 'working_days', budgets: [0.5, 2, 3], counting: 'elapsed' }).expect(201);
    expect(elapsed.body.counting).toBe('elapsed');
  });

  it('holds the clock while paused and gives the time back on resume', async () => {
    const { id } = await fileDemand(w);
    const before = await ticket(id);
    await t.http.post(`/api/v1/tickets/${id}/pause`).set('Authorization', handler.auth).send({ reason: '等待企业补充材料' }).expect(200);
    expect((await ticket(id)).status).toBe('paused');
    await sleep(4000);
    const paused = await ticket(id);
    expect(paused).toMatchObject({ tier: 1, status: 'paused', nextEvent: null });
    expect(count(await timeline(id), 'escalated')).toBe(0);

    const resumed = await t.http.post(`/api/v1/tickets/${id}/resume`).set('Authorization', liaison.auth).send({}).expect(200);
    expect(resumed.body.status).toBe('assigned');
    const shift = Date.parse(resumed.body.tier1DueAt) - Date.parse(before.tier1DueAt);
    expect(shift).toBeGreaterThanOrEqual(4000);
    const types = (await timeline(id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['created', 'pause', 'resume']));
    expect((await timeline(id)).find((e) => e.type === 'pause')?.note).toBe('等待企业补充材料');
  });

  it('lets a leader extend the current deadline, and refuses others', async () => {
    const { id } = await fileDemand(w);
    const current = await ticket(id);
    const newDeadline = new Date(Date.parse(current.tier1DueAt) + 5000).toISOString();
    await t.http.post(`/api/v1/tickets/${id}/extend`).set('Authorization', handler.auth).send({ reason: '需要', newDeadline }).expect(403);
    const earlier = new Date(Date.parse(current.tier1DueAt) - 1000).toISOString();
    const bad = await t.http.post(`/api/v1/tickets/${id}/extend`).set('Authorization', deputy.auth).send({ reason: '需要', newDeadline: earlier }).expect(400);
    expect(bad.body.errors[0].field).toBe('newDeadline');

    const extended = await t.http
      .post(`/api/v1/tickets/${id}/extend`)
      .set('Authorization', deputy.auth)
      .send({ reason: '涉及规划调整，需要多部门会商', newDeadline })
      .expect(200);
    expect(extended.body.tier1DueAt).toBe(newDeadline);
    expect(Date.parse(extended.body.tier2DueAt) - Date.parse(current.tier2DueAt)).toBe(5000);
    await sleep(Date.parse(current.tier1DueAt) - Date.now() + 1000);
    expect((await ticket(id)).tier).toBe(1);
    await until('the escalation after the new deadline', async () => (await ticket(id)).tier === 2);
  });

  it('stops the clock when resolved before the deadline', async () => {
    const { id } = await fileDemand(w);
    await t.http.post(`/api/v1/tickets/${id}/resolve`).set('Authorization', handler.auth).send({ resolution: '已协调落实用地指标' }).expect(200);
    const resolved = await ticket(id);
    expect(resolved).toMatchObject({ status: 'resolved', resolvedTier: 1, nextEvent: null });
    await sleep(3500);
    expect(count(await timeline(id), 'escalated')).toBe(0);
    expect((await ticket(id)).tier).toBe(1);
  });

  it('escalates exactly once when the worker dies between scheduling and firing', async () => {
    // A deployment of its own: an API process and a worker that goes away right after intake.
    const api = await startTestApp({ role: 'api', env: FAST_SWEEP });
    try {
      const other = await world(api);
      const early = await startTestApp({ joining: api, env: FAST_SWEEP });
      const { id } = await fileDemand(other);
      expect((await ticketOf(other, id)).nextEvent).toBe('warning');
      await early.close();
      await sleep(4000);
      expect((await ticketOf(other, id)).tier).toBe(1);
      // A worker starts late: it finds the overdue jobs (and the sweeper the rest) and acts once each.
      const worker = await startTestApp({ joining: api, env: FAST_SWEEP });
      try {
        await until('overdue', async () => (await ticketOf(other, id)).overdueAt !== null);
        const events = await timelineOf(other, id);
        expect([count(events, 'escalated'), count(events, 'overdue')]).toEqual([2, 1]);
      } finally {
        await worker.close();
      }
    } finally {
      await api.close();
    }
  });

  it('escalates exactly once with two workers and after Redis loses every job', async () => {
    const second = await startTestApp({ joining: t, env: FAST_SWEEP });
    try {
      const ids = await Promise.all([fileDemand(w), fileDemand(w, second), fileDemand(w)]).then((r) => r.map((x) => x.id));
      await sleep(200);
      await deleteQueueKeys(t.queuePrefix);
      for (const id of ids) {
        await until(`overdue of ${id}`, async () => (await ticket(id)).overdueAt !== null, 40);
      }
      for (const id of ids) {
        const events = await timeline(id);
        expect([count(events, 'escalated'), count(events, 'overdue')]).toEqual([2, 1]);
      }
    } finally {
      await second.close();
    }
  });

  it('shows the queue dashboard to admins only', async () => {
    const admin = await actor(t, 'admin', 'admin');
    const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    await t.http.get('/admin/queues').expect(401).expect('WWW-Authenticate', /Basic/);
    await t.http.get('/admin/queues').set('Authorization', basic('manager', PASSWORD)).expect(401);
    await t.http.get('/admin/queues').set('Authorization', basic('admin', 'wrong')).expect(401);
    await t.http.get('/admin/queues').set('Authorization', manager.auth).expect(401);
    const page = await t.http.get('/admin/queues').set('Authorization', basic('admin', PASSWORD)).expect(200);
    expect(page.text).toContain('<html');
    const queues = await t.http.get('/admin/queues/api/queues').set('Authorization', admin.auth).expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['digest', 'events', 'robots', 'sla', 'surveys', 'webhooks']);
  });

  it('takes demands while Redis is down and escalates them once it is back', async () => {
    const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    const port = await proxy.start();
    const cut = await startTestApp({ joining: t, role: 'api', redisUrl: `redis://127.0.0.1:${port}`, env: FAST_SWEEP });
    try {
      await proxy.cut();
      const started = Date.now();
      const { id } = await fileDemand(w, cut);
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await t.app.get(DataSource).query('SELECT next_event FROM tickets WHERE id = $1', [id]))[0].next_event).toBe('warning');
      await until('tier 2 after the sweeper caught up', async () => (await ticket(id)).tier >= 2);
      expect(count(await timeline(id), 'escalated')).toBeGreaterThanOrEqual(1);
    } finally {
      await proxy.restore();
      await cut.close();
      await proxy.cut();
    }
  });
});
