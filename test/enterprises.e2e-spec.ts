import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { Enterprise } from '../src/enterprises/entities/enterprise.entity';
import { type Actor, actor, createEnterprise, validCreditCode } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

const HUAWEI_CODE = '914403001922038216';

describe('enterprises', () => {
  let t: TestApp;
  let liaison: Actor;
  let manager: Actor;
  let deputy: Actor;

  const count = () => t.app.get(DataSource).getRepository(Enterprise).count();
  const post = (who: Actor, body: object) => t.http.post('/api/v1/enterprises').set('Authorization', who.auth).send(body);
  const list = (who: Actor, query: Record<string, string | number | boolean>) =>
    t.http.get('/api/v1/enterprises').query(query).set('Authorization', who.auth).expect(200);
  const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((e) => e.name);

  beforeAll(async () => {
    t = await startTestApp();
    liaison = await actor(t, 'liaison1', 'liaison_officer');
    manager = await actor(t, 'manager1', 'manager');
    deputy = await actor(t, 'deputy1', 'deputy_leader');
  });

  afterAll(() => t?.close());

  it('registers an enterprise, uppercasing the credit code, and reads it back', async () => {
    const fields = {
      industry: '煤化工',
      park: '襄垣经济技术开发区',
      isKey: true,
      contacts: [{ name: '王建国', phone: '13800138000', role: '总经理' }],
      liaisonOfficerId: liaison.id,
    };
    const created = await post(liaison, {
      ...fields,
      name: ' 襄垣县示范煤化工有限公司 ',
      creditCode: '9144030071526726xg',
    }).expect(201);
    expect(created.body).toMatchObject({ ...fields, name: '襄垣县示范煤化工有限公司', creditCode: '9144030071526726XG' });

    const read = await t.http.get(`/api/v1/enterprises/${created.body.id}`).set('Authorization', deputy.auth).expect(200);
    expect(read.body).toEqual(created.body);

    const minimal = await post(manager, { name: '长治精密机械', creditCode: validCreditCode(1) }).expect(201);
    expect(minimal.body).toMatchObject({ industry: null, park: null, isKey: false, contacts: [], liaisonOfficerId: null });
  });

  it('refuses a wrong check digit with 400 on creditCode and writes nothing', async () => {
    const before = await count();
    const wrong = await post(manager, { name: '错码企业', creditCode: '914403001922038217' }).expect(400);
    expect(wrong.body.code).toBe('validation_failed');
    expect(wrong.body.errors).toEqual([{ field: 'creditCode', message: 'creditCode has a wrong check digit' }]);

    const malformed = await post(manager, { name: '错码企业', creditCode: '91440300192203821O' }).expect(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'creditCode' })]);
    expect(await count()).toBe(before);
  });

  it('refuses a credit code that exists with 409 duplicate, whatever its case', async () => {
    await post(manager, { name: '华为技术有限公司', creditCode: HUAWEI_CODE }).expect(201);
    const before = await count();
    const twin = await post(liaison, { name: '另一家', creditCode: HUAWEI_CODE.toLowerCase() }).expect(409);
    expect(twin.body.code).toBe('duplicate');
    expect(await count()).toBe(before);

    // Two at once: the unique constraint refuses the one that loses, still as a duplicate.
    const racing = await Promise.all(['并发甲', '并发乙'].map((name) => post(manager, { name, creditCode: validCreditCode(4) })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(racing.find((r) => r.status === 409)?.body.code).toBe('duplicate');
  });

  it('checks the liaison officer and every other field', async () => {
    const notLiaison = await post(manager, {
      name: '某企业',
      creditCode: validCreditCode(2),
      liaisonOfficerId: deputy.id,
    }).expect(400);
    expect(notLiaison.body.errors).toEqual([expect.objectContaining({ field: 'liaisonOfficerId' })]);

    const bad = await post(manager, {
      name: '',
      creditCode: validCreditCode(2),
      isKey: null,
      contacts: [{ name: '李四', phone: 'call me' }],
      color: 'red',
    }).expect(400);
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'isKey', 'contacts.0.phone', 'color']));
  });

  it('lets only liaison officers, managers and admins write, and signed-in users read', async () => {
    const refused = await post(deputy, { name: '某企业', creditCode: validCreditCode(3) }).expect(403);
    expect(refused.body.code).toBe('forbidden');
    const anonymous = await t.http.get('/api/v1/enterprises').expect(401);
    expect(anonymous.body.code).toBe('unauthenticated');
    await t.http.post('/api/v1/enterprises').send({ name: '某企业', creditCode: validCreditCode(3) }).expect(401);
  });

  describe('search and list', () => {
    let other: Actor;

    beforeAll(async () => {
      other = await actor(t, 'liaison2', 'liaison_officer');
      await createEnterprise(t, { name: '潞安化工集团', creditCode: validCreditCode(100), isKey: true, park: '长治高新区' });
      await createEnterprise(t, { name: '潞宝煤焦化', creditCode: validCreditCode(101), industry: '焦化', park: '长治高新区' });
      await createEnterprise(t, { name: '晋城光机电', creditCode: validCreditCode(102), liaisonOfficerId: other.id });
      await createEnterprise(t, { name: 'Luan_100% Co', creditCode: validCreditCode(103), isKey: true });
    });

    it('finds by part of the name, case-insensitively, or by the start of the credit code', async () => {
      expect(names(await list(deputy, { q: '潞' }))).toEqual(['潞安化工集团', '潞宝煤焦化']);
      expect(names(await list(deputy, { q: 'luan_100%' }))).toEqual(['Luan_100% Co']);
      // LIKE wildcards in q are taken literally.
      expect(names(await list(deputy, { q: '%' }))).toEqual(['Luan_100% Co']);
      expect(names(await list(deputy, { q: HUAWEI_CODE.slice(0, 12).toLowerCase() }))).toEqual(['华为技术有限公司']);
    });

    it('filters by key flag, park, industry and liaison officer', async () => {
      expect(names(await list(deputy, { isKey: true, q: '潞' }))).toEqual(['潞安化工集团']);
      expect(names(await list(deputy, { isKey: false, q: '潞' }))).toEqual(['潞宝煤焦化']);
      expect(names(await list(deputy, { park: '长治高新区' }))).toEqual(['潞安化工集团', '潞宝煤焦化']);
      expect(names(await list(deputy, { industry: '焦化' }))).toEqual(['潞宝煤焦化']);
      expect(names(await list(deputy, { liaisonOfficerId: other.id }))).toEqual(['晋城光机电']);
    });

    it('pages with limit and offset and tells the total', async () => {
      const total = await count();
      const first = await list(liaison, { limit: 2 });
      const second = await list(liaison, { limit: 2, offset: 2 });
      expect(first.body.total).toBe(total);
      expect(first.body.items).toHaveLength(2);
      expect(second.body.items).toHaveLength(2);
      const all = await list(liaison, { limit: 100 });
      expect([...names(first), ...names(second)]).toEqual(names(all).slice(0, 4));
      expect(all.body.items).toHaveLength(total);
    });

    it('refuses bad query parameters with 400', async () => {
      const queries = [{ limit: 0 }, { limit: 101 }, { offset: -1 }, { offset: 1e20 }, { isKey: 'yes' }, { sort: 'name' }];
      for (const query of [...queries, { liaisonOfficerId: 'x' }]) {
        const res = await t.http.get('/api/v1/enterprises').query(query).set('Authorization', liaison.auth).expect(400);
        expect(res.body.code).toBe('validation_failed');
      }
    });
  });

  describe('update', () => {
    it('changes the fields sent, clears nullable ones sent as null, and keeps the rest', async () => {
      const enterprise = await createEnterprise(t, { park: '旧园区', industry: '钢铁', liaisonOfficerId: liaison.id });
      // Only a manager releases an enterprise from its liaison officer (see "scope on writes" below).
      const res = await t.http
        .patch(`/api/v1/enterprises/${enterprise.id}`)
        .set('Authorization', manager.auth)
        .send({ name: '新名称', isKey: true, park: null, liaisonOfficerId: null })
        .expect(200);
      expect(res.body).toMatchObject({
        name: '新名称',
        creditCode: enterprise.creditCode,
        industry: '钢铁',
        park: null,
        isKey: true,
        liaisonOfficerId: null,
      });
    });

    it('refuses null for a field that cannot be empty, and a credit code another enterprise has', async () => {
      const enterprise = await createEnterprise(t);
      const nulls = await t.http
        .patch(`/api/v1/enterprises/${enterprise.id}`)
        .set('Authorization', manager.auth)
        .send({ name: null, creditCode: null, isKey: null, contacts: null })
        .expect(400);
      const fields = nulls.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'creditCode', 'isKey', 'contacts']));

      const taken = await t.http
        .patch(`/api/v1/enterprises/${enterprise.id}`)
        .set('Authorization', manager.auth)
        .send({ creditCode: HUAWEI_CODE })
        .expect(409);
      expect(taken.body.code).toBe('duplicate');

      // Its own code is not a duplicate of itself.
      await t.http
        .patch(`/api/v1/enterprises/${enterprise.id}`)
        .set('Authorization', manager.auth)
        .send({ creditCode: enterprise.creditCode.toLowerCase() })
        .expect(200);
    });

    it('answers 404 for an unknown enterprise and 403 for a role that may not write', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      await t.http.get(`/api/v1/enterprises/${unknown}`).set('Authorization', liaison.auth).expect(404);
      await t.http.patch(`/api/v1/enterprises/${unknown}`).set('Authorization', manager.auth).send({ name: 'x' }).expect(404);
      const enterprise = await createEnterprise(t);
      const patch = t.http.patch(`/api/v1/enterprises/${enterprise.id}`);
      await patch.set('Authorization', deputy.auth).send({ name: 'x' }).expect(403);
      await t.http.get('/api/v1/enterprises/not-a-uuid').set('Authorization', liaison.auth).expect(400);
    });
  });

  describe('scope on writes', () => {
    let other: Actor;
    let theirs: Enterprise;
    let mine: Enterprise;
    let theirTicket: string;

    const patch = (who: Actor, id: string, body: object) =>
      t.http.patch(`/api/v1/enterprises/${id}`).set('Authorization', who.auth).send(body);
    const row = (id: string) => t.app.get(DataSource).getRepository(Enterprise).findOneByOrFail({ id });
    const sees = async (who: Actor, ticketId: string) =>
      (await t.http.get(`/api/v1/tickets/${ticketId}`).set('Authorization', who.auth)).status;

    beforeAll(async () => {
      other = await actor(t, 'liaison3', 'liaison_officer');
      theirs = await createEnterprise(t, { name: '别人的企业', creditCode: validCreditCode(200), liaisonOfficerId: other.id });
      mine = await createEnterprise(t, { name: '自己的企业', creditCode: validCreditCode(201), liaisonOfficerId: liaison.id });
      theirTicket = (
        await t.http
          .post('/api/v1/tickets')
          .set('Authorization', other.auth)
          .send({ enterpriseId: theirs.id, category: 'other', title: '别人的诉求', channel: 'online' })
          .expect(201)
      ).body.id;
    });

    it("refuses to move another officer's enterprise into the caller's scope: 403, nothing changes, its tickets stay put", async () => {
      const before = await row(theirs.id);
      const taken = await patch(liaison, theirs.id, { liaisonOfficerId: liaison.id }).expect(403);
      expect(taken.body.code).toBe('forbidden');
      await patch(liaison, theirs.id, { name: '改名', industry: '改行' }).expect(403);
      expect(await row(theirs.id)).toEqual(before);
      expect(await sees(liaison, theirTicket)).toBe(404);
      expect(await sees(other, theirTicket)).toBe(200);
    });

    it('lets a liaison officer edit the enterprises they follow, but never hand them on or release them', async () => {
      await patch(liaison, mine.id, { industry: '新材料', liaisonOfficerId: liaison.id }).expect(200);
      for (const liaisonOfficerId of [other.id, null]) {
        const refused = await patch(liaison, mine.id, { industry: '别的', liaisonOfficerId }).expect(403);
        expect(refused.body.code).toBe('forbidden');
      }
      expect(await row(mine.id)).toMatchObject({ industry: '新材料', liaisonOfficerId: liaison.id });
      // An enterprise nobody follows is not the officer's either.
      const nobodys = await createEnterprise(t, { name: '无人联系', creditCode: validCreditCode(202) });
      await patch(liaison, nobodys.id, { liaisonOfficerId: liaison.id }).expect(403);
      expect((await row(nobodys.id)).liaisonOfficerId).toBeNull();
    });

    it('lets a liaison officer register an enterprise for themselves or nobody, not for another officer', async () => {
      const before = await count();
      await post(liaison, { name: '替人登记', creditCode: validCreditCode(203), liaisonOfficerId: other.id }).expect(403);
      expect(await count()).toBe(before);
      const own = await post(liaison, { name: '自己登记', creditCode: validCreditCode(204), liaisonOfficerId: liaison.id }).expect(201);
      expect(own.body.liaisonOfficerId).toBe(liaison.id);
    });

    it("lets a manager reassign an enterprise, which moves its tickets between the officers' scopes", async () => {
      await patch(manager, theirs.id, { liaisonOfficerId: liaison.id }).expect(200);
      expect(await sees(liaison, theirTicket)).toBe(200);
      // The officer who logged it keeps it: created_by is their scope too.
      expect(await sees(other, theirTicket)).toBe(200);
      await patch(manager, theirs.id, { liaisonOfficerId: other.id }).expect(200);
      expect(await sees(liaison, theirTicket)).toBe(404);
    });
  });

  it('documents every enterprise and pairing route with a summary and problem-details errors', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const paths = Object.keys(doc.paths).filter((path) => /^\/api\/v1\/(enterprises|pairings|leaders)/.test(path));
    expect(paths).toHaveLength(5);
    for (const path of paths) {
      for (const operation of Object.values(doc.paths[path]) as { summary?: string }[]) {
        expect(operation.summary).toBeTruthy();
      }
    }
    expect(doc.paths['/api/v1/enterprises'].post.responses['409'].content).toHaveProperty(['application/problem+json']);
    expect(doc.paths['/api/v1/pairings'].post.responses['422'].content).toHaveProperty(['application/problem+json']);
  });
});
