import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { type Actor, actor, createDepartment, createEnterprise, createPairing } from './support/fixtures';
import { until } from './support/polling';
import { startTestApp, type TestApp } from './support/test-app';

/** Drill policy: the last deadline 3 s after intake, so the first round goes overdue at once. */
const DRILL = { mode: 'duration', budgets: ['PT1S', 'PT2S', 'PT3S'], warnRatio: 0.5 };
/** The 1-2-3 rule in working days: nothing escalates while the test runs. */
const CALM = { mode: 'working_days', budgets: [1, 2, 3] };

function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('rounds and owners: figures that remember every round, a current owner on every ticket', () => {
  let t: TestApp;
  let db: DataSource;
  let manager: Actor;
  let liaison: Actor;
  let handler: Actor;
  let handler2: Actor;
  let deputy: Actor;
  let paired: Actor;
  let principal: Actor;
  let landId: string;
  let plain: string;
  let pairedEnterprise: string;
  let storyEnterprise: string;
  let policyId: string;
  /** The demand that goes overdue, is reopened and is resolved fast. */
  let story: string;

  const ticket = async (id: string, who: Actor = manager) =>
    (await t.http.get(`/api/v1/tickets/${id}`).set('Authorization', who.auth).expect(200)).body;
  const file = async (fields: Record<string, unknown>) =>
    (
      await t.http
        .post('/api/v1/tickets')
        .set('Authorization', liaison.auth)
        .send({ enterpriseId: plain, category: 'land', title: '扩建用地', channel: 'online', ...fields })
        .expect(201)
    ).body;
  const setPolicy = (policy: object) =>
    t.http.patch(`/api/v1/sla-policies/${policyId}`).set('Authorization', manager.auth).send(policy).expect(200);
  const mine = async (who: Actor) =>
    ((await t.http.get('/api/v1/tickets?mine=true&limit=100').set('Authorization', who.auth).expect(200)).body.items as { id: string }[]).map(
      (x) => x.id,
    );
  const person = (who: Actor) => ({ id: who.id, displayName: who.username });

  beforeAll(async () => {
    t = await startTestApp({ env: { SLA_SWEEP_EVERY_MS: '500' } });
    db = t.app.get(DataSource);
    manager = await actor(t, 'manager', 'manager');
    liaison = await actor(t, 'liaison', 'liaison_officer');
    deputy = await actor(t, 'deputy', 'deputy_leader');
    paired = await actor(t, 'paired', 'deputy_leader');
    principal = await actor(t, 'principal', 'principal_leader');
    landId = (await createDepartment(t, '自然资源局', ['land'], deputy.id)).id;
    handler = await actor(t, 'handler', 'department_handler', landId);
    handler2 = await actor(t, 'handler2', 'department_handler', landId);
    plain = (await createEnterprise(t)).id;
    storyEnterprise = (await createEnterprise(t, { name: '重办企业' })).id;
    pairedEnterprise = (await createEnterprise(t, { isKey: true })).id;
    await createPairing(t, paired.id, pairedEnterprise);
    [{ id: policyId }] = (await t.http.get('/api/v1/sla-policies').set('Authorization', manager.auth).expect(200)).body;

    // The story's first round runs on the drill clock; everything filed after it, and its second round, on the calm one.
    await setPolicy(DRILL);
    story = (await file({ enterpriseId: storyEnterprise })).id;
    await setPolicy(CALM);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('counts a demand that went overdue, was reopened and then resolved fast as late, at tier 3, reopened once', async () => {
    const overdue = await until('the first round overdue', async () => {
      const current = await ticket(story);
      return current.overdueAt !== null && current;
    });
    expect(overdue).toMatchObject({ tier: 3, maxTierReached: 3, everOverdue: true });
    expect(overdue.owner).toEqual({ tier: 3, kind: 'principal_leaders', departmentId: landId, users: [person(principal)] });

    const resolved = (await t.http.post(`/api/v1/tickets/${story}/resolve`).set('Authorization', handler.auth).send({ resolution: '已协调' }).expect(200)).body;
    expect(resolved.owner).toEqual({ tier: 3, kind: null, departmentId: landId, users: [] });
    expect(resolved.resolvedTier).toBe(3);
    await t.http.post(`/api/v1/tickets/${story}/survey-answer`).set('Authorization', liaison.auth).send({ answer: 'unsatisfied', comment: '没解决' }).expect(200);

    // Reopened: back at tier 1 with a fresh clock, yet the ticket remembers the first round.
    const reopened = await ticket(story);
    expect(reopened).toMatchObject({ status: 'reopened', tier: 1, overdueAt: null, reopenCount: 1, maxTierReached: 3, everOverdue: true });
    expect(reopened.owner).toEqual({ tier: 1, kind: 'department', departmentId: landId, users: [person(handler), person(handler2)] });
    const reopenedAt = Date.now();
    await t.http.post(`/api/v1/tickets/${story}/resolve`).set('Authorization', handler.auth).send({ resolution: '已彻底解决' }).expect(200);
    expect(Date.now() - reopenedAt).toBeLessThan(60_000);
    await t.http.post(`/api/v1/tickets/${story}/survey-answer`).set('Authorization', liaison.auth).send({ answer: 'satisfied' }).expect(200);
    const closed = await ticket(story);
    expect(closed).toMatchObject({ status: 'closed', tier: 1, resolvedTier: 1, overdueAt: null, maxTierReached: 3, everOverdue: true });
    expect(closed.resolvedAt < closed.tier3DueAt).toBe(true); // the latest round alone looks on time

    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const { body } = await t.http
      .get(`/api/v1/stats/breakdown?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&groupBy=enterprise`)
      .set('Authorization', manager.auth)
      .expect(200);
    const figures = body.groups.find((g: { key: string }) => g.key === storyEnterprise);
    expect(figures).toMatchObject({
      raised: 1,
      closed: 1,
      closedOnTime: 0,
      onTimeRate: { numerator: 0, denominator: 1, rate: 0 },
      resolvedAtTier1: 0,
      resolvedAtTier2: 0,
      resolvedAtTier3: 0,
      resolvedAfterDeadline: 1,
      reopened: 1,
      reopenings: 1,
      overdue: 0,
      everOverdue: 1,
    });
    expect(figures.overdueHours).toBeGreaterThanOrEqual(0);

    const ledger = await t.http
      .get(`/api/v1/tickets/export?format=csv&enterpriseId=${storyEnterprise}`)
      .set('Authorization', manager.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const [header, row, ...rest] = parse((ledger.body as Buffer).subarray(3).toString('utf8')) as string[][];
    expect(rest).toEqual([]);
    const cells = Object.fromEntries(header.map((h, i) => [h, row[i]]));
    expect(cells).toMatchObject({ 曾超期: '是', 最高层级: '3', 当前层级: '1', 重办次数: '1', 当前负责人: '', 超期时间: '' });
  });

  it('names the owner at every tier, in every ticket response', async () => {
    const department = { tier: 1, kind: 'department', departmentId: landId, users: [person(handler), person(handler2)] };
    const filed = await file({});
    expect(filed.owner).toEqual(department);
    expect((await ticket(filed.id)).owner).toEqual(department);
    const listed = (await t.http.get('/api/v1/tickets?limit=100').set('Authorization', manager.auth).expect(200)).body.items;
    expect(listed.find((x: { id: string }) => x.id === filed.id).owner).toEqual(department);
    const started = (await t.http.post(`/api/v1/tickets/${filed.id}/start`).set('Authorization', handler.auth).send({}).expect(200)).body;
    expect(started.owner).toEqual(department);

    // Nobody owns the category: the managers route it.
    const unrouted = await file({ category: 'other' });
    expect(unrouted.owner).toEqual({ tier: 1, kind: 'managers', departmentId: null, users: [person(manager)] });
    // Filed straight at tier 2: the deputy leader in charge; at tier 3: the principal leaders.
    expect((await file({ startingTier: 2 })).owner).toEqual({ tier: 2, kind: 'deputy_leader', departmentId: landId, users: [person(deputy)] });
    expect((await file({ startingTier: 3 })).owner).toEqual({ tier: 3, kind: 'principal_leaders', departmentId: landId, users: [person(principal)] });

    // Escalated to the paired leader, as the SLA engine writes it under a paired-leader policy.
    const ofPaired = await file({ enterpriseId: pairedEnterprise });
    await db.query(`UPDATE tickets SET tier = 2, assignee_id = $2 WHERE id = $1`, [ofPaired.id, paired.id]);
    expect((await ticket(ofPaired.id)).owner).toEqual({ tier: 2, kind: 'paired_leader', departmentId: landId, users: [person(paired)] });

    // Demands raised at an engagement carry their owner too.
    const logged = await t.http
      .post('/api/v1/engagements')
      .set('Authorization', liaison.auth)
      .send({ type: 'visit', occurredAt: '2026-05-12T10:00:00+08:00', enterpriseIds: [plain], demands: [{ enterpriseId: plain, category: 'land', title: '道路' }] })
      .expect(201);
    expect(logged.body.tickets[0].owner).toEqual(department);
    const read = await t.http.get(`/api/v1/engagements/${logged.body.id}`).set('Authorization', manager.auth).expect(200);
    expect(read.body.tickets[0].owner).toEqual(department);
  });

  it('filters mine=true to what I own now, held before, or is of an enterprise I am paired with, within my scope', async () => {
    const atTier1 = (await file({})).id;
    const atTier2 = (await file({ startingTier: 2 })).id;
    const atTier3 = (await file({ startingTier: 3 })).id;
    const ofPaired = (await file({ enterpriseId: pairedEnterprise })).id;
    const unrouted = (await file({ category: 'other' })).id;

    const handlerMine = await mine(handler);
    expect(handlerMine).toEqual(expect.arrayContaining([atTier1, ofPaired, story])); // owns now; the story's tier 1, held in both rounds
    expect(handlerMine).not.toContain(atTier2); // in their department, but a leader's since intake
    const deputyMine = await mine(deputy);
    expect(deputyMine).toEqual(expect.arrayContaining([atTier2, story])); // owns now; held the story at tier 2 before it escalated
    expect(deputyMine).not.toContain(atTier1); // in their department, never theirs
    const pairedMine = await mine(paired);
    expect(pairedMine).toContain(ofPaired); // a paired enterprise's demand
    expect(pairedMine).not.toContain(atTier1);
    const principalMine = await mine(principal);
    expect(principalMine).toEqual(expect.arrayContaining([atTier3, story]));
    expect(principalMine).not.toContain(atTier1);
    const managerMine = await mine(manager);
    expect(managerMine).toContain(unrouted);
    expect(managerMine).not.toContain(atTier1);
    // mine narrows, never widens: the liaison officer holds nothing.
    expect(await mine(liaison)).toEqual([]);
    // The ledger shares the filter.
    const ledger = await t.http.get('/api/v1/tickets/export?format=csv&mine=true').set('Authorization', paired.auth).buffer(true).parse(binary).expect(200);
    const [header, ...rows] = parse((ledger.body as Buffer).subarray(3).toString('utf8')) as string[][];
    // Both of the paired enterprise's demands, oldest first: one escalated to the paired leader, one with the department.
    expect(rows.map((row) => row[header.indexOf('当前负责人')])).toEqual(['paired', 'handler、handler2']);
    await t.http.get('/api/v1/tickets?mine=maybe').set('Authorization', manager.auth).expect(400);
  });
});
