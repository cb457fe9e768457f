import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Clock } from '../src/common/clock';
import type { RobotChannelDto, RobotDeliveryDto, RobotRuleDto } from '../src/robots/dto/robot.dto';
import { QUEUES } from '../src/common/lifecycle/queues';
import type { RobotMessage } from '../src/robots/robot-message';
import { RobotOutbox } from '../src/robots/robot-outbox.service';
import { FakeRobot } from './support/fake-robots';
import { type Actor, actor, countRows, createDepartment, createEnterprise } from './support/fixtures';
import { sleep, until } from './support/polling';
import { startTestApp, type TestApp } from './support/test-app';

const BASE = 'https://desk.example.gov.cn';
/** Drill policy: tiers end 3, 6 and 9 seconds after intake. */
const DRILL = { mode: 'duration', budgets: ['PT3S', 'PT6S', 'PT9S'], warnRatio: 0.5, reminderInterval: 'PT2S' };
const DEPUTY_MOBILE = '13912345678';
const HANDLER_MOBILE = '13700001111';

/** Valid UTF-8 that round-trips: a cut inside a character would not. */
const wellFormed = (text: string) => !text.includes('\uFFFD') && Buffer.from(text, 'utf8').toString('utf8') === text;
const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('group robots: WeCom, DingTalk and Feishu', () => {
  let t: TestApp;
  let admin: Actor;
  let manager: Actor;
  let liaison: Actor;
  let deputy: Actor;
  let handler: Actor;
  let landId: string;
  let powerId: string;
  let enterprise: { id: string; name: string };
  const fakes: FakeRobot[] = [];

  const fake = async (platform: FakeRobot['platform']) => {
    const robot = await new FakeRobot(platform).start();
    fakes.push(robot);
    return robot;
  };
  const channel = async (robot: FakeRobot, name = `${robot.platform} 群`) =>
    (
      await t.http
        .post('/api/v1/robot-channels')
        .set('Authorization', manager.auth)
        .send({ name, platform: robot.platform, webhookUrl: robot.webhookUrl, ...(robot.secret ? { secret: robot.secret } : {}) })
        .expect(201)
    ).body as RobotChannelDto;
  const rule = async (body: Record<string, unknown>) =>
    (await t.http.post('/api/v1/robot-rules').set('Authorization', manager.auth).send(body).expect(201)).body as RobotRuleDto;
  const deliveries = async (channelId: string) =>
    (await t.http.get(`/api/v1/robot-channels/${channelId}/deliveries?limit=100`).set('Authorization', manager.auth).expect(200)).body
      .items as RobotDeliveryDto[];
  const file = async (category: 'land' | 'power', title = '扩建用地') =>
    (
      await t.http
        .post('/api/v1/tickets')
        .set('Authorization', liaison.auth)
        .send({ enterpriseId: enterprise.id, category, title, channel: 'online' })
        .expect(201)
    ).body as { id: string; number: string };
  /** Runs `fn` with the app's clock fixed at `instant` (what the quiet hours are judged by), then gives the real clock back. */
  const at = async <T>(instant: string, fn: () => Promise<T>): Promise<T> => {
    const spy = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date(instant));
    try {
      return await fn();
    } finally {
      spy.mockRestore();
    }
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_BASE_URL: `${BASE}/`, ROBOT_BACKOFF_MS: '300', SLA_SWEEP_EVERY_MS: '500' } });
    admin = await actor(t, 'admin', 'admin');
    manager = await actor(t, 'manager', 'manager');
    liaison = await actor(t, 'liaison', 'liaison_officer');
    deputy = await actor(t, 'deputy', 'deputy_leader');
    landId = (await createDepartment(t, '自然资源局', ['land'], deputy.id)).id;
    powerId = (await createDepartment(t, '供电所', ['power'])).id;
    handler = await actor(t, 'handler', 'department_handler', landId);
    await actor(t, 'power-handler', 'department_handler', powerId);
    for (const [who, mobile] of [[deputy, DEPUTY_MOBILE], [handler, HANDLER_MOBILE]] as const) {
      await t.http.patch(`/api/v1/users/${who.id}`).set('Authorization', admin.auth).send({ mobile }).expect(200);
    }
    enterprise = await createEnterprise(t, { name: '晋城宏达精密制造有限公司' });
  });

  afterAll(async () => {
    await t?.close();
    for (const robot of fakes) await robot.stop();
  });

  it('users carry a mainland mobile, validated', async () => {
    const user = (await t.http.get('/api/v1/users?role=deputy_leader').set('Authorization', admin.auth).expect(200)).body.find((u: { id: string }) => u.id === deputy.id);
    expect(user.mobile).toBe(DEPUTY_MOBILE);
    for (const mobile of ['1391234567', '23912345678', '+8613912345678', '139 1234 5678']) {
      await t.http.patch(`/api/v1/users/${deputy.id}`).set('Authorization', admin.auth).send({ mobile }).expect(400);
    }
  });

  it('channels: official hosts only, a secret exactly where the platform signs, URL key masked and secret never answered', async () => {
    const before = await countRows(t, 'robot_channels');
    const refused = [
      { platform: 'dingtalk', webhookUrl: 'https://evil.example/robot/send?access_token=abc', secret: 'SEC0123456789' },
      { platform: 'dingtalk', webhookUrl: 'http://oapi.dingtalk.com/robot/send?access_token=abc', secret: 'SEC0123456789' },
      { platform: 'dingtalk', webhookUrl: 'https://oapi.dingtalk.com/robot/send', secret: 'SEC0123456789' },
      { platform: 'dingtalk', webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc' },
      { platform: 'wecom', webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1', secret: 'SEC0123456789' },
      { platform: 'wecom', webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc' },
      { platform: 'feishu', webhookUrl: 'https://open.feishu.cn.evil.example/open-apis/bot/v2/hook/abc', secret: 'SEC0123456789' },
      { platform: 'feishu', webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/', secret: 'SEC0123456789' },
      { platform: 'teams', webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc' },
    ];
    for (const body of refused) {
      await t.http.post('/api/v1/robot-channels').set('Authorization', manager.auth).send({ name: '群', ...body }).expect(400);
    }
    expect(await countRows(t, 'robot_channels')).toBe(before);
    await t.http
      .post('/api/v1/robot-channels')
      .set('Authorization', liaison.auth)
      .send({ name: '群', platform: 'wecom', webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1' })
      .expect(403);

    const created = (
      await t.http
        .post('/api/v1/robot-channels')
        .set('Authorization', manager.auth)
        .send({ name: '领导群', platform: 'dingtalk', webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=5a3ecf88f2b3eb50db30ecfc00f53033', secret: 'SECsecretsecretsecret' })
        .expect(201)
    ).body as RobotChannelDto & { secret?: string };
    expect(created).toMatchObject({ platform: 'dingtalk', hasSecret: true, active: true, webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=5a3e****3033' });
    expect(JSON.stringify(created)).not.toContain('SECsecret');
    const listed = (await t.http.get('/api/v1/robot-channels').set('Authorization', admin.auth).expect(200)).body as RobotChannelDto[];
    expect(JSON.stringify(listed)).not.toMatch(/SECsecret|5a3ecf88f2b3eb50/);
    const renamed = await t.http.patch(`/api/v1/robot-channels/${created.id}`).set('Authorization', manager.auth).send({ name: '领导群（新）', secret: null }).expect(400);
    expect(renamed.body.errors[0].field).toBe('secret');
    await t.http.patch(`/api/v1/robot-channels/${created.id}`).set('Authorization', manager.auth).send({ webhookUrl: 'https://example.com/robot/send?access_token=x' }).expect(400);
    expect((await t.http.patch(`/api/v1/robot-channels/${created.id}`).set('Authorization', manager.auth).send({ active: false }).expect(200)).body.active).toBe(false);

    await t.http.post('/api/v1/robot-rules').set('Authorization', manager.auth).send({ channelId: '00000000-0000-4000-8000-000000000000', events: ['ticket.escalated'] }).expect(400);
    await t.http.post('/api/v1/robot-rules').set('Authorization', manager.auth).send({ channelId: created.id, events: ['ticket.exploded'] }).expect(400);
    await t.http.post('/api/v1/robot-rules').set('Authorization', manager.auth).send({ channelId: created.id, events: ['ticket.escalated'], departmentId: '00000000-0000-4000-8000-000000000000' }).expect(400);
    const made = await rule({ channelId: created.id, events: ['ticket.overdue'], description: '超期' });
    await t.http.delete(`/api/v1/robot-channels/${created.id}`).set('Authorization', manager.auth).expect(204);
    await t.http.get(`/api/v1/robot-rules/${made.id}`).set('Authorization', manager.auth).expect(404);
  });

  it("an escalation reaches the deputy's DingTalk robot, signed, the deputy @-mentioned; a rate-limit errcode is retried and delivered once", async () => {
    const dingtalk = await fake('dingtalk');
    const leaders = await channel(dingtalk, '分管领导群');
    await rule({ channelId: leaders.id, events: ['ticket.escalated'], departmentId: landId, mentionOwners: true });
    const [policy] = (await t.http.get('/api/v1/sla-policies').set('Authorization', manager.auth).expect(200)).body;
    await t.http.patch(`/api/v1/sla-policies/${policy.id}`).set('Authorization', manager.auth).send(DRILL).expect(200);
    // The first answer is DingTalk's "send too fast": the delivery must go again, later, once.
    dingtalk.force(130101);

    const ticket = await file('land', '双回路供电改造');
    const toDeputy = await until('the escalation to tier 2 accepted by DingTalk', async () =>
      dingtalk.accepted().find((r) => ((r.body.at as { atMobiles: string[] }).atMobiles ?? []).includes(DEPUTY_MOBILE)),
    );
    const { markdown, at } = toDeputy.body as { markdown: { title: string; text: string }; at: { atMobiles: string[]; isAtAll: boolean } };
    expect(at).toEqual({ atMobiles: [DEPUTY_MOBILE], isAtAll: false });
    expect(markdown.title).toBe(`【已升级至二级】${ticket.number}`);
    expect(markdown.text).toContain(`@${DEPUTY_MOBILE}`);
    expect(markdown.text).toContain('企业：晋城宏达精密制造有限公司');
    expect(markdown.text).toContain('层级：二级');
    expect(markdown.text).toMatch(/办理期限：\d{4}-\d\d-\d\d \d\d:\d\d（北京时间）/);
    expect(markdown.text).toContain('需处理：deputy');
    expect(markdown.text).toContain(`[打开工单](${BASE}/tickets/${ticket.id})`);

    // Both attempts of that delivery reached DingTalk (the first refused with 130101); it was accepted once.
    const first = dingtalk.requests[0];
    expect(first.code).toBe(130101);
    expect((first.body.markdown as { title: string }).title).toBe(markdown.title);
    expect(dingtalk.accepted().filter((r) => (r.body.markdown as { title: string }).title === markdown.title)).toHaveLength(1);
    const delivery = await until('the delivery recorded as delivered', async () =>
      (await deliveries(leaders.id)).find((d) => d.ticketId === ticket.id && d.status === 'delivered' && d.attempts === 2),
    );
    expect(delivery).toMatchObject({ event: 'ticket.escalated', partsSent: 1, lastErrorCode: 130101, lastError: 'forced by the test' });
    // Only the land department's rule: a power ticket's escalation is not routed here.
    expect((await deliveries(leaders.id)).every((d) => d.ticketId === ticket.id)).toBe(true);
  });

  it('a WeCom message over 4096 bytes is split at line and character boundaries, the link whole, mentions in a text message', async () => {
    const wecom = await fake('wecom');
    const group = await channel(wecom);
    const lines = Array.from({ length: 60 }, (_, i) => `第${i + 1}项：企业反映用地指标紧张😀，请协调解决。`.repeat(3));
    lines.push('超长说明🚧'.repeat(600)); // one line of 6,600 bytes: must be cut inside
    const message: RobotMessage = {
      title: '【今日待办】自然资源局',
      lines,
      link: { label: '打开待办', url: `${BASE}/tickets?mine=true` },
      mentions: { names: ['handler'], mobiles: [HANDLER_MOBILE] },
      severity: 'info',
    };
    const outbox = t.app.get(RobotOutbox);
    const messageId = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
    const id = await outbox.send(group.id, message, { messageId });
    expect(await outbox.send(group.id, message, { messageId })).toBeNull(); // the same message again: nothing new

    const delivery = await until('the WeCom delivery', async () => (await deliveries(group.id)).find((d) => d.id === id && d.status === 'delivered'));
    const markdowns = wecom.accepted().filter((r) => r.body.msgtype === 'markdown').map((r) => (r.body.markdown as { content: string }).content);
    const texts = wecom.accepted().filter((r) => r.body.msgtype === 'text');
    expect(markdowns.length).toBeGreaterThanOrEqual(4);
    expect(delivery.partsSent).toBe(markdowns.length + 1);
    for (const content of markdowns) {
      expect(utf8Bytes(content)).toBeLessThanOrEqual(4096);
      expect(wellFormed(content)).toBe(true);
    }
    expect(markdowns.join('\n').replace(/\n/g, '')).toBe(['### 【今日待办】自然资源局', ...lines, `[打开待办](${BASE}/tickets?mine=true)`].join(''));
    expect(markdowns.filter((c) => c.includes(`[打开待办](${BASE}/tickets?mine=true)`))).toHaveLength(1);
    expect(texts.map((r) => r.body.text)).toEqual([{ content: '【今日待办】自然资源局 请handler处理', mentioned_mobile_list: [HANDLER_MOBILE] }]);
  });

  it("keeps within a robot's 20 messages a minute: the 21st waits for the window, without spending an attempt", async () => {
    const dingtalk = await fake('dingtalk');
    const busy = await channel(dingtalk, '繁忙群');
    const outbox = t.app.get(RobotOutbox);
    const ids: string[] = [];
    for (let i = 0; i < 21; i++) {
      const messageId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const message: RobotMessage = { title: `【测试】第${i + 1}条`, lines: ['企业：某企业'], mentions: { names: [], mobiles: [] }, severity: 'info' };
      ids.push((await outbox.send(busy.id, message, { messageId }))!);
    }
    await until('20 messages accepted', async () => dingtalk.accepted().length >= 20);
    await sleep(1000);
    expect(dingtalk.requests).toHaveLength(20);
    expect(dingtalk.requests.every((r) => r.code === 0)).toBe(true);
    const pending = (await deliveries(busy.id)).filter((d) => d.status === 'pending');
    expect(pending).toHaveLength(1);
    expect(pending[0].attempts).toBe(0);
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.robots.name));
    expect(await (await queue.getJob(pending[0].id))!.getState()).toBe('delayed');
    expect(ids).toContain(pending[0].id);
  });

  it("Feishu: a department's rule delivers a signed card for its tickets only; a non-urgent notice waits out quiet hours", async () => {
    const feishu = await fake('feishu');
    const group = await channel(feishu, '自然资源局工作群');
    await rule({ channelId: group.id, events: ['ticket.created', 'ticket.started'], departmentId: landId });
    // Where a message about the department belongs (the morning digest asks this).
    expect(await t.app.get(RobotOutbox).channelsFor(landId)).toContain(group.id);
    expect(await t.app.get(RobotOutbox).channelsFor(powerId)).toEqual([]);
    const recorded = (ticketId: string, event: string) =>
      until(`the ${event} delivery of ${ticketId}`, async () => (await deliveries(group.id)).find((d) => d.ticketId === ticketId && d.event === event));

    // Tuesday 10:00 in Shanghai: inside a working day's hours, the cards go at once (quiet hours are
    // judged when the robots handle the event, so the clock stays fixed until they have).
    const land = await at('2026-12-01T10:00:00+08:00', async () => {
      const filed = await file('land', '厂房扩建用地预审');
      await recorded(filed.id, 'ticket.created');
      await t.http.post(`/api/v1/tickets/${filed.id}/start`).set('Authorization', handler.auth).send({}).expect(200);
      await recorded(filed.id, 'ticket.started');
      return filed;
    });
    const power = await file('power', '临时用电');
    const cardOf = (title: string) => until(title, async () => feishu.accepted().find((r) => JSON.stringify(r.body).includes(title)));
    await cardOf(`【新诉求】${land.number}`);
    const card = await cardOf(`【开始办理】${land.number}`);
    expect(card.body).toMatchObject({
      msg_type: 'interactive',
      card: { header: { template: 'blue', title: { tag: 'plain_text', content: `【开始办理】${land.number}` } } },
    });
    const elements = (card.body.card as { elements: { tag: string; text?: { content: string }; actions?: { url: string }[] }[] }).elements;
    expect(elements[0].text?.content).toContain('需处理：handler');
    expect(elements[1].actions?.[0].url).toBe(`${BASE}/tickets/${land.id}`);

    // Saturday 23:00: the same kind of notice waits for Monday 08:30.
    const second = await at('2026-12-05T23:00:00+08:00', async () => {
      const filed = await file('land', '规划许可咨询');
      await t.http.post(`/api/v1/tickets/${filed.id}/start`).set('Authorization', handler.auth).send({}).expect(200);
      await recorded(filed.id, 'ticket.started');
      return filed;
    });
    const waiting = (await deliveries(group.id)).find((d) => d.ticketId === second.id && d.event === 'ticket.started')!;
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0, notBefore: '2026-12-07T00:30:00.000Z' });
    await sleep(1500);
    expect(feishu.requests.some((r) => JSON.stringify(r.body).includes(`【开始办理】${second.number}`))).toBe(false);
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.robots.name));
    const job = (await queue.getJob(waiting.id))!;
    expect(await job.getState()).toBe('delayed');
    // Redis loses the job: the sweeper leaves a release days away to a later sweep…
    await job.remove();
    const outbox = t.app.get(RobotOutbox);
    await outbox.sweep();
    expect(await queue.getJob(waiting.id)).toBeUndefined();
    // …and on Monday morning adds it, due at once: it is sent then.
    await at('2026-12-07T08:31:00+08:00', () => outbox.sweep());
    await cardOf(`【开始办理】${second.number}`);
    expect((await deliveries(group.id)).find((d) => d.id === waiting.id)).toMatchObject({ status: 'delivered', attempts: 1 });

    // The power department's ticket never reaches this group.
    await t.http.post(`/api/v1/tickets/${power.id}/start`).set('Authorization', admin.auth).send({}).expect(200);
    await sleep(500);
    expect(feishu.requests.some((r) => JSON.stringify(r.body).includes(power.number))).toBe(false);
    expect(feishu.requests.every((r) => r.code === 0)).toBe(true);
  });
});
