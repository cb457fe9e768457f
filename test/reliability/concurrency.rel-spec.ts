import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { type Actor, actor, createDepartment, createEnterprise } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

describe('racing lifecycle actions on one ticket', () => {
  let t: TestApp;
  let db: DataSource;
  let liaison: Actor;
  let handlers: [Actor, Actor];
  let enterpriseId: string;

  const fileDemand = async () => {
    const res = await t.http
      .post('/api/v1/tickets')
      .set('Authorization', liaison.auth)
      .send({ enterpriseId, category: 'land', title: '厂区道路', channel: 'online' })
      .expect(201);
    return res.body.id as string;
  };
  const act = (who: Actor, id: string, action: string, body: object) =>
    t.http.post(`/api/v1/tickets/${id}/${action}`).set('Authorization', who.auth).send(body);
  const eventsOf = async (id: string, type: string) =>
    (await db.query(`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND type = $2`, [id, type]))[0].n as number;
  const surveysOf = async (id: string) =>
    (await db.query(`SELECT count(*)::int AS n FROM surveys WHERE ticket_id = $1`, [id]))[0].n as number;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    liaison = await actor(t, 'liaison', 'liaison_officer');
    const land = await createDepartment(t, '自然资源局', ['land']);
    handlers = [await actor(t, 'handler_a', 'department_handler', land.id), await actor(t, 'handler_b', 'department_handler', land.id)];
    enterpriseId = (await createEnterprise(t)).id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('two handlers resolving at the same moment: one 200, one 409, one resolution, one survey', async () => {
    const id = await fileDemand();
    const answers = await Promise.all(handlers.map((h, i) => act(h, id, 'resolve', { resolution: `办结 ${i}` })));

    expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
    const refused = answers.find((res) => res.status === 409)!;
    expect(refused.body).toMatchObject({ code: 'conflict', currentStatus: 'resolved' });
    expect(await eventsOf(id, 'resolve')).toBe(1);
    expect(await surveysOf(id)).toBe(1);
    const timeline = (await t.http.get(`/api/v1/tickets/${id}/timeline`).set('Authorization', handlers[0].auth).expect(200)).body as { type: string }[];
    expect(timeline.filter((event) => event.type === 'resolve')).toHaveLength(1);
  });

  it('resolve racing pause: exactly one wins, and the ticket ends in the winner\'s status with only its event', async () => {
    const id = await fileDemand();
    const [resolved, paused] = await Promise.all([
      act(handlers[0], id, 'resolve', { resolution: '办结' }),
      act(handlers[1], id, 'pause', { reason: '等待企业补充材料' }),
    ]);

    expect([resolved.status, paused.status].sort()).toEqual([200, 409]);
    const winner = resolved.status === 200 ? 'resolve' : 'pause';
    const loser = winner === 'resolve' ? 'pause' : 'resolve';
    const [{ status }] = await db.query(`SELECT status FROM tickets WHERE id = $1`, [id]);
    expect(status).toBe(winner === 'resolve' ? 'resolved' : 'paused');
    expect(await eventsOf(id, winner)).toBe(1);
    expect(await eventsOf(id, loser)).toBe(0);
    expect(await surveysOf(id)).toBe(winner === 'resolve' ? 1 : 0);
  });

  it('two edits from the same version: one 200, one 409 version_conflict, one edit in the timeline', async () => {
    const id = await fileDemand();
    const [first, second] = await Promise.all(
      handlers.map((h, i) => t.http.patch(`/api/v1/tickets/${id}`).set('Authorization', h.auth).set('If-Match', '"1"').send({ title: `改名 ${i}` })),
    );

    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect([first, second].find((res) => res.status === 409)!.body).toMatchObject({ code: 'version_conflict' });
    const [{ version }] = await db.query(`SELECT version FROM tickets WHERE id = $1`, [id]);
    expect(version).toBe(2);
  });
});
