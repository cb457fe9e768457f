import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Department } from '../src/departments/entities/department.entity';
import type { Enterprise } from '../src/enterprises/entities/enterprise.entity';
import { type Actor, actor, countRows, createDepartment, createEnterprise, createPairing } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

interface Ticket {
  id: string;
  category: string;
  departmentId: string | null;
  pairedLeaderId: string | null;
  version: number;
}

/**
 * The seeds' story: at an afternoon tea three enterprises raise four demands (land, power,
 * financing, labor); each is routed to its department with the paired leader recorded, and
 * every role sees exactly its share.
 */
describe('intake story: an afternoon tea with three enterprises and four demands', () => {
  let t: TestApp;
  let officer: Actor;
  let otherOfficer: Actor;
  let landHandler: Actor;
  let landDeputy: Actor;
  let financeDeputy: Actor;
  let principal: Actor;
  let manager: Actor;
  let depts: Record<'land' | 'power' | 'financing' | 'labor', Department>;
  let precision: Enterprise;
  let materials: Enterprise;
  let textiles: Enterprise;
  let tea: { id: string; tickets: Ticket[] };
  let byCategory: Record<string, Ticket>;

  const afternoonTea = () => ({
    type: 'afternoon_tea',
    occurredAt: '2026-05-12T15:00:00+08:00',
    place: '开发区企业服务中心',
    enterpriseIds: [precision.id, materials.id, textiles.id],
    notes: '“政企下午茶”：三家企业参加',
    demands: [
      { enterpriseId: precision.id, category: 'land', title: '二期厂房用地指标', description: '需新增用地约30亩' },
      { enterpriseId: materials.id, category: 'power', title: '双回路供电增容', startingTier: 2 },
      { enterpriseId: textiles.id, category: 'financing', title: '流动资金贷款', description: '缺口约500万元' },
      { enterpriseId: textiles.id, category: 'labor', title: '招聘熟练挡车工50人' },
    ],
  });
  const logTea = (body: object) =>
    t.http.post('/api/v1/engagements').set('Authorization', officer.auth).set('Idempotency-Key', 'tea-2026-05-12').send(body);
  const visibleCategories = async (who: Actor) => {
    const res = await t.http.get('/api/v1/tickets').set('Authorization', who.auth).expect(200);
    return res.body.items.map((ticket: Ticket) => ticket.category).sort();
  };
  const counts = async () => ({
    engagements: await countRows(t, 'engagements'),
    tickets: await countRows(t, 'tickets'),
    events: await countRows(t, 'ticket_events'),
  });

  beforeAll(async () => {
    t = await startTestApp();
    officer = await actor(t, 'liaison_wang', 'liaison_officer');
    otherOfficer = await actor(t, 'liaison_li', 'liaison_officer');
    landDeputy = await actor(t, 'deputy_zhao', 'deputy_leader');
    financeDeputy = await actor(t, 'deputy_qian', 'deputy_leader');
    principal = await actor(t, 'principal_sun', 'principal_leader');
    manager = await actor(t, 'manager_zhou', 'manager');
    depts = {
      land: await createDepartment(t, '自然资源局', ['land'], landDeputy.id),
      power: await createDepartment(t, '供电公司', ['power']),
      financing: await createDepartment(t, '金融办', ['financing'], financeDeputy.id),
      labor: await createDepartment(t, '人社局', ['labor']),
    };
    landHandler = await actor(t, 'handler_land', 'department_handler', depts.land.id);
    precision = await createEnterprise(t, { name: '晋中精密制造有限公司', isKey: true });
    materials = await createEnterprise(t, { name: '太原新材料股份有限公司', isKey: true });
    textiles = await createEnterprise(t, { name: '榆次纺织有限公司' });
    // The land deputy is paired with the materials maker, the finance deputy with the textile mill.
    await createPairing(t, landDeputy.id, materials.id);
    await createPairing(t, financeDeputy.id, textiles.id);
  });

  afterAll(() => t?.close());

  it('logs the tea and its four demands in one request, each routed with its paired leader', async () => {
    const res = await logTea(afternoonTea()).expect(201);
    tea = res.body;
    byCategory = Object.fromEntries(tea.tickets.map((ticket) => [ticket.category, ticket]));
    expect(Object.keys(byCategory).sort()).toEqual(['financing', 'labor', 'land', 'power']);
    for (const category of ['land', 'power', 'financing', 'labor'] as const) {
      expect(byCategory[category]).toMatchObject({ departmentId: depts[category].id, status: 'assigned', channel: 'afternoon_tea' });
    }
    expect(byCategory.land.pairedLeaderId).toBeNull();
    expect(byCategory.power).toMatchObject({ pairedLeaderId: landDeputy.id, tier: 2 });
    expect(byCategory.financing.pairedLeaderId).toBe(financeDeputy.id);
    expect(byCategory.labor.pairedLeaderId).toBe(financeDeputy.id);
  });

  it('creates nothing twice when the officer retries on a weak network; another body with the key is 422', async () => {
    const before = await counts();
    expect(before).toEqual({ engagements: 1, tickets: 4, events: 4 });
    const retry = await logTea(afternoonTea()).expect(201);
    expect(retry.body).toEqual(tea);
    const changed = await logTea({ ...afternoonTea(), place: '另一个会场' }).expect(422);
    expect(changed.body.code).toBe('idempotency_key_reused');
    expect(await counts()).toEqual(before);
  });

  it('shows each role exactly its share', async () => {
    expect(await visibleCategories(officer)).toEqual(['financing', 'labor', 'land', 'power']);
    expect(await visibleCategories(otherOfficer)).toEqual([]);
    expect(await visibleCategories(landHandler)).toEqual(['land']);
    // Their departments' demands plus those of their paired enterprises.
    expect(await visibleCategories(landDeputy)).toEqual(['land', 'power']);
    expect(await visibleCategories(financeDeputy)).toEqual(['financing', 'labor']);
    expect(await visibleCategories(principal)).toEqual(['financing', 'labor', 'land', 'power']);
    expect(await visibleCategories(manager)).toEqual(['financing', 'labor', 'land', 'power']);

    for (const ticket of tea.tickets) {
      const res = await t.http.get(`/api/v1/tickets/${ticket.id}`).set('Authorization', otherOfficer.auth).expect(404);
      expect(res.body.code).toBe('not_found');
    }
    await t.http.get(`/api/v1/tickets/${byCategory.power.id}`).set('Authorization', landHandler.auth).expect(404);
    await t.http.get(`/api/v1/engagements/${tea.id}`).set('Authorization', otherOfficer.auth).expect(404);
    const handlerView = await t.http.get(`/api/v1/engagements/${tea.id}`).set('Authorization', landHandler.auth).expect(200);
    expect(handlerView.body.tickets.map((ticket: Ticket) => ticket.category)).toEqual(['land']);
  });

  it('keeps a stale change out and the timeline tells what happened', async () => {
    const url = `/api/v1/tickets/${byCategory.land.id}`;
    const edit = (version: string, body: object) =>
      t.http.patch(url).set('Authorization', landHandler.auth).set('If-Match', version).send(body);
    await edit('"1"', { description: '需新增用地约30亩，已初步选址' }).expect(200);
    const stale = await edit('"1"', { title: '被覆盖的标题' }).expect(409);
    expect(stale.body.code).toBe('version_conflict');
    const current = await t.http.get(url).set('Authorization', officer.auth).expect(200);
    expect(current.body).toMatchObject({ title: '二期厂房用地指标', version: 2 });
    expect(current.headers.etag).toBe('"2"');

    const timeline = await t.http.get(`${url}/timeline`).set('Authorization', officer.auth).expect(200);
    expect(timeline.body).toEqual([
      expect.objectContaining({ type: 'created', actorId: officer.id }),
      expect.objectContaining({
        type: 'updated',
        actorId: landHandler.id,
        before: { description: '需新增用地约30亩' },
        after: { description: '需新增用地约30亩，已初步选址' },
      }),
    ]);
  });
});
