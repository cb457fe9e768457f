import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { DataSource } from 'typeorm';
import { requestHash } from '../src/common/idempotency/canonical-json';
import type { Department } from '../src/departments/entities/department.entity';
import type { Enterprise } from '../src/enterprises/entities/enterprise.entity';
import {
  type Actor,
  actor,
  countRows,
  createDepartment,
  createEnterprise,
  createPairing,
  createUser,
} from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

interface TicketBody {
  id: string;
  number: string;
  version: number;
  createdAt: string;
  [field: string]: unknown;
}

describe('tickets', () => {
  let t: TestApp;
  let admin: Actor;
  let liaison: Actor;
  let otherLiaison: Actor;
  let landHandler: Actor;
  let powerHandler: Actor;
  let landDept: Department;
  let powerDept: Department;
  let pairedLeaderId: string;
  let enterprise: Enterprise;

  const file = (who: Actor, body: object, key?: string) => {
    const req = t.http.post('/api/v1/tickets').set('Authorization', who.auth);
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const demand = (fields: object = {}) => ({
    enterpriseId: enterprise.id,
    channel: 'online',
    category: 'land',
    title: '扩建厂房用地指标',
    description: '二期厂房需新增用地约30亩',
    ...fields,
  });
  const list = async (who: Actor, query: Record<string, string | number>) =>
    (await t.http.get('/api/v1/tickets').query(query).set('Authorization', who.auth).expect(200)).body as {
      items: TicketBody[];
      nextCursor: string | null;
    };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await actor(t, 'admin1', 'admin');
    liaison = await actor(t, 'liaison1', 'liaison_officer');
    otherLiaison = await actor(t, 'liaison2', 'liaison_officer');
    landDept = await createDepartment(t, '自然资源局', ['land']);
    powerDept = await createDepartment(t, '供电公司', ['power']);
    landHandler = await actor(t, 'land1', 'department_handler', landDept.id);
    powerHandler = await actor(t, 'power1', 'department_handler', powerDept.id);
    pairedLeaderId = (await createUser(t, 'deputy1', 'deputy_leader')).id;
    enterprise = await createEnterprise(t, { name: '晋中精密制造有限公司' });
    await createPairing(t, pairedLeaderId, enterprise.id);
  });

  afterAll(() => t?.close());

  it('files a direct demand: routed by category, paired leader recorded, numbered, a created event', async () => {
    const res = await file(liaison, demand()).expect(201);
    const shanghaiYear = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(Date.now());
    expect(res.body).toMatchObject({
      enterpriseId: enterprise.id,
      engagementId: null,
      channel: 'online',
      category: 'land',
      departmentId: landDept.id,
      pairedLeaderId,
      startingTier: 1,
      tier: 1,
      status: 'assigned',
      createdBy: liaison.id,
      attachments: [],
      version: 1,
      enterpriseName: '晋中精密制造有限公司',
      departmentName: '自然资源局',
      allowedActions: ['pause'],
      warned: false,
      workingMsLeft: expect.any(Number),
    });
    expect(res.body.workingMsLeft).toBeGreaterThan(0);
    expect(res.body.number).toMatch(new RegExp(`^${shanghaiYear}-\\d{6}$`));

    const next = await file(liaison, demand({ title: '第二个' })).expect(201);
    expect(Number(next.body.number.slice(5))).toBe(Number(res.body.number.slice(5)) + 1);

    const timeline = await t.http.get(`/api/v1/tickets/${res.body.id}/timeline`).set('Authorization', liaison.auth).expect(200);
    expect(timeline.body).toEqual([
      expect.objectContaining({
        type: 'created',
        actorId: liaison.id,
        actorName: 'liaison1',
        before: null,
        after: expect.objectContaining({ status: 'assigned', departmentId: landDept.id, number: res.body.number }),
      }),
    ]);
  });

  it('numbers concurrent intakes without a gap or a repeat, each event with its ticket\'s number, past six digits', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => file(liaison, demand({ title: `并发 ${i}` })).expect(201)));
    const serials = results.map((res) => Number((res.body as TicketBody).number.slice(5))).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 20 }, (_, i) => serials[0] + i));
    const events: { number: string; event_number: string }[] = await t.app.get(DataSource).query(
      `SELECT t.number, e.after->>'number' AS event_number
         FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.type = 'created'
        WHERE t.id = ANY($1::uuid[])`,
      [results.map((res) => (res.body as TicketBody).id)],
    );
    expect(events).toHaveLength(20);
    for (const row of events) expect(row.event_number).toBe(row.number);

    // The serial is padded to six digits, never cut to them.
    await t.app.get(DataSource).query(`UPDATE ticket_number_counters SET last_value = 999999`);
    const millionth = await file(liaison, demand({ title: '第一百万个' })).expect(201);
    expect(millionth.body.number).toMatch(/^\d{4}-1000000$/);
  });

  it('leaves a demand nobody owns as new, honours a chosen department, tier and attachments', async () => {
    const unowned = await file(admin, demand({ category: 'other', enterpriseId: (await createEnterprise(t)).id })).expect(201);
    expect(unowned.body).toMatchObject({ status: 'new', departmentId: null, departmentName: null, pairedLeaderId: null });

    const attachments = [{ name: '用电报装申请.pdf', contentType: 'application/pdf', size: 1024, url: 'https://files.example.cn/a.pdf' }];
    const chosen = await file(admin, demand({ departmentId: powerDept.id, startingTier: 3, attachments })).expect(201);
    expect(chosen.body).toMatchObject({ departmentId: powerDept.id, startingTier: 3, tier: 3, status: 'assigned', attachments });
  });

  it('refuses bad input with a clear 4xx problem and writes nothing', async () => {
    // A refused intake takes no number either: the numbers stay without gaps.
    const counted = async () => ({
      tickets: await countRows(t, 'tickets'),
      events: await countRows(t, 'ticket_events'),
      numbers: (await t.app.get(DataSource).query(`SELECT coalesce(sum(last_value), 0)::int AS n FROM ticket_number_counters`))[0].n as number,
    });
    const before = await counted();
    const cases: [object, string][] = [
      [demand({ category: 'moon' }), 'category'],
      [demand({ channel: 'carrier_pigeon' }), 'channel'],
      [demand({ enterpriseId: '00000000-0000-4000-8000-000000000000' }), 'enterpriseId'],
      [demand({ departmentId: '00000000-0000-4000-8000-000000000000' }), 'departmentId'],
      [demand({ startingTier: 4 }), 'startingTier'],
      [demand({ title: '' }), 'title'],
      [demand({ title: 'nul\u0000byte' }), 'title'],
      [demand({ attachments: [{ name: 'half \ud800 a pair' }] }), 'attachments.0.name'],
      [demand({ description: null }), 'description'],
      [demand({ attachments: [{ name: 'x', size: -1 }] }), 'attachments.0.size'],
      [demand({ attachments: [{ name: 'x', url: 'javascript:alert(1)' }] }), 'attachments.0.url'],
      [demand({ priority: 'high' }), 'priority'],
    ];
    for (const [body, field] of cases) {
      const res = await file(liaison, body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    await file(liaison, [demand()]).expect(400);
    const anonymous = await t.http.post('/api/v1/tickets').send(demand()).expect(401);
    expect(anonymous.body.code).toBe('unauthenticated');
    const handler = await file(landHandler, demand()).expect(403);
    expect(handler.body.code).toBe('forbidden');
    await t.http.get('/api/v1/tickets/not-a-uuid').set('Authorization', liaison.auth).expect(400);
    expect(await counted()).toEqual(before);
  });

  it('changes a ticket only against the version read: ETag, If-Match or version, 428, 409, timeline', async () => {
    const created = (await file(liaison, demand({ title: '用地指标' })).expect(201)).body as TicketBody;
    const url = `/api/v1/tickets/${created.id}`;
    const read = await t.http.get(url).set('Authorization', liaison.auth).expect(200);
    expect(read.headers.etag).toBe('"1"');

    const blind = await t.http.patch(url).set('Authorization', liaison.auth).send({ title: '盲改' }).expect(428);
    expect(blind.body.code).toBe('precondition_required');

    const first = await t.http
      .patch(url)
      .set('Authorization', liaison.auth)
      .set('If-Match', read.headers.etag)
      .send({ title: '扩建厂房用地指标' })
      .expect(200);
    expect(first.body).toMatchObject({ title: '扩建厂房用地指标', version: 2 });
    expect(first.headers.etag).toBe('"2"');

    const stale = await t.http
      .patch(url)
      .set('Authorization', liaison.auth)
      .set('If-Match', '"1"')
      .send({ title: '覆盖别人的修改' })
      .expect(409);
    expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    // Re-routing is the route action, not a PATCH.
    const reroute = await t.http
      .patch(url)
      .set('Authorization', liaison.auth)
      .send({ version: 2, departmentId: powerDept.id })
      .expect(400);
    expect(reroute.body.errors).toEqual([expect.objectContaining({ field: 'departmentId' })]);
    await t.http.patch(url).set('Authorization', liaison.auth).set('If-Match', '*').send({ title: 'x' }).expect(400);
    await t.http.patch(url).set('Authorization', liaison.auth).send({ version: 2, title: null }).expect(400);
    await t.http.patch(url).set('Authorization', liaison.auth).set('If-Match', '"2"').send({ version: 1 }).expect(400);
    const unchanged = await t.http.get(url).set('Authorization', liaison.auth).expect(200);
    expect(unchanged.body).toMatchObject({ title: '扩建厂房用地指标', version: 2, departmentId: landDept.id });

    const moved = await t.http
      .patch(url)
      .set('Authorization', liaison.auth)
      .send({ version: 2, category: 'power', title: '扩建厂房用地指标' })
      .expect(200);
    expect(moved.body).toMatchObject({ category: 'power', departmentId: landDept.id, version: 3 });
    expect(Date.parse(moved.body.updatedAt)).toBeGreaterThan(Date.parse(created.createdAt));

    const same = await t.http.patch(url).set('Authorization', liaison.auth).send({ version: 3, category: 'power' }).expect(200);
    expect(same.body.version).toBe(3);

    const timeline = await t.http.get(`${url}/timeline`).set('Authorization', liaison.auth).expect(200);
    expect(timeline.body.map((e: { type: string }) => e.type)).toEqual(['created', 'updated', 'updated']);
    expect(timeline.body[1]).toMatchObject({
      actorId: liaison.id,
      before: { title: '用地指标' },
      after: { title: '扩建厂房用地指标' },
    });
    expect(timeline.body[2]).toMatchObject({ before: { category: 'land' }, after: { category: 'power' } });
  });

  it('assigns an unrouted ticket when a manager routes it, and only then', async () => {
    const orphan = (await file(liaison, demand({ category: 'other' })).expect(201)).body as TicketBody;
    const url = `/api/v1/tickets/${orphan.id}/route`;
    await t.http.post(url).set('Authorization', liaison.auth).send({ departmentId: landDept.id }).expect(403);
    const res = await t.http.post(url).set('Authorization', admin.auth).set('If-Match', '"1"').send({ departmentId: landDept.id }).expect(200);
    expect(res.body).toMatchObject({ status: 'assigned', departmentId: landDept.id, version: 2 });
    const again = await t.http.post(url).set('Authorization', admin.auth).send({ departmentId: powerDept.id }).expect(409);
    expect(again.body).toMatchObject({ code: 'conflict', currentStatus: 'assigned' });
  });

  it('lets a department hand back a misrouted demand, and a manager re-route it, with the clock running', async () => {
    const misrouted = (await file(liaison, demand()).expect(201)).body as TicketBody & { tier1DueAt: string };
    const url = `/api/v1/tickets/${misrouted.id}`;
    await t.http.post(`${url}/return`).set('Authorization', landHandler.auth).send({}).expect(400);
    const returned = await t.http.post(`${url}/return`).set('Authorization', landHandler.auth).send({ reason: '属供电业务，非用地' }).expect(200);
    expect(returned.body).toMatchObject({ status: 'returned', tier1DueAt: misrouted.tier1DueAt });
    expect(returned.body.nextEvent).not.toBeNull();
    await t.http.post(`${url}/start`).set('Authorization', landHandler.auth).send({}).expect(409);
    await t.http.post(`${url}/route`).set('Authorization', landHandler.auth).send({ departmentId: powerDept.id }).expect(403);
    const rerouted = await t.http.post(`${url}/route`).set('Authorization', admin.auth).send({ departmentId: powerDept.id }).expect(200);
    expect(rerouted.body).toMatchObject({ status: 'assigned', departmentId: powerDept.id, tier1DueAt: misrouted.tier1DueAt });
    await t.http.get(url).set('Authorization', landHandler.auth).expect(404);
    await t.http.post(`${url}/start`).set('Authorization', powerHandler.auth).send({}).expect(200);
    const events = (await t.http.get(`${url}/timeline`).set('Authorization', admin.auth).expect(200)).body as { type: string; note: string | null }[];
    expect(events.map((e) => e.type)).toEqual(['created', 'return', 'route', 'start']);
    expect(events[1].note).toBe('属供电业务，非用地');
  });

  it('answers 404, never 403, for a ticket outside the caller\'s scope, for reads and writes', async () => {
    const ticket = (await file(liaison, demand()).expect(201)).body as TicketBody;
    const url = `/api/v1/tickets/${ticket.id}`;
    for (const who of [otherLiaison, powerHandler]) {
      expect((await t.http.get(url).set('Authorization', who.auth).expect(404)).body.code).toBe('not_found');
      await t.http.get(`${url}/timeline`).set('Authorization', who.auth).expect(404);
      await t.http.patch(url).set('Authorization', who.auth).send({ version: 1, title: '越权' }).expect(404);
    }
    await t.http.get(url).set('Authorization', landHandler.auth).expect(200);
    const handled = await t.http
      .patch(url)
      .set('Authorization', landHandler.auth)
      .send({ version: 1, description: '部门补充说明' })
      .expect(200);
    expect(handled.body.version).toBe(2);
    expect((await list(otherLiaison, {})).items).toEqual([]);
  });

  it('filters the list', async () => {
    const other = await createEnterprise(t, { name: '太原新材料股份有限公司' });
    const filed = [
      (await file(admin, demand({ enterpriseId: other.id, category: 'financing', channel: 'service_window', title: '流动资金贷款' })).expect(201)).body,
      (await file(admin, demand({ enterpriseId: other.id, category: 'power', startingTier: 2, title: '双回路供电' })).expect(201)).body,
    ] as TicketBody[];
    const ids = (page: { items: TicketBody[] }) => page.items.map((item) => item.id);

    expect(ids(await list(admin, { enterpriseId: other.id }))).toEqual([filed[1].id, filed[0].id]);
    expect(ids(await list(admin, { enterpriseId: other.id, sort: 'createdAt' }))).toEqual([filed[0].id, filed[1].id]);
    expect(ids(await list(admin, { enterpriseId: other.id, tier: 2 }))).toEqual([filed[1].id]);
    expect(ids(await list(admin, { enterpriseId: other.id, departmentId: powerDept.id }))).toEqual([filed[1].id]);
    expect(ids(await list(admin, { enterpriseId: other.id, channel: 'service_window' }))).toEqual([filed[0].id]);
    expect(ids(await list(admin, { enterpriseId: other.id, category: 'financing', status: 'new' }))).toEqual([filed[0].id]);
    expect(ids(await list(admin, { q: '双回路' }))).toEqual([filed[1].id]);
    expect(ids(await list(admin, { q: filed[0].number }))).toEqual([filed[0].id]);
    expect(ids(await list(admin, { q: '100%' }))).toEqual([]);
    const leaders = await list(admin, { leaderId: pairedLeaderId, limit: 100 });
    expect(leaders.items.length).toBeGreaterThan(0);
    expect(leaders.items.every((item) => item.enterpriseId === enterprise.id)).toBe(true);
    expect(ids(await list(admin, { enterpriseId: other.id, createdFrom: filed[1].createdAt }))).toEqual([filed[1].id]);
    expect(ids(await list(admin, { enterpriseId: other.id, createdTo: filed[1].createdAt }))).toEqual([filed[0].id]);

    const badQueries = [
      { tier: 5 },
      { status: 'lost' },
      { createdFrom: 'yesterday' },
      { createdFrom: '2026-W20-2' },
      { createdTo: '2026-05-12T10:00:00+16:00' },
      { limit: 101 },
      { limit: 0 },
      { sort: 'title' },
      { overdue: 'yes' },
    ];
    for (const query of badQueries) {
      const res = await t.http.get('/api/v1/tickets').query(query).set('Authorization', admin.auth).expect(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('pages through 25 tickets with a stable cursor: no duplicates, no misses, even with ties and inserts', async () => {
    const target = await createEnterprise(t);
    // Ten demands raised at one engagement share one created_at: the id breaks the tie.
    await t.http
      .post('/api/v1/engagements')
      .set('Authorization', liaison.auth)
      .send({
        type: 'visit',
        occurredAt: '2026-05-12T10:00:00+08:00',
        enterpriseIds: [target.id],
        demands: Array.from({ length: 10 }, (_, i) => ({ enterpriseId: target.id, category: 'labor', title: `招工${i}` })),
      })
      .expect(201);
    for (let i = 0; i < 15; i++) await file(liaison, demand({ enterpriseId: target.id, title: `诉求${i}` })).expect(201);

    const walk = async (sort: string, meanwhile?: () => Promise<unknown>) => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(liaison, { enterpriseId: target.id, limit: 10, sort, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((item) => item.id));
        sizes.push(page.items.length);
        cursor = page.nextCursor;
        if (sizes.length === 1) await meanwhile?.();
      } while (cursor);
      return { seen, sizes };
    };
    const newestFirst = (await list(liaison, { enterpriseId: target.id, limit: 100 })).items.map((item) => item.id);
    expect(newestFirst).toHaveLength(25);

    // A ticket filed while paging newest first lands before the first page: never inside the walk.
    let lateId = '';
    const desc = await walk('-createdAt', async () => {
      lateId = (await file(liaison, demand({ enterpriseId: target.id, title: '翻页时新增' })).expect(201)).body.id;
    });
    expect(desc).toEqual({ seen: newestFirst, sizes: [10, 10, 5] });

    const asc = await walk('createdAt');
    expect(asc).toEqual({ seen: [...newestFirst].reverse().concat(lateId), sizes: [10, 10, 6] });

    const bad = await t.http.get('/api/v1/tickets').query({ cursor: 'garbage' }).set('Authorization', liaison.auth).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  describe('Idempotency-Key', () => {
    it('answers a retry whose first attempt was written but never answered with that ticket, not a second one', async () => {
      const db = t.app.get(DataSource);
      const body = demand({ title: '应答丢失' });
      const first = await file(liaison, body, 'lost-answer').expect(201);
      // As after a Postgres outage: the ticket committed, its answer was lost and the key was freed.
      await db.query(`DELETE FROM idempotency_keys WHERE key = 'lost-answer'`);
      const before = await countRows(t, 'tickets');
      const retry = await file(liaison, body, 'lost-answer').expect(201);
      expect(retry.body).toMatchObject({ id: first.body.id, number: first.body.number, title: '应答丢失' });
      expect(await countRows(t, 'tickets')).toBe(before);
      // The colliding retry took no number: the next demand gets the next one.
      await db.query(`DELETE FROM idempotency_keys WHERE key = 'lost-answer'`);
      const other = await file(liaison, demand({ title: '换了内容' }), 'lost-answer').expect(201);
      expect(other.body.id).not.toBe(first.body.id);
      expect(Number(other.body.number.slice(5))).toBe(Number(first.body.number.slice(5)) + 1);
    });

    it('replays the first response for a retry with the same key and body, and creates nothing new', async () => {
      const body = demand({ title: '弱网重试' });
      const first = await file(liaison, body, 'retry-key-1').expect(201);
      const before = await countRows(t, 'tickets');
      const retry = await file(liaison, { ...body }, 'retry-key-1').expect(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(await countRows(t, 'tickets')).toBe(before);

      const reused = await file(liaison, { ...body, title: '另一个诉求' }, 'retry-key-1').expect(422);
      expect(reused.body.code).toBe('idempotency_key_reused');
      // Keys belong to a user: another user's same key is a new request.
      await file(admin, body, 'retry-key-1').expect(201);
      expect(await countRows(t, 'tickets')).toBe(before + 1);
    });

    it('answers 409 while the first request is running, and frees the key when it failed', async () => {
      await t.app
        .get(DataSource)
        .query(`INSERT INTO idempotency_keys (user_id, key, route, request_hash) VALUES ($1, 'running', 'POST /api/v1/tickets', $2)`, [
          liaison.id,
          requestHash(demand()),
        ]);
      const running = await file(liaison, demand(), 'running').expect(409);
      expect(running.body.code).toBe('idempotency_in_progress');

      await file(liaison, demand({ category: 'moon' }), 'failed-first').expect(400);
      await file(liaison, demand(), 'failed-first').expect(201);

      const bad = await file(liaison, demand(), 'x'.repeat(201)).expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    });

    it('forgets a key after 24 hours', async () => {
      const first = await file(liaison, demand({ title: '昨天的请求' }), 'old-key').expect(201);
      // 25 hours pass for the key and the ticket it made.
      const db = t.app.get(DataSource);
      await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1 AND key = 'old-key'`, [liaison.id]);
      await db.query(`UPDATE tickets SET created_at = now() - interval '25 hours' WHERE id = $1`, [first.body.id]);
      const again = await file(liaison, demand({ title: '昨天的请求' }), 'old-key').expect(201);
      expect(again.body.id).not.toBe(first.body.id);
    });
  });

  it('documents every route, the Idempotency-Key and If-Match headers, and problem responses', async () => {
    const document = (await t.http.get('/docs-json').expect(200)).body as OpenAPIV3.Document;
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    const operations = ['/api/v1/tickets', '/api/v1/tickets/{id}', '/api/v1/tickets/{id}/timeline', '/api/v1/engagements', '/api/v1/engagements/{id}']
      .flatMap((path) => Object.values(document.paths[path] ?? {}) as OpenAPIV3.OperationObject[]);
    expect(operations).toHaveLength(8);
    for (const operation of operations) expect(operation.summary).toBeTruthy();
    const headers = (operation: OpenAPIV3.OperationObject | undefined) =>
      (operation?.parameters as OpenAPIV3.ParameterObject[]).filter((p) => p.in === 'header').map((p) => p.name);
    expect(headers(document.paths['/api/v1/tickets']?.post)).toContain('Idempotency-Key');
    expect(headers(document.paths['/api/v1/engagements']?.post)).toContain('Idempotency-Key');
    expect(headers(document.paths['/api/v1/tickets/{id}']?.patch)).toContain('If-Match');
    expect(document.paths['/api/v1/tickets/{id}']?.patch?.responses['409']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem409' } } },
    });
    // Problem details whose code is one of that status's.
    expect(document.components?.schemas?.Problem409).toMatchObject({ allOf: [{ $ref: '#/components/schemas/ProblemDetailsDto' }, {}] });
  });
});
