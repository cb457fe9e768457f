import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { Department } from '../src/departments/entities/department.entity';
import type { Enterprise } from '../src/enterprises/entities/enterprise.entity';
import { type Actor, actor, createDepartment, createEnterprise, createPairing } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

interface TicketBody {
  id: string;
  title: string;
  status: string;
  tier: number;
  version: number;
  dueAt: string | null;
  resolvedAt: string | null;
  updatedAt: string;
  warned: boolean;
  overdueAt: string | null;
  owner: { users: { id: string }[] };
}

const VIEWS = ['open', 'warned', 'overdue', 'awaiting_survey', 'handled'] as const;
type View = (typeof VIEWS)[number];

describe('the work queue', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Actor;
  let manager: Actor;
  let principal: Actor;
  let landDeputy: Actor;
  let pairedDeputy: Actor;
  let landHandler: Actor;
  let liaison: Actor;
  let landDept: Department;
  let enterprise: Enterprise;
  const ids: Record<string, string> = {};

  const file = async (title: string, fields: object = {}) =>
    (
      await t.http
        .post('/api/v1/tickets')
        .set('Authorization', liaison.auth)
        .send({ enterpriseId: enterprise.id, channel: 'online', category: 'land', title, ...fields })
        .expect(201)
    ).body as TicketBody;
  const act = async (who: Actor, id: string, action: string, body: object = {}) => {
    const current = (await t.http.get(`/api/v1/tickets/${id}`).set('Authorization', admin.auth).expect(200)).body as TicketBody;
    return (await t.http.post(`/api/v1/tickets/${id}/${action}`).set('Authorization', who.auth).send({ ...body, version: current.version }).expect(200))
      .body as TicketBody;
  };
  const page = async (who: Actor, query: Record<string, string | number>) =>
    (await t.http.get('/api/v1/tickets/queue').query(query).set('Authorization', who.auth).expect(200)).body as {
      items: TicketBody[];
      nextCursor: string | null;
    };
  /** Every ticket of a view, page by page. */
  const all = async (who: Actor, query: Record<string, string | number>) => {
    const items: TicketBody[] = [];
    let cursor: string | null = null;
    do {
      const next = await page(who, { ...query, limit: 2, ...(cursor ? { cursor } : {}) });
      items.push(...next.items);
      cursor = next.nextCursor;
    } while (cursor);
    return items;
  };
  const counts = async (who: Actor, query: Record<string, string> = {}) =>
    (await t.http.get('/api/v1/tickets/queue/counts').query(query).set('Authorization', who.auth).expect(200)).body as Record<string, number>;
  /** Every ticket the caller may see, from the list. */
  const visible = async (who: Actor) =>
    (await t.http.get('/api/v1/tickets').query({ limit: 100 }).set('Authorization', who.auth).expect(200)).body.items as TicketBody[];

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await actor(t, 'admin1', 'admin');
    manager = await actor(t, 'manager1', 'manager');
    principal = await actor(t, 'principal1', 'principal_leader');
    landDeputy = await actor(t, 'landdeputy', 'deputy_leader');
    pairedDeputy = await actor(t, 'paired', 'deputy_leader');
    liaison = await actor(t, 'liaison1', 'liaison_officer');
    landDept = await createDepartment(t, '自然资源局', ['land'], landDeputy.id);
    // Nobody handles power: its tier-1 demands fall to the managers.
    await createDepartment(t, '供电公司', ['power']);
    landHandler = await actor(t, 'land1', 'department_handler', landDept.id);
    enterprise = await createEnterprise(t, { name: '晋中精密制造有限公司' });
    await createPairing(t, pairedDeputy.id, enterprise.id);

    // Tier 1 of land: the land handler's.
    for (const n of [1, 2, 3, 4, 5]) ids[`land${n}`] = (await file(`用地 ${n}`)).id;
    ids.power = (await file('用电增容', { category: 'power' })).id;
    ids.returned = (await file('退回的诉求')).id;
    await act(landHandler, ids.returned, 'return', { reason: '不属本部门' });
    // Filed at tier 2 (the department's deputy, by the default policy) and tier 3 (the principal leaders).
    ids.tier2 = (await file('二级诉求', { startingTier: 2 })).id;
    ids.tier3 = (await file('三级诉求', { startingTier: 3 })).id;
    // Tier 2 of a department without a deputy: the paired leader, or with none the principal leaders.
    ids.pairedTier2 = (await file('包联领导的二级诉求', { category: 'power', startingTier: 2 })).id;
    const unpaired = await createEnterprise(t, { name: '无包联企业' });
    ids.unpairedTier2 = (await file('无人承接的二级诉求', { category: 'power', startingTier: 2, enterpriseId: unpaired.id })).id;
    ids.resolved = (await file('已办结待评价')).id;
    await act(landHandler, ids.resolved, 'resolve', { resolution: '已协调' });
    ids.closed = (await file('已关闭')).id;
    await act(landHandler, ids.closed, 'resolve', { resolution: '已协调' });
    await t.http.post(`/api/v1/tickets/${ids.closed}/survey-answer`).set('Authorization', manager.auth).send({ answer: 'satisfied' }).expect(200);
    // Past the warning point: one the engine recorded, one whose warning is due but not handled yet.
    await db.query(`UPDATE tickets SET warned_tier = tier WHERE id = $1`, [ids.land2]);
    await db.query(`UPDATE tickets SET next_event = 'warning', next_event_at = now() - interval '1 minute' WHERE id = $1`, [ids.land3]);
    // Past the last deadline.
    await db.query(`UPDATE tickets SET warned_tier = 3, overdue_at = tier3_due_at, tier3_due_at = now() - interval '1 hour' WHERE id = $1`, [ids.tier3]);
  });

  afterAll(() => t?.close());

  it('shows each person what they hold now, exactly as owner.users says, most urgent first', async () => {
    for (const who of [admin, manager, principal, landDeputy, pairedDeputy, landHandler, liaison]) {
      const holding = (await visible(who)).filter((ticket) => ticket.owner.users.some((u) => u.id === who.id)).map((ticket) => ticket.id);
      const open = await all(who, { view: 'open' });
      expect({ who: who.username, open: open.map((ticket) => ticket.id).sort() }).toEqual({ who: who.username, open: holding.sort() });
      const due = open.map((ticket) => ticket.dueAt ?? '9999');
      expect(due).toEqual([...due].sort());
    }
    expect((await all(landHandler, { view: 'open' })).map((ticket) => ticket.id).sort()).toEqual(
      [ids.land1, ids.land2, ids.land3, ids.land4, ids.land5].sort(),
    );
    expect((await all(manager, { view: 'open' })).map((ticket) => ticket.id).sort()).toEqual([ids.power, ids.returned].sort());
    expect((await all(landDeputy, { view: 'open' })).map((ticket) => ticket.id)).toEqual([ids.tier2]);
    expect((await all(principal, { view: 'open' })).map((ticket) => ticket.id).sort()).toEqual([ids.tier3, ids.unpairedTier2].sort());
    expect((await all(pairedDeputy, { view: 'open' })).map((ticket) => ticket.id)).toEqual([ids.pairedTier2]);
  });

  it('splits out the warned and the overdue, as their tickets say', async () => {
    const warned = await all(landHandler, { view: 'warned' });
    expect(warned.map((ticket) => ticket.id).sort()).toEqual([ids.land2, ids.land3].sort());
    for (const ticket of warned) expect(ticket.warned).toBe(true);
    expect(await all(landHandler, { view: 'overdue' })).toEqual([]);

    const overdue = await all(principal, { view: 'overdue' });
    expect(overdue.map((ticket) => ticket.id)).toEqual([ids.tier3]);
    expect(overdue[0]).toMatchObject({ warned: true, overdueAt: expect.any(String) });
    // Overdue is not also "warned" in the queue.
    expect(await all(principal, { view: 'warned' })).toEqual([]);
  });

  it('keeps what you resolved or held for the survey, and everything you handled', async () => {
    expect((await all(landHandler, { view: 'awaiting_survey' })).map((ticket) => ticket.id)).toEqual([ids.resolved]);
    const handled = (await all(landHandler, { view: 'handled' })).map((ticket) => ticket.id);
    // Held now, handed back (held before), resolved, closed.
    expect(handled.sort()).toEqual([ids.land1, ids.land2, ids.land3, ids.land4, ids.land5, ids.returned, ids.resolved, ids.closed].sort());
    const times = (await all(landHandler, { view: 'handled' })).map((ticket) => ticket.updatedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(await all(manager, { view: 'awaiting_survey' })).toEqual([]);
  });

  it('takes the list\'s filters, within the scope', async () => {
    expect((await all(landHandler, { view: 'handled', status: 'closed' })).map((ticket) => ticket.id)).toEqual([ids.closed]);
    expect((await all(landHandler, { view: 'open', q: '用地 4' })).map((ticket) => ticket.id)).toEqual([ids.land4]);
    expect(await all(landHandler, { view: 'open', category: 'power' })).toEqual([]);
    expect((await all(manager, { view: 'open', category: 'power' })).map((ticket) => ticket.id)).toEqual([ids.power]);
    expect(await all(manager, { view: 'open', tier: 3 })).toEqual([]);
    expect((await all(principal, { view: 'open', enterpriseId: enterprise.id })).map((ticket) => ticket.id)).toEqual([ids.tier3]);
    expect((await all(principal, { view: 'open', tier: 2 })).map((ticket) => ticket.id)).toEqual([ids.unpairedTier2]);
    expect(await all(principal, { view: 'open', departmentId: landDept.id, tier: 1 })).toEqual([]);

    for (const query of [{ view: 'mine' }, { view: 'open', sort: 'dueAt' }, { view: 'open', cursor: 'not-a-cursor' }, { view: 'open', limit: 0 }]) {
      const res = await t.http.get('/api/v1/tickets/queue').query(query).set('Authorization', landHandler.auth).expect(400);
      expect(res.body.code).toBe('validation_failed');
    }
    await t.http.get('/api/v1/tickets/queue/counts').query({ view: 'open' }).set('Authorization', landHandler.auth).expect(400);
  });

  it('counts each view as its pages hold it, with the same filters', async () => {
    for (const who of [manager, principal, landDeputy, landHandler, liaison]) {
      for (const filters of [{}, { tier: '1' }, { q: '用地' }] as Record<string, string>[]) {
        const expected: Record<string, number> = {};
        for (const view of VIEWS) expected[view === 'awaiting_survey' ? 'awaitingSurvey' : view] = (await all(who, { ...filters, view })).length;
        expect({ who: who.username, filters, counts: await counts(who, filters) }).toEqual({ who: who.username, filters, counts: expected });
      }
    }
    expect(await counts(landHandler)).toEqual({ open: 5, warned: 2, overdue: 0, awaitingSurvey: 1, handled: 8 });
  });

  it('pages stably while tickets change: no ticket whose sort key stayed is repeated or skipped', async () => {
    const check = async (view: View, change: (seen: TicketBody[], unseen: TicketBody[]) => Promise<string[]>) => {
      const before = await all(landHandler, { view });
      const first = await page(landHandler, { view, limit: 2 });
      const seenIds = new Set(first.items.map((ticket) => ticket.id));
      const changed = await change(first.items, before.filter((ticket) => !seenIds.has(ticket.id)));
      const rest = await all(landHandler, { view, cursor: first.nextCursor! });
      const got = [...first.items, ...rest].map((ticket) => ticket.id).filter((id) => !changed.includes(id));
      expect(new Set(got).size).toBe(got.length);
      expect(got.sort()).toEqual(before.map((ticket) => ticket.id).filter((id) => !changed.includes(id)).sort());
    };
    // Open: one seen and one unseen ticket get later and earlier deadlines.
    await check('open', async (seen, unseen) => {
      await db.query(`UPDATE tickets SET due_at = due_at + interval '30 days' WHERE id = $1`, [seen[0].id]);
      await db.query(`UPDATE tickets SET due_at = due_at - interval '30 days' WHERE id = $1`, [unseen[unseen.length - 1].id]);
      return [seen[0].id, unseen[unseen.length - 1].id];
    });
    // Handled, latest change first: a correction moves a seen and an unseen ticket to the front.
    await check('handled', async (seen, unseen) => {
      for (const ticket of [seen[1], unseen[0]]) {
        await t.http.patch(`/api/v1/tickets/${ticket.id}`).set('Authorization', admin.auth).send({ title: `${ticket.title}（更正）`, version: ticket.version }).expect(200);
      }
      return [seen[1].id, unseen[0].id];
    });
  });
});
