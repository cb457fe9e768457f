import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { Department } from '../src/departments/entities/department.entity';
import type { Enterprise } from '../src/enterprises/entities/enterprise.entity';
import { TICKET_ACTIONS, type TicketAction } from '../src/tickets/ticket-workflow';
import { type Actor, actor, createDepartment, createEnterprise, createPairing } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

interface TicketBody {
  id: string;
  status: string;
  tier: number;
  version: number;
  tier1DueAt: string | null;
  tier2DueAt: string | null;
  tier3DueAt: string | null;
  allowedActions: TicketAction[];
}

/** Taken by the survey loop only: no route takes them from a person (see WORKFLOW). */
const SURVEY_LOOP_ACTIONS: TicketAction[] = ['reopen', 'close'];
const ROUTED_ACTIONS = TICKET_ACTIONS.filter((action) => !SURVEY_LOOP_ACTIONS.includes(action));

/**
 * The property "offered ⇔ accepted": for tickets in every status and at each tier, and for every
 * role (in and out of scope), each action a ticket offers its reader is accepted from them, and
 * each one it does not offer is refused (403 or 409, or 404 out of scope) and changes nothing.
 */
describe('allowedActions', () => {
  let t: TestApp;
  let admin: Actor;
  let enterprise: Enterprise;
  let landDept: Department;
  let callers: Record<string, Actor>;

  const file = async (fields: object = {}) =>
    (
      await t.http
        .post('/api/v1/tickets')
        .set('Authorization', admin.auth)
        .send({ enterpriseId: enterprise.id, channel: 'online', category: 'land', title: '扩建厂房用地指标', ...fields })
        .expect(201)
    ).body as TicketBody;
  const read = (who: Actor, id: string) => t.http.get(`/api/v1/tickets/${id}`).set('Authorization', who.auth);
  const body = (action: TicketAction, ticket: TicketBody): object => {
    switch (action) {
      case 'route':
        return { departmentId: landDept.id };
      case 'pause':
      case 'return':
        return { reason: '测试原因' };
      case 'resolve':
        return { resolution: '已办结' };
      case 'extend': {
        const due = [ticket.tier1DueAt, ticket.tier2DueAt, ticket.tier3DueAt][ticket.tier - 1];
        return { newDeadline: new Date(Date.parse(due ?? new Date().toISOString()) + 2 * 86_400_000).toISOString(), reason: '企业补充材料' };
      }
      default:
        return {};
    }
  };
  const take = (who: Actor, action: TicketAction, ticket: TicketBody) =>
    t.http
      .post(`/api/v1/tickets/${ticket.id}/${action}`)
      .set('Authorization', who.auth)
      .send({ ...body(action, ticket), version: ticket.version });
  const byAdmin = async (action: TicketAction, ticket: TicketBody) => (await take(admin, action, ticket).expect(200)).body as TicketBody;
  const answerSurvey = async (ticket: TicketBody, answer: string) => {
    await t.http.post(`/api/v1/tickets/${ticket.id}/survey-answer`).set('Authorization', admin.auth).send({ answer }).expect(200);
    return (await read(admin, ticket.id).expect(200)).body as TicketBody;
  };

  /** A fresh ticket in each situation, brought there through the API. */
  const SITUATIONS: Record<string, () => Promise<TicketBody>> = {
    new: () => file({ category: 'other' }),
    assigned: () => file(),
    in_progress: async () => byAdmin('start', await file()),
    paused: async () => byAdmin('pause', await byAdmin('start', await file())),
    returned: async () => byAdmin('return', await file()),
    resolved: async () => byAdmin('resolve', await file()),
    reopened: async () => answerSurvey(await byAdmin('resolve', await file()), 'unsatisfied'),
    closed: async () => answerSurvey(await byAdmin('resolve', await file()), 'satisfied'),
    tier2_in_progress: async () => byAdmin('start', await file({ startingTier: 2 })),
    tier3_assigned: () => file({ startingTier: 3 }),
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await actor(t, 'admin1', 'admin');
    const deputyOfLand = await actor(t, 'landdeputy', 'deputy_leader');
    landDept = await createDepartment(t, '自然资源局', ['land'], deputyOfLand.id);
    const powerDept = await createDepartment(t, '供电公司', ['power']);
    enterprise = await createEnterprise(t, { name: '晋中精密制造有限公司' });
    const pairedDeputy = await actor(t, 'paired', 'deputy_leader');
    await createPairing(t, pairedDeputy.id, enterprise.id);
    callers = {
      admin,
      manager: await actor(t, 'manager1', 'manager'),
      principal: await actor(t, 'principal1', 'principal_leader'),
      pairedDeputy,
      deputyOfLand,
      landHandler: await actor(t, 'land1', 'department_handler', landDept.id),
      powerHandler: await actor(t, 'power1', 'department_handler', powerDept.id),
      strangerLiaison: await actor(t, 'liaison2', 'liaison_officer'),
    };
    // The enterprise's liaison officer sees its demands without having filed them.
    callers.liaison = await actor(t, 'liaison1', 'liaison_officer');
    await t.app.get(DataSource).query('UPDATE enterprises SET liaison_officer_id = $1 WHERE id = $2', [callers.liaison.id, enterprise.id]);
  });

  afterAll(() => t?.close());

  it.each(Object.keys(SITUATIONS))('%s: every offered action is accepted, every other one refused', async (situation) => {
    const probe = await SITUATIONS[situation]();
    expect(probe.status).toBe(situation.replace(/^tier\d_/, ''));
    const offers: [string, TicketAction[]][] = [];
    const wrong: string[] = [];
    for (const [name, who] of Object.entries(callers)) {
      const res = await read(who, probe.id);
      if (res.status === 404) {
        // Out of scope: nothing is offered because nothing is visible, and every action is a 404.
        for (const action of ROUTED_ACTIONS) await take(who, action, probe).expect(404);
        continue;
      }
      expect(res.status).toBe(200);
      const offered = (res.body as TicketBody).allowedActions;
      for (const action of SURVEY_LOOP_ACTIONS) expect(offered).not.toContain(action);
      offers.push([name, offered]);
      for (const action of ROUTED_ACTIONS.filter((a) => !offered.includes(a))) {
        const refused = await take(who, action, probe);
        if (refused.status !== 403 && refused.status !== 409) wrong.push(`${name} ${action} not offered, answered ${refused.status}`);
      }
    }
    // The refusals changed nothing.
    expect(((await read(admin, probe.id).expect(200)).body as TicketBody).version).toBe(probe.version);

    for (const [name, offered] of offers) {
      for (const action of offered) {
        const ticket = await SITUATIONS[situation]();
        const res = await take(callers[name], action, ticket);
        if (res.status !== 200) wrong.push(`${name} ${action} offered, answered ${res.status} ${res.body.detail}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(offers.length).toBeGreaterThan(0);
  });
});
