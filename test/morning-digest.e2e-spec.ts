import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { redisOptionsFromUrl } from '../src/config/app.config';
import { QUEUES } from '../src/common/lifecycle/queues';
import { MorningDigestService } from '../src/digest/morning-digest.service';
import { FakeRobot, type FakeRequest } from './support/fake-robots';
import { type Actor, actor, createDepartment, createEnterprise, createPairing } from './support/fixtures';
import { sleep, until } from './support/polling';
import { startTestApp, type TestApp } from './support/test-app';

/** Instants written in Shanghai local time. */
const shanghai = (local: string) => new Date(`${local}+08:00`);
const HANDLER_MOBILE = '13700001111';
const DEPUTY_MOBILE = '13912345678';
/** What a robot showed: DingTalk's markdown title, or WeCom's markdown heading / mention text. */
const shown = (r: FakeRequest) =>
  r.body.msgtype === 'text'
    ? `text ${(r.body.text as { content: string }).content.split(' ')[0]}…`
    : ((r.body.markdown as { title?: string; content?: string }).title ?? (r.body.markdown as { content: string }).content.split('\n')[0]);

interface Notice {
  type: string;
  title: string;
  body: string;
  data: { day?: string; recipient?: { kind: string; name: string }; overdue?: { number: string }[]; escalated?: { number: string }[]; dueToday?: { number: string }[] };
}

describe('the morning digest', () => {
  let t: TestApp;
  let second: TestApp;
  let db: DataSource;
  let manager: Actor;
  let liaison: Actor;
  let deputy: Actor;
  let paired: Actor;
  let handler: Actor;
  let otherHandler: Actor;
  const numbers: Record<string, string> = {};
  // The water department's DingTalk group, and the leaders' WeCom group (a rule for every ticket).
  let waterGroup: FakeRobot;
  let leadersGroup: FakeRobot;

  const at = (app: TestApp, instant: Date) => jest.spyOn(app.app.get(Clock), 'now').mockReturnValue(instant);
  const run = (app: TestApp) => app.app.get(MorningDigestService).runDue();
  const digests = async (who: Actor, day: string) =>
    ((await t.http.get('/api/v1/notifications?limit=100').set('Authorization', who.auth).expect(200)).body.items as Notice[]).filter(
      (n) => n.type === 'digest.morning' && n.data.day === day,
    );
  const runs = async (day: string) => (await db.query<{ digests: number }[]>(`SELECT digests FROM digest_runs WHERE day = $1`, [day])).map((r) => r.digests);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    manager = await actor(t, 'manager', 'manager');
    liaison = await actor(t, 'liaison', 'liaison_officer');
    deputy = await actor(t, 'deputy', 'deputy_leader');
    paired = await actor(t, 'paired', 'deputy_leader');
    const water = await createDepartment(t, '水务局', ['water'], deputy.id);
    handler = await actor(t, 'handler', 'department_handler', water.id);
    otherHandler = await actor(t, 'handler2', 'department_handler', water.id);
    const admin = await actor(t, 'admin', 'admin');
    for (const [who, mobile] of [[handler, HANDLER_MOBILE], [deputy, DEPUTY_MOBILE]] as const) {
      await t.http.patch(`/api/v1/users/${who.id}`).set('Authorization', admin.auth).send({ mobile }).expect(200);
    }
    waterGroup = await new FakeRobot('dingtalk').start();
    leadersGroup = await new FakeRobot('wecom').start();
    for (const [robot, departmentId] of [[waterGroup, water.id], [leadersGroup, undefined]] as const) {
      const channel = (
        await t.http
          .post('/api/v1/robot-channels')
          .set('Authorization', manager.auth)
          .send({ name: `${robot.platform} 群`, platform: robot.platform, webhookUrl: robot.webhookUrl, ...(robot.secret ? { secret: robot.secret } : {}) })
          .expect(201)
      ).body as { id: string };
      await t.http.post('/api/v1/robot-rules').set('Authorization', manager.auth).send({ channelId: channel.id, events: ['ticket.escalated'], departmentId }).expect(201);
    }
    // The stored calendar: 2026 as published (National Day 10-01..10-07, make-up Saturday 10-10).
    await t.http.post('/api/v1/calendar/2026/import').set('Authorization', manager.auth).expect(200);

    const enterprise = await createEnterprise(t, { name: '示范水务企业' });
    await createPairing(t, paired.id, enterprise.id);
    const file = async (title: string) =>
      (await t.http.post('/api/v1/tickets').set('Authorization', liaison.auth).send({ enterpriseId: enterprise.id, category: 'water', title, channel: 'online' }).expect(201)).body as {
        id: string;
        number: string;
      };
    // Their SLA states are set in the table: the digest reads them, the SLA engine has its own tests.
    const dueOn10th = await file('供水管道改线');
    await db.query(`UPDATE tickets SET due_at = $2 WHERE id = $1`, [dueOn10th.id, shanghai('2026-10-10T17:00:00')]);
    const overdue = await file('污水接入');
    await db.query(`UPDATE tickets SET tier = 3, due_at = $2, overdue_at = $2 WHERE id = $1`, [overdue.id, shanghai('2026-10-09T17:00:00')]);
    const escalated = await file('水压不足');
    await db.query(`UPDATE tickets SET tier = 2, assignee_id = $2, escalated_at = $3, due_at = $4 WHERE id = $1`, [
      escalated.id,
      deputy.id,
      shanghai('2026-10-09T12:00:00'),
      shanghai('2026-10-16T17:00:00'),
    ]);
    Object.assign(numbers, { dueOn10th: dueOn10th.number, overdue: overdue.number, escalated: escalated.number });
    // A second process of the same deployment, with its own workers, started once the calendar is stored.
    second = await startTestApp({ joining: t });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await second?.close();
    await t?.close();
    await waterGroup?.stop();
    await leadersGroup?.stop();
  });

  it('sends nothing on a holiday, even a weekday one', async () => {
    at(t, shanghai('2026-10-02T09:00:00')); // Friday of the National Day holiday
    expect(await run(t)).toBe(0);
    expect(await runs('2026-10-02')).toEqual([]);
    expect(await digests(handler, '2026-10-02')).toEqual([]);
    await sleep(1000);
    expect([waterGroup.requests, leadersGroup.requests]).toEqual([[], []]);
  });

  it('runs from 08:30 on a make-up Saturday, once', async () => {
    at(t, shanghai('2026-10-10T08:29:00'));
    expect(await run(t)).toBe(0);
    expect(await runs('2026-10-10')).toEqual([]);

    at(t, shanghai('2026-10-10T08:31:00'));
    // The department, the paired leader, and the deputy the third demand was escalated to.
    expect(await run(t)).toBe(3);
    expect(await run(t)).toBe(0);
    expect(await runs('2026-10-10')).toEqual([3]);

    const [water] = await digests(handler, '2026-10-10');
    expect(water.title).toBe('晨报 2026-10-10 水务局：今日到期 1 · 即将超时 0 · 已超期 1 · 新升级 1');
    expect(water.body).toContain(`${numbers.dueOn10th} 示范水务企业：供水管道改线（第1级，截止 17:00）`);
    expect(water.data.recipient).toEqual({ kind: 'department', id: expect.any(String), name: '水务局' });
    expect((await digests(otherHandler, '2026-10-10')).map((n) => n.title)).toEqual([water.title]);
    const [mine] = await digests(paired, '2026-10-10');
    expect(mine.data.overdue!.map((i) => i.number)).toEqual([numbers.overdue]);
    // No digest ran before: escalations of the last 24 hours count.
    const [deputys] = await digests(deputy, '2026-10-10');
    expect(deputys.data.escalated!.map((i) => i.number)).toEqual([numbers.escalated]);

    // The department's digest reaches its DingTalk group, signed (the fake checks), its handler with a mobile @-mentioned.
    const [dingtalk] = await until('the water group', async () => waterGroup.accepted().length > 0 && waterGroup.accepted());
    expect(dingtalk.body).toMatchObject({ msgtype: 'markdown', markdown: { title: '【晨报】2026-10-10 水务局' }, at: { atMobiles: [HANDLER_MOBILE] } });
    const text = (dingtalk.body.markdown as { text: string }).text;
    expect(text).toContain('今日到期 1 · 即将超时 0 · 已超期 1 · 新升级 1');
    expect(text).toContain(`${numbers.dueOn10th} 示范水务企业：供水管道改线（第1级，截止 17:00）`);
    expect(text).toContain('请查阅：handler、handler2');
    expect(text).toMatch(new RegExp(`@${HANDLER_MOBILE}$`));
    // Each leader's digest reaches the leaders' WeCom group: the deputy's with a mention message (a mobile), the paired leader's without.
    await until('the leaders group', async () => leadersGroup.accepted().length >= 3);
    await sleep(1000);
    expect(waterGroup.requests.map(shown)).toEqual(['【晨报】2026-10-10 水务局']);
    expect(leadersGroup.requests.map(shown).sort()).toEqual(['### 【晨报】2026-10-10 deputy', '### 【晨报】2026-10-10 paired', 'text 【晨报】2026-10-10…']);
    const mention = leadersGroup.requests.find((r) => r.body.msgtype === 'text')!;
    expect(mention.body.text).toEqual({ content: '【晨报】2026-10-10 deputy 请deputy处理', mentioned_mobile_list: [DEPUTY_MOBILE] });
  });

  it('runs exactly once when two workers race for the day; an escalation already reported is not repeated', async () => {
    at(t, shanghai('2026-10-12T08:35:00'));
    at(second, shanghai('2026-10-12T08:35:00'));
    const results = await Promise.all([run(t), run(second), run(t), run(second)]);
    // The department and the paired leader still have an overdue demand; the deputy's escalation went out on the 10th.
    expect(results.sort()).toEqual([0, 0, 0, 2]);
    expect(await runs('2026-10-12')).toEqual([2]);
    for (const who of [handler, otherHandler, paired]) expect(await digests(who, '2026-10-12')).toHaveLength(1);
    expect(await digests(deputy, '2026-10-12')).toEqual([]);
    const [water] = await digests(handler, '2026-10-12');
    expect(water.data.escalated).toEqual([]);

    // Once per channel and recipient: the department's group once, the leaders' group the paired leader's digest once.
    await until('the day\'s robot messages', async () => waterGroup.accepted().length >= 2 && leadersGroup.accepted().length >= 4);
    await sleep(1500);
    expect(waterGroup.requests.map(shown)).toEqual(['【晨报】2026-10-10 水务局', '【晨报】2026-10-12 水务局']);
    expect(leadersGroup.requests.map(shown).filter((title) => title.includes('2026-10-12'))).toEqual(['### 【晨报】2026-10-12 paired']);
    expect([...waterGroup.requests, ...leadersGroup.requests].every((r) => r.code === 0)).toBe(true);
    expect(await db.query(`SELECT count(*)::int AS n FROM robot_deliveries WHERE event IS NULL AND status = 'delivered'`)).toEqual([{ n: 5 }]);
  });

  it('is woken by a BullMQ job scheduler in each worker process', async () => {
    const queue = new Queue(QUEUES.digest.name, { connection: redisOptionsFromUrl(process.env.REDIS_URL!), prefix: t.queuePrefix });
    try {
      expect(await queue.getJobScheduler('morning-digest')).toMatchObject({ name: 'run' });
    } finally {
      await queue.close();
    }
  });
});
