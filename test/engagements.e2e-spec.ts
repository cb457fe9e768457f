import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { Department } from '../src/departments/entities/department.entity';
import type { Enterprise } from '../src/enterprises/entities/enterprise.entity';
import {
  type Actor,
  actor,
  countRows,
  createDepartment,
  createEnterprise,
  createPairing,
  timeless,
} from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const WRITTEN_TABLES = ['engagements', 'engagement_enterprises', 'tickets', 'ticket_events'];

describe('engagements', () => {
  let t: TestApp;
  let principal: Actor;
  let liaison: Actor;
  let officialLiaison: Actor;
  let assignedLiaison: Actor;
  let strangerLiaison: Actor;
  let landHandler: Actor;
  let gasHandler: Actor;
  let landDeputy: Actor;
  let pairedDeputy: Actor;
  let officialDeputy: Actor;
  let landDept: Department;
  let first: Enterprise;
  let second: Enterprise;

  const log = (who: Actor, body: object) => t.http.post('/api/v1/engagements').set('Authorization', who.auth).send(body);
  const engagement = (fields: object = {}) => ({
    type: 'evening_salon',
    occurredAt: '2026-05-12T19:30:00+08:00',
    place: '企业家之家',
    enterpriseIds: [first.id, second.id],
    notes: '两家企业参加',
    demands: [
      { enterpriseId: first.id, category: 'land', title: '用地指标' },
      { enterpriseId: second.id, category: 'power', title: '增容', startingTier: 2 },
    ],
    ...fields,
  });
  /** Row counts, and the ticket number counter: a rolled-back intake gives its number back. */
  const snapshot = async () => {
    const [{ lastNumber }] = await t.app
      .get(DataSource)
      .query('SELECT coalesce(sum(last_value), 0)::int AS "lastNumber" FROM ticket_number_counters');
    const counts = await Promise.all(WRITTEN_TABLES.map(async (table) => [table, await countRows(t, table)]));
    return { ...Object.fromEntries(counts), lastNumber };
  };

  beforeAll(async () => {
    t = await startTestApp();
    principal = await actor(t, 'principal1', 'principal_leader');
    liaison = await actor(t, 'liaison1', 'liaison_officer');
    officialLiaison = await actor(t, 'liaison2', 'liaison_officer');
    assignedLiaison = await actor(t, 'liaison3', 'liaison_officer');
    strangerLiaison = await actor(t, 'liaison4', 'liaison_officer');
    landDeputy = await actor(t, 'deputy1', 'deputy_leader');
    pairedDeputy = await actor(t, 'deputy2', 'deputy_leader');
    officialDeputy = await actor(t, 'deputy3', 'deputy_leader');
    landDept = await createDepartment(t, '自然资源局', ['land'], landDeputy.id);
    const gasDept = await createDepartment(t, '燃气公司', ['gas']);
    await createDepartment(t, '供电公司', ['power']);
    landHandler = await actor(t, 'land1', 'department_handler', landDept.id);
    gasHandler = await actor(t, 'gas1', 'department_handler', gasDept.id);
    first = await createEnterprise(t, { name: '晋中精密制造有限公司' });
    second = await createEnterprise(t, { name: '太原新材料股份有限公司', liaisonOfficerId: assignedLiaison.id });
    await createPairing(t, pairedDeputy.id, second.id);
  });

  afterAll(() => t?.close());

  it('logs an engagement with its enterprises and demands in one request', async () => {
    const res = await log(liaison, engagement({ officialIds: [officialLiaison.id, officialDeputy.id] })).expect(201);
    expect(res.body).toMatchObject({
      type: 'evening_salon',
      occurredAt: '2026-05-12T11:30:00.000Z',
      place: '企业家之家',
      officialIds: [officialLiaison.id, officialDeputy.id],
      enterpriseIds: [first.id, second.id].sort(),
      createdBy: liaison.id,
    });
    expect(res.body.tickets).toEqual([
      expect.objectContaining({ enterpriseId: first.id, category: 'land', departmentId: landDept.id, status: 'assigned', tier: 1 }),
      expect.objectContaining({ enterpriseId: second.id, category: 'power', pairedLeaderId: pairedDeputy.id, tier: 2 }),
    ]);
    for (const ticket of res.body.tickets) expect(ticket).toMatchObject({ engagementId: res.body.id, channel: 'evening_salon' });

    const present = await t.app
      .get(DataSource)
      .query('SELECT enterprise_id, occurred_at FROM engagement_enterprises WHERE engagement_id = $1', [res.body.id]);
    expect(present).toHaveLength(2);
    for (const row of present) expect(row.occurred_at.toISOString()).toBe('2026-05-12T11:30:00.000Z');

    const read = await t.http.get(`/api/v1/engagements/${res.body.id}`).set('Authorization', liaison.auth).expect(200);
    expect(timeless(read.body)).toEqual(timeless(res.body));
  });

  it('writes all or nothing and names the offending field', async () => {
    const before = await snapshot();
    const cases: [object, string][] = [
      [engagement({ type: 'karaoke' }), 'type'],
      [engagement({ occurredAt: '2026-02-30T10:00:00Z' }), 'occurredAt'],
      [engagement({ occurredAt: '-2026-05-12T10:00:00Z' }), 'occurredAt'],
      [engagement({ enterpriseIds: [] }), 'enterpriseIds'],
      [engagement({ enterpriseIds: [first.id, first.id.toUpperCase()] }), 'enterpriseIds'],
      [engagement({ enterpriseIds: [first.id, UNKNOWN_ID], demands: [] }), 'enterpriseIds'],
      [engagement({ officialIds: [UNKNOWN_ID] }), 'officialIds'],
      [engagement({ enterpriseIds: [first.id] }), 'demands.1.enterpriseId'],
      [engagement({ demands: [{ enterpriseId: first.id, category: 'moon', title: 'x' }] }), 'demands.0.category'],
      // The first demand is already written when the second fails: the transaction takes it back.
      [
        engagement({
          demands: [
            { enterpriseId: first.id, category: 'land', title: '用地' },
            { enterpriseId: second.id, category: 'power', title: '用电', departmentId: UNKNOWN_ID },
          ],
        }),
        'demands.1.departmentId',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await log(liaison, body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    expect((await log(landHandler, engagement()).expect(403)).body.code).toBe('forbidden');
    expect((await t.http.post('/api/v1/engagements').send(engagement()).expect(401)).body.code).toBe('unauthenticated');
    expect(await snapshot()).toEqual(before);
  });

  it('shows each role the engagements in its scope, and 404 for the others', async () => {
    const third = await createEnterprise(t);
    const logged = (await log(liaison, engagement({ officialIds: [officialLiaison.id, officialDeputy.id] })).expect(201)).body;
    const gasOnly = (
      await log(principal, {
        type: 'site_office_meeting',
        occurredAt: '2026-05-13T09:00:00+08:00',
        enterpriseIds: [third.id],
        demands: [{ enterpriseId: third.id, category: 'gas', title: '燃气管网接入' }],
      }).expect(201)
    ).body;
    const sees = async (who: Actor) => {
      const page = await t.http.get('/api/v1/engagements').query({ limit: 100 }).set('Authorization', who.auth).expect(200);
      const ids = page.body.items.map((item: { id: string }) => item.id);
      return [logged.id, gasOnly.id].filter((id) => ids.includes(id));
    };

    expect(await sees(liaison)).toEqual([logged.id]);
    expect(await sees(officialLiaison)).toEqual([logged.id]);
    expect(await sees(assignedLiaison)).toEqual([logged.id]);
    expect(await sees(strangerLiaison)).toEqual([]);
    expect(await sees(landHandler)).toEqual([logged.id]);
    expect(await sees(gasHandler)).toEqual([gasOnly.id]);
    expect(await sees(landDeputy)).toEqual([logged.id]);
    expect(await sees(pairedDeputy)).toEqual([logged.id]);
    expect(await sees(officialDeputy)).toEqual([logged.id]);
    expect(await sees(principal)).toEqual([logged.id, gasOnly.id]);

    for (const who of [strangerLiaison, gasHandler]) {
      const res = await t.http.get(`/api/v1/engagements/${logged.id}`).set('Authorization', who.auth).expect(404);
      expect(res.body.code).toBe('not_found');
    }
    // A handler sees the engagement but only the demands of their department.
    const forHandler = await t.http.get(`/api/v1/engagements/${logged.id}`).set('Authorization', landHandler.auth).expect(200);
    expect(forHandler.body.tickets.map((ticket: { category: string }) => ticket.category)).toEqual(['land']);
  });

  it('filters by type, enterprise and period, and pages most recent first', async () => {
    const regular = await createEnterprise(t);
    const dates = ['2026-03-01', '2026-03-08', '2026-03-15', '2026-03-22', '2026-03-29'];
    for (const day of dates) {
      await log(liaison, { type: 'breakfast_meeting', occurredAt: `${day}T07:30:00+08:00`, enterpriseIds: [regular.id] }).expect(201);
    }
    const list = async (query: Record<string, string | number>) =>
      (await t.http.get('/api/v1/engagements').query(query).set('Authorization', liaison.auth).expect(200)).body;
    const days = (page: { items: { occurredAt: string }[] }) => page.items.map((item) => item.occurredAt.slice(0, 10));

    const firstPage = await list({ enterpriseId: regular.id, limit: 3 });
    expect(days(firstPage)).toEqual(['2026-03-28', '2026-03-21', '2026-03-14']);
    const secondPage = await list({ enterpriseId: regular.id, limit: 3, cursor: firstPage.nextCursor });
    expect(days(secondPage)).toEqual(['2026-03-07', '2026-02-28']);
    expect(secondPage.nextCursor).toBeNull();
    expect(firstPage.items[0].enterpriseIds).toEqual([regular.id]);

    expect(days(await list({ enterpriseId: regular.id, from: '2026-03-08T00:00:00+08:00', to: '2026-03-22T00:00:00+08:00' }))).toEqual([
      '2026-03-14',
      '2026-03-07',
    ]);
    expect((await list({ enterpriseId: regular.id, type: 'visit' })).items).toEqual([]);
    await t.http.get('/api/v1/engagements').query({ type: 'karaoke' }).set('Authorization', liaison.auth).expect(400);
    await t.http.get('/api/v1/engagements').query({ from: 'last week' }).set('Authorization', liaison.auth).expect(400);
  });

  it('replays a retried engagement with the same Idempotency-Key instead of logging it twice', async () => {
    const body = engagement();
    const post = () => log(liaison, body).set('Idempotency-Key', 'salon-2026-05-12');
    const firstTry = await post().expect(201);
    const before = await snapshot();
    const retry = await post().expect(201);
    expect(retry.body).toEqual(firstTry.body);
    expect(await snapshot()).toEqual(before);

    // First attempt written but never answered (Postgres went away), the key freed: the retry answers with it.
    await t.app.get(DataSource).query(`DELETE FROM idempotency_keys WHERE key = 'salon-2026-05-12'`);
    const afterLostAnswer = await post().expect(201);
    expect(timeless(afterLostAnswer.body)).toEqual(timeless(firstTry.body));
    expect(await snapshot()).toEqual(before);
  });
});
