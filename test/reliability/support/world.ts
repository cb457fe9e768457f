import { DataSource } from 'typeorm';
import { ROLES, type Role } from '../../../src/users/entities/user.entity';
import { type Actor, actor, createDepartment, createEnterprise, createPairing, createUser, eventually, surveyTokenOf } from '../../support/fixtures';
import type { TestApp } from '../../support/test-app';

/** Rows the routes' path parameters point at, so a request reaches the code behind the guard. */
export interface WorldIds {
  departmentId: string;
  enterpriseId: string;
  /** An enterprise of nobody's, free to be paired. */
  unpairedEnterpriseId: string;
  /** An enterprise another liaison officer (the spare user) follows. */
  othersEnterpriseId: string;
  /** A pairing the `end` route may end without changing anyone's ticket scope. */
  sparePairingId: string;
  /** A running tier-1 ticket every role has in scope (created by the liaison officer, in the handler's department, paired with the deputy). */
  ticketId: string;
  /** A resolved ticket whose survey waits for an answer. */
  surveyedTicketId: string;
  engagementId: string;
  spareUserId: string;
  webhookId: string;
  /** A paused DingTalk channel (nothing is sent to the real platform) and a rule of it. */
  robotChannelId: string;
  robotRuleId: string;
  slaPolicyId: string;
  notificationId: string;
}

export interface World {
  actors: Record<Role, Actor>;
  ids: WorldIds;
  /** The token of the surveyed ticket's survey link, as the liaison officer's inbox got it. */
  surveyToken: string;
}

const json = (res: { status: number; body: unknown }, expected: number, what: string) => {
  if (res.status !== expected) throw new Error(`Seeding ${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown> & { id: string };
};

/**
 * One department with its deputy leader and handler, a user of every role, a key enterprise
 * followed by the liaison officer and paired with the deputy, one followed by another officer, a running ticket, an engagement,
 * a resolved ticket with an open survey, a webhook, a paused robot channel with a rule and a non-default SLA policy.
 */
export async function seedWorld(t: TestApp): Promise<World> {
  const deputy = await actor(t, 'w_deputy', 'deputy_leader');
  const department = await createDepartment(t, '自然资源局', ['land'], deputy.id);
  const others = await Promise.all(
    ROLES.filter((role) => role !== 'deputy_leader').map((role) =>
      actor(t, `w_${role}`, role, role === 'department_handler' ? department.id : null),
    ),
  );
  const actors = Object.fromEntries([deputy, ...others].map((a) => [a.role, a])) as Record<Role, Actor>;
  const { liaison_officer: liaison, admin, manager, department_handler: handler } = actors;

  const enterprise = await createEnterprise(t, { isKey: true, liaisonOfficerId: liaison.id, contacts: [{ name: '王经理', phone: '13800000000' }] });
  const unpaired = await createEnterprise(t);
  const spare = await createEnterprise(t);
  await createPairing(t, deputy.id, enterprise.id);
  const sparePairing = await createPairing(t, actors.principal_leader.id, spare.id);

  const created = async (who: Actor, path: string, body: object) =>
    json(await t.http.post(path).set('Authorization', who.auth).send(body), 201, `POST ${path}`);
  const fileDemand = async (title: string) =>
    (await created(liaison, '/api/v1/tickets', { enterpriseId: enterprise.id, category: 'land', title, channel: 'online' })).id;
  const ticketId = await fileDemand('厂区道路');
  const surveyedTicketId = await fileDemand('用电增容');
  json(
    await t.http.post(`/api/v1/tickets/${surveyedTicketId}/resolve`).set('Authorization', handler.auth).send({ resolution: '已协调供电公司' }),
    200,
    'a resolution',
  );
  const link = await eventually(async () => {
    const inbox = await t.http.get('/api/v1/notifications?limit=100').set('Authorization', liaison.auth);
    const sent = (inbox.body.items as { type: string; data: { link?: string } }[]).find((n) => n.type === 'survey.sent');
    return sent?.data.link;
  }, 10_000, 'the survey link');

  const engagement = await created(liaison, '/api/v1/engagements', {
    type: 'afternoon_tea',
    occurredAt: '2026-05-12T15:00:00+08:00',
    enterpriseIds: [enterprise.id],
  });
  const webhook = await created(admin, '/api/v1/webhooks', { url: 'https://relay.invalid/relay', events: ['ticket.closed'], secret: 'relay-secret-0123456789' });
  const robotChannel = await created(manager, '/api/v1/robot-channels', {
    name: '领导群',
    platform: 'dingtalk',
    webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=world0123456789abcdef',
    secret: 'SECworld0123456789abcdef',
  });
  json(await t.http.patch(`/api/v1/robot-channels/${robotChannel.id}`).set('Authorization', manager.auth).send({ active: false }), 200, 'pausing the robot channel');
  const robotRule = await created(manager, '/api/v1/robot-rules', { channelId: robotChannel.id, events: ['ticket.escalated'], mentionOwners: true });
  const policy = await created(manager, '/api/v1/sla-policies', { name: '用水类', category: 'water', mode: 'working_days', budgets: [1, 2, 3] });
  const spareUser = await createUser(t, 'w_spare', 'liaison_officer');
  const othersEnterprise = await createEnterprise(t, { liaisonOfficerId: spareUser.id });
  const [notification] = await t.app.get(DataSource).query(`SELECT id FROM notifications LIMIT 1`);

  return {
    actors,
    surveyToken: surveyTokenOf(link),
    ids: {
      departmentId: department.id,
      enterpriseId: enterprise.id,
      unpairedEnterpriseId: unpaired.id,
      othersEnterpriseId: othersEnterprise.id,
      sparePairingId: sparePairing.id,
      ticketId,
      surveyedTicketId,
      engagementId: engagement.id,
      spareUserId: spareUser.id,
      webhookId: webhook.id,
      robotChannelId: robotChannel.id,
      robotRuleId: robotRule.id,
      slaPolicyId: policy.id,
      notificationId: notification.id,
    },
  };
}
