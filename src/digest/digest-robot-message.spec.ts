import { describe, expect, it } from '@jest/globals';
import { calendar2026, shanghai } from '../calendar/calendar-2026.fixture';
import { noticeReleaseAt } from '../robots/quiet-hours';
import { DINGTALK_MARKDOWN_MAX_BYTES, FEISHU_BODY_MAX_BYTES, WECOM_MARKDOWN_MAX_BYTES } from '../robots/robot-platforms';
import { renderDingtalk, renderFeishu, renderWecom } from '../robots/robot-render';
import { digestChannelScope, digestMessageId, digestRobotMessage } from './digest-robot-message';
import { type Digest, type DigestItem, type DigestRecipient, digestDayAt } from './morning-digest';

const BASE = 'https://desk.example.gov.cn/';
const water: DigestRecipient = {
  kind: 'department',
  id: '6f1c2a7e-0000-4000-8000-000000000001',
  name: '水务局',
  userIds: ['h1', 'h2', 'h3'],
  people: [
    { name: '张科长', mobile: '13700001111' },
    { name: '刘办事员', mobile: null },
    { name: '赵<@all>', mobile: '13700002222' },
  ],
};
const deputy: DigestRecipient = { kind: 'leader', id: 'deputy', name: '李副县长', userIds: ['deputy'], people: [{ name: '李副县长', mobile: '13912345678' }] };

const item = (number: string, fields: Partial<DigestItem> = {}): DigestItem => ({
  ticketId: `t-${number}`,
  number,
  title: `需求${number}`,
  enterpriseName: '示范企业',
  tier: 1,
  dueAt: shanghai('2026-10-12T17:00:00').toISOString(),
  ...fields,
});
const digest = (recipient: DigestRecipient, fields: Partial<Digest> = {}): Digest => ({
  day: '2026-10-12',
  recipient,
  dueToday: [],
  warned: [],
  overdue: [],
  escalated: [],
  ...fields,
});
const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('the morning digest as a robot message', () => {
  it('a department: heading, counts, one line per demand, its handlers named and @-mentioned by mobile, a link to the console', () => {
    const message = digestRobotMessage(
      digest(water, {
        dueToday: [item('2026-000001', { title: '供水管道[改线](http://x)' })],
        overdue: [item('2026-000004', { tier: 3, dueAt: shanghai('2026-10-09T17:00:00').toISOString() })],
      }),
      BASE,
    );
    expect(message).toEqual({
      title: '【晨报】2026-10-12 水务局',
      lines: [
        '今日到期 1 · 即将超时 0 · 已超期 1 · 新升级 0',
        '【今日到期】',
        '2026-000001 示范企业：供水管道［改线］(http://x)（第1级，截止 17:00）',
        '【已超期】',
        '2026-000004 示范企业：需求2026-000004（第3级，截止 10-09 17:00）',
        '请查阅：张科长、刘办事员、赵＜@all＞',
      ],
      link: { label: '打开工作台', url: 'https://desk.example.gov.cn/' },
      mentions: { names: ['张科长', '刘办事员', '赵＜@all＞'], mobiles: ['13700001111', '13700002222'] },
      severity: 'warning',
    });
  });

  it('a leader: mentioned alone; nothing overdue is information', () => {
    const message = digestRobotMessage(digest(deputy, { escalated: [item('2026-000003', { tier: 2 })] }), BASE);
    expect(message.title).toBe('【晨报】2026-10-12 李副县长');
    expect(message.mentions).toEqual({ names: ['李副县长'], mobiles: ['13912345678'] });
    expect(message.severity).toBe('info');
    expect(renderDingtalk(message)[0]).toMatchObject({ at: { atMobiles: ['13912345678'], isAtAll: false } });
    expect((renderDingtalk(message)[0].markdown as { text: string }).text).toMatch(/@13912345678$/);
  });

  it('a long digest stays within each platform limit through the renderers, Chinese text whole', () => {
    const many = Array.from({ length: 400 }, (_, i) => item(`2026-${String(i + 1).padStart(6, '0')}`, { title: '企业新建厂房用地规划许可及供水供电配套🏭'.repeat(2) }));
    const message = digestRobotMessage(digest(water, { dueToday: many, warned: many }), BASE);
    const wecom = renderWecom(message);
    const markdown = wecom.filter((b) => b.msgtype === 'markdown').map((b) => (b.markdown as { content: string }).content);
    expect(markdown.length).toBeGreaterThan(1);
    for (const content of markdown) expect(utf8Bytes(content)).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    expect(markdown.join('\n')).toContain('2026-000400 示范企业');
    expect(markdown.at(-1)).toContain('[打开工作台](https://desk.example.gov.cn/)');
    expect(wecom.at(-1)).toMatchObject({ msgtype: 'text', text: { mentioned_mobile_list: ['13700001111', '13700002222'] } });
    const dingtalk = (renderDingtalk(message)[0].markdown as { text: string }).text;
    expect(utf8Bytes(dingtalk)).toBeLessThanOrEqual(DINGTALK_MARKDOWN_MAX_BYTES);
    expect(dingtalk).toContain('已截断');
    expect(utf8Bytes(JSON.stringify({ timestamp: '0000000000', sign: 'x'.repeat(44), ...renderFeishu(message)[0] }))).toBeLessThanOrEqual(FEISHU_BODY_MAX_BYTES);
    for (const text of [...markdown, dingtalk]) expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
  });

  it("goes to the department's own channels, a leader's to the channels for every ticket", () => {
    expect(digestChannelScope(water)).toBe(water.id);
    expect(digestChannelScope(deputy)).toBeNull();
  });

  it('has one message id per day, recipient and channel', () => {
    const id = digestMessageId('2026-10-12', water, 'channel-a');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(digestMessageId('2026-10-12', { ...water, name: '水务局（新）' }, 'channel-a')).toBe(id);
    const others = [digestMessageId('2026-10-13', water, 'channel-a'), digestMessageId('2026-10-12', deputy, 'channel-a'), digestMessageId('2026-10-12', water, 'channel-b')];
    expect(new Set([id, ...others]).size).toBe(4);
  });
});

describe("the robots' quiet hours agree with the digest's hour", () => {
  const calendar = calendar2026();

  it('do not hold a digest sent when due: 08:30 of a working day, a make-up Saturday included, or later that day', () => {
    for (const local of ['2026-11-30T08:30:00', '2026-10-10T08:30:00', '2026-01-04T08:30:00', '2026-10-08T08:30:00', '2026-11-30T19:59:00']) {
      const now = shanghai(local);
      expect(digestDayAt(now, calendar)).not.toBeNull();
      expect(noticeReleaseAt(now, calendar)).toEqual(now);
    }
  });

  it('hold a digest a worker catches up on after 20:00 until 08:30 of the next working day', () => {
    expect(noticeReleaseAt(shanghai('2026-10-10T20:30:00'), calendar)).toEqual(shanghai('2026-10-12T08:30:00'));
  });
});
