import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { Pairing } from '../src/pairings/entities/pairing.entity';
import { type Actor, actor, createEnterprise, createUser } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** 00:30 on 1 July in Shanghai, still 30 June in UTC: "today" must be the Shanghai day. */
const NOW = new Date('2026-06-30T16:30:00Z');
const TODAY = '2026-07-01';

describe('pairings', () => {
  let t: TestApp;
  let manager: Actor;
  let admin: Actor;
  let liaison: Actor;
  let deputy: Actor;
  let principal: Actor;
  let leaderSeq = 0;

  const pair = (who: Actor, body: object) => t.http.post('/api/v1/pairings').set('Authorization', who.auth).send(body);
  const end = (who: Actor, id: string, body: object) =>
    t.http.post(`/api/v1/pairings/${id}/end`).set('Authorization', who.auth).send(body);
  const list = async (query: Record<string, string | boolean>) =>
    (await t.http.get('/api/v1/pairings').query(query).set('Authorization', liaison.auth).expect(200)).body;
  const pairingsOf = (where: { leaderId?: string; enterpriseId?: string }) =>
    t.app.get(DataSource).getRepository(Pairing).countBy(where);
  const newLeader = async () => (await createUser(t, `leader${++leaderSeq}`, 'deputy_leader')).id;

  beforeAll(async () => {
    t = await startTestApp({ env: { PAIRING_MAX_KEY_ENTERPRISES: '2' } });
    jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(NOW);
    manager = await actor(t, 'manager1', 'manager');
    admin = await actor(t, 'admin1', 'admin');
    liaison = await actor(t, 'liaison1', 'liaison_officer');
    deputy = await actor(t, 'deputy1', 'deputy_leader');
    principal = await actor(t, 'principal1', 'principal_leader');
  });

  afterAll(() => t?.close());

  it('pairs a leader with an enterprise from today in Shanghai by default', async () => {
    const enterprise = await createEnterprise(t, { isKey: true });
    const res = await pair(manager, { leaderId: deputy.id, enterpriseId: enterprise.id }).expect(201);
    expect(res.body).toMatchObject({
      leaderId: deputy.id,
      enterpriseId: enterprise.id,
      startedOn: TODAY,
      endedOn: null,
      endReason: null,
      createdBy: manager.id,
    });
    const backdated = await pair(admin, {
      leaderId: principal.id,
      enterpriseId: (await createEnterprise(t)).id,
      startedOn: '2025-11-03',
    }).expect(201);
    expect(backdated.body.startedOn).toBe('2025-11-03');
  });

  it('refuses non-leaders, unknown enterprises and bad or future start days with 400', async () => {
    const enterprise = await createEnterprise(t);
    const cases: [object, string][] = [
      [{ leaderId: liaison.id, enterpriseId: enterprise.id }, 'leaderId'],
      [{ leaderId: deputy.id, enterpriseId: '00000000-0000-4000-8000-000000000000' }, 'enterpriseId'],
      [{ leaderId: deputy.id, enterpriseId: enterprise.id, startedOn: '2026-07-02' }, 'startedOn'],
      [{ leaderId: deputy.id, enterpriseId: enterprise.id, startedOn: '2026-02-30' }, 'startedOn'],
      [{ leaderId: deputy.id, enterpriseId: enterprise.id, startedOn: '1/7/2026' }, 'startedOn'],
    ];
    for (const [body, field] of cases) {
      const res = await pair(manager, body).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    }
    expect(await pairingsOf({ enterpriseId: enterprise.id })).toBe(0);
  });

  it('refuses a second active leader for one enterprise with 409, also when both arrive at once', async () => {
    const enterprise = await createEnterprise(t);
    await pair(manager, { leaderId: deputy.id, enterpriseId: enterprise.id }).expect(201);
    const second = await pair(manager, { leaderId: principal.id, enterpriseId: enterprise.id }).expect(409);
    expect(second.body.code).toBe('enterprise_already_paired');

    const contested = await createEnterprise(t);
    const leaders = await Promise.all([newLeader(), newLeader(), newLeader()]);
    const results = await Promise.all(
      leaders.map((leaderId) => pair(manager, { leaderId, enterpriseId: contested.id })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409)) {
      expect(refused.body.code).toBe('enterprise_already_paired');
    }
    expect(await pairingsOf({ enterpriseId: contested.id })).toBe(1);
  });

  it('refuses a leader more key enterprises than the limit with 422 and writes nothing', async () => {
    const leaderId = await newLeader();
    for (let i = 0; i < 2; i++) {
      await pair(manager, { leaderId, enterpriseId: (await createEnterprise(t, { isKey: true })).id }).expect(201);
    }
    const third = await createEnterprise(t, { isKey: true });
    const refused = await pair(manager, { leaderId, enterpriseId: third.id }).expect(422);
    expect(refused.body).toMatchObject({ code: 'pairing_limit_reached', limit: 2 });
    expect(await pairingsOf({ leaderId })).toBe(2);
    expect(await pairingsOf({ enterpriseId: third.id })).toBe(0);

    // Only key enterprises count.
    await pair(manager, { leaderId, enterpriseId: (await createEnterprise(t)).id }).expect(201);
  });

  it('keeps to the limit when one leader is paired with several key enterprises at once', async () => {
    const leaderId = await newLeader();
    const enterprises = await Promise.all([1, 2, 3, 4].map(() => createEnterprise(t, { isKey: true })));
    const results = await Promise.all(enterprises.map((e) => pair(manager, { leaderId, enterpriseId: e.id })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 422, 422]);
    expect(await pairingsOf({ leaderId })).toBe(2);
  });

  describe('ending and history', () => {
    let enterpriseId: string;
    let first: { id: string };
    let second: { id: string };

    beforeAll(async () => {
      enterpriseId = (await createEnterprise(t, { isKey: true })).id;
    });

    it('ends a pairing on a day between its start and today, once', async () => {
      first = (await pair(manager, { leaderId: deputy.id, enterpriseId, startedOn: '2026-01-05' }).expect(201)).body;
      for (const endedOn of ['2026-01-04', '2026-07-02', 'soon']) {
        const res = await end(manager, first.id, { endedOn }).expect(400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'endedOn' })]);
      }
      const ended = await end(admin, first.id, { endedOn: '2026-05-01', reason: '领导岗位调整' }).expect(200);
      expect(ended.body).toMatchObject({ id: first.id, startedOn: '2026-01-05', endedOn: '2026-05-01', endReason: '领导岗位调整' });
      const again = await end(manager, first.id, { endedOn: '2026-05-02' }).expect(409);
      expect(again.body.code).toBe('conflict');
      await end(manager, '00000000-0000-4000-8000-000000000000', { endedOn: '2026-05-02' }).expect(404);
    });

    it('pairs the enterprise again, from the day the last pairing ended at the earliest', async () => {
      const overlap = await pair(manager, { leaderId: principal.id, enterpriseId, startedOn: '2026-04-30' }).expect(400);
      expect(overlap.body.errors).toEqual([expect.objectContaining({ field: 'startedOn' })]);
      second = (await pair(manager, { leaderId: principal.id, enterpriseId, startedOn: '2026-05-01' }).expect(201)).body;
    });

    it('lists the history: in force on a day, active or ended, by leader', async () => {
      const ids = (page: { items: { id: string }[] }) => page.items.map((p) => p.id);
      expect(ids(await list({ enterpriseId }))).toEqual([second.id, first.id]);
      expect(ids(await list({ enterpriseId, at: '2026-01-04' }))).toEqual([]);
      expect(ids(await list({ enterpriseId, at: '2026-01-05' }))).toEqual([first.id]);
      expect(ids(await list({ enterpriseId, at: '2026-04-30' }))).toEqual([first.id]);
      expect(ids(await list({ enterpriseId, at: '2026-05-01' }))).toEqual([second.id]);
      expect(ids(await list({ enterpriseId, active: false }))).toEqual([first.id]);
      expect(ids(await list({ enterpriseId, active: true }))).toEqual([second.id]);
      expect(ids(await list({ enterpriseId, leaderId: deputy.id }))).toEqual([first.id]);

      const page = await list({ leaderId: deputy.id, limit: '1' });
      expect(page.items).toHaveLength(1);
      expect(page.total).toBe(await pairingsOf({ leaderId: deputy.id }));

      await t.http.get('/api/v1/pairings').query({ at: '2026-13-01' }).set('Authorization', liaison.auth).expect(400);
      await t.http.get('/api/v1/pairings').query({ active: 'yes' }).set('Authorization', liaison.auth).expect(400);
    });

    it('frees a key slot when a pairing ends', async () => {
      const leaderId = await newLeader();
      const held = [];
      for (let i = 0; i < 2; i++) {
        const enterprise = await createEnterprise(t, { isKey: true });
        held.push((await pair(manager, { leaderId, enterpriseId: enterprise.id, startedOn: '2026-06-01' }).expect(201)).body);
      }
      const next = await createEnterprise(t, { isKey: true });
      await pair(manager, { leaderId, enterpriseId: next.id }).expect(422);
      await end(manager, held[0].id, { endedOn: TODAY }).expect(200);
      await pair(manager, { leaderId, enterpriseId: next.id }).expect(201);
    });
  });

  it('lets managers and admins pair and end, and every signed-in user read', async () => {
    const enterprise = await createEnterprise(t);
    for (const who of [liaison, deputy, principal]) {
      const res = await pair(who, { leaderId: deputy.id, enterpriseId: enterprise.id }).expect(403);
      expect(res.body.code).toBe('forbidden');
    }
    const pairing = (await pair(manager, { leaderId: deputy.id, enterpriseId: enterprise.id }).expect(201)).body;
    await end(deputy, pairing.id, { endedOn: TODAY }).expect(403);
    await t.http.get('/api/v1/pairings').set('Authorization', deputy.auth).expect(200);
    const anonymous = await t.http.get('/api/v1/pairings').expect(401);
    expect(anonymous.body.code).toBe('unauthenticated');
    await t.http.post('/api/v1/pairings').send({ leaderId: deputy.id, enterpriseId: enterprise.id }).expect(401);
  });

  describe('a leader’s enterprises', () => {
    const engage = async (enterpriseId: string, occurredAt: string) => {
      const dataSource = t.app.get(DataSource);
      const [{ id }] = await dataSource.query(
        `INSERT INTO engagements (type, occurred_at, created_by) VALUES ('visit', $1, $2) RETURNING id`,
        [occurredAt, liaison.id],
      );
      await dataSource.query(
        'INSERT INTO engagement_enterprises (engagement_id, enterprise_id, occurred_at) VALUES ($1, $2, $3)',
        [id, enterpriseId, occurredAt],
      );
    };

    it('lists the current ones with the last engagement with each, null when none', async () => {
      const leader = await actor(t, 'deputy-listed', 'deputy_leader');
      const visited = await createEnterprise(t, { name: 'A 甲企业', isKey: true });
      const unvisited = await createEnterprise(t, { name: 'B 乙企业' });
      const former = await createEnterprise(t, { name: 'C 丙企业' });
      const pairSince = async (enterpriseId: string, startedOn?: string) =>
        (await pair(manager, { leaderId: leader.id, enterpriseId, startedOn }).expect(201)).body;
      const visitedPairing = await pairSince(visited.id, '2026-02-01');
      await pairSince(unvisited.id);
      const formerPairing = await pairSince(former.id, '2026-02-01');
      await end(manager, formerPairing.id, { endedOn: '2026-03-01' }).expect(200);
      await engage(visited.id, '2026-03-10T02:00:00Z');
      await engage(visited.id, '2026-04-02T02:30:00Z');
      await engage(former.id, '2026-04-05T02:30:00Z');

      const res = await t.http.get(`/api/v1/leaders/${leader.id}/enterprises`).set('Authorization', liaison.auth).expect(200);
      expect(res.body).toEqual([
        {
          pairingId: visitedPairing.id,
          pairedSince: '2026-02-01',
          enterprise: expect.objectContaining({ id: visited.id, name: 'A 甲企业', isKey: true }),
          lastEngagementAt: '2026-04-02T02:30:00.000Z',
        },
        {
          pairingId: expect.any(String),
          pairedSince: TODAY,
          enterprise: expect.objectContaining({ id: unvisited.id, name: 'B 乙企业', isKey: false }),
          lastEngagementAt: null,
        },
      ]);
    });

    it('answers 404 for someone who is not a leader', async () => {
      for (const id of [liaison.id, '00000000-0000-4000-8000-000000000000']) {
        const res = await t.http.get(`/api/v1/leaders/${id}/enterprises`).set('Authorization', liaison.auth).expect(404);
        expect(res.body.code).toBe('not_found');
      }
      await t.http.get('/api/v1/leaders/nope/enterprises').set('Authorization', liaison.auth).expect(400);
    });
  });
});
