import { describe, expect, it } from '@jest/globals';
import { eventMessage, inert, type RobotMessage, type TicketFacts } from './robot-message';
import { DINGTALK_MARKDOWN_MAX_BYTES, FEISHU_BODY_MAX_BYTES, WECOM_MARKDOWN_MAX_BYTES } from './robot-platforms';
import { renderDingtalk, renderFeishu, renderWecom } from './robot-render';
import { cutUtf8, packUnits, splitUtf8, utf8Bytes } from './utf8-cut';

const facts: TicketFacts = {
  id: '0b4c1a7e-54f3-4d8e-9a40-3b8c6a1f2d11',
  number: 'DD-2026-000123',
  title: '双回路供电 [急](http://evil.example) <@all>',
  status: 'in_progress',
  tier: 1,
  dueAt: new Date('2026-05-12T10:00:00Z'),
  enterprise: '晋城宏达精密制造有限公司',
  owners: [
    { name: '王副主任', mobile: '13800000001' },
    { name: '李科长', mobile: null },
  ],
};

const message = (lines: string[], mobiles = ['13800000001']): RobotMessage => ({
  title: '【已升级至二级】DD-2026-000123',
  lines,
  link: { label: '打开工单', url: 'https://desk.example.gov.cn/tickets/0b4c1a7e-54f3-4d8e-9a40-3b8c6a1f2d11' },
  mentions: { names: ['王副主任'], mobiles },
  severity: 'urgent',
});

/** Valid UTF-8 all the way: a cut inside a sequence would decode to U+FFFD. */
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text && !/\p{Surrogate}/u.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));

describe('utf8 cuts', () => {
  it('cuts Chinese and emoji on character boundaries, never inside a sequence', () => {
    expect(cutUtf8('办理期限', 7)).toBe('办理'); // 3 bytes a character
    expect(cutUtf8('ok👍🏽!', 9)).toBe('ok'); // the thumbs-up with its skin tone is one 8-byte grapheme
    expect(cutUtf8('ok👍🏽!', 10)).toBe('ok👍🏽');
    expect(cutUtf8('👨‍👩‍👧', 10)).toBe(''); // a family is one grapheme of 18 bytes: all or nothing
  });

  it('text exactly at the limit is kept whole; one byte more is cut', () => {
    const exact = '中'.repeat(1365) + 'a'; // 4096 bytes
    expect(utf8Bytes(exact)).toBe(4096);
    expect(cutUtf8(exact, 4096)).toBe(exact);
    expect(cutUtf8(exact + 'b', 4096)).toBe(exact);
    expect(packUnits([exact], 4096)).toEqual([exact]);
  });

  it('splits long text into pieces that rebuild it', () => {
    const text = '企业诉求😀'.repeat(500);
    const pieces = splitUtf8(text, 1000);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(utf8Bytes(piece)).toBeLessThanOrEqual(1000);
      expect(wellFormed(piece)).toBe(true);
    }
  });
});

describe('eventMessage', () => {
  it('says in Chinese what happened, to which enterprise, the tier, the deadline in Shanghai time, who acts and the link', () => {
    const m = eventMessage('ticket.escalated', { toTier: 2 }, facts, 'https://desk.example.gov.cn/', true);
    expect(m.title).toBe('【已升级至二级】DD-2026-000123');
    expect(m.lines).toEqual([
      '企业：晋城宏达精密制造有限公司',
      '诉求：双回路供电 ［急］(http://evil.example) ＜@all＞',
      '层级：二级',
      '办理期限：2026-05-12 18:00（北京时间）',
      '需处理：王副主任、李科长',
    ]);
    expect(m.link).toEqual({ label: '打开工单', url: 'https://desk.example.gov.cn/tickets/0b4c1a7e-54f3-4d8e-9a40-3b8c6a1f2d11' });
    expect(m.mentions).toEqual({ names: ['王副主任', '李科长'], mobiles: ['13800000001'] });
    expect(m.severity).toBe('urgent');
  });

  it('mentions nobody when the rule does not ask for it', () => {
    expect(eventMessage('ticket.routed', {}, facts, 'https://d.example', false).mentions.mobiles).toEqual([]);
  });

  it('neutralises markup in user text: no link, mention or tag can be smuggled in', () => {
    expect(inert('<font color="warning">x</font> [a](b)\n<@zhangsan>')).toBe('＜font color="warning"＞x＜/font＞ ［a］(b) ＜@zhangsan＞');
  });
});

describe('renderWecom', () => {
  it('one markdown message and one text message mentioning the mobiles', () => {
    const [markdown, text, ...rest] = renderWecom(message(['企业：某企业']));
    expect(rest).toEqual([]);
    expect(markdown).toEqual({
      msgtype: 'markdown',
      markdown: { content: '### 【已升级至二级】DD-2026-000123\n企业：某企业\n[打开工单](https://desk.example.gov.cn/tickets/0b4c1a7e-54f3-4d8e-9a40-3b8c6a1f2d11)' },
    });
    expect(text).toEqual({ msgtype: 'text', text: { content: '【已升级至二级】DD-2026-000123 请王副主任处理', mentioned_mobile_list: ['13800000001'] } });
  });

  it('over 4096 bytes: split at lines, long lines at character boundaries, the link never cut', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `第${i}行：企业诉求说明😀`.repeat(12));
    lines.push('超长一行'.repeat(800)); // 9,600 bytes on its own
    const bodies = renderWecom(message(lines, []));
    const contents = bodies.map((b) => (b.markdown as { content: string }).content);
    expect(contents.length).toBeGreaterThan(3);
    for (const content of contents) {
      expect(utf8Bytes(content)).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
      expect(wellFormed(content)).toBe(true);
    }
    const link = '[打开工单](https://desk.example.gov.cn/tickets/0b4c1a7e-54f3-4d8e-9a40-3b8c6a1f2d11)';
    expect(contents.filter((c) => c.includes(link))).toHaveLength(1);
    expect(contents.join('\n').replace(/\n/g, '')).toBe(['### 【已升级至二级】DD-2026-000123', ...lines, link].join('').replace(/\n/g, ''));
  });
});

describe('renderDingtalk', () => {
  it('markdown with title, @mobile in the text and at.atMobiles', () => {
    const [body] = renderDingtalk(message(['企业：某企业', '层级：二级']));
    expect(body).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '【已升级至二级】DD-2026-000123',
        text: '### 【已升级至二级】DD-2026-000123\n\n企业：某企业\n\n层级：二级\n\n[打开工单](https://desk.example.gov.cn/tickets/0b4c1a7e-54f3-4d8e-9a40-3b8c6a1f2d11)\n\n@13800000001',
      },
      at: { atMobiles: ['13800000001'], isAtAll: false },
    });
  });

  it('over the limit the lines are cut cleanly; link and mentions stay whole', () => {
    const [body] = renderDingtalk(message(['办理说明🚧'.repeat(3000)]));
    const text = (body.markdown as { text: string }).text;
    expect(utf8Bytes(text)).toBeLessThanOrEqual(DINGTALK_MARKDOWN_MAX_BYTES);
    expect(utf8Bytes(text)).toBeGreaterThan(DINGTALK_MARKDOWN_MAX_BYTES - 40);
    expect(wellFormed(text)).toBe(true);
    expect(text).toMatch(/…（内容过长，已截断）\n\n\[打开工单\]\(https:\/\/desk\.example\.gov\.cn\/tickets\/[0-9a-f-]+\)\n\n@13800000001$/);
  });
});

describe('renderFeishu', () => {
  it('an interactive card: coloured header, lark_md text naming who acts, a button to the ticket', () => {
    const [body] = renderFeishu(message(['需处理：王副主任']));
    expect(body).toEqual({
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        header: { template: 'red', title: { tag: 'plain_text', content: '【已升级至二级】DD-2026-000123' } },
        elements: [
          { tag: 'div', text: { tag: 'lark_md', content: '需处理：王副主任' } },
          {
            tag: 'action',
            actions: [{ tag: 'button', type: 'primary', text: { tag: 'plain_text', content: '打开工单' }, url: 'https://desk.example.gov.cn/tickets/0b4c1a7e-54f3-4d8e-9a40-3b8c6a1f2d11' }],
          },
        ],
      },
    });
  });

  it('the signed body stays within 20 KB, even when JSON escapes make the text cost more', () => {
    for (const line of ['说明"引号"\\'.repeat(2000), '😀'.repeat(6000), 'a'.repeat(30_000)]) {
      const [card] = renderFeishu(message([line]));
      const signed = JSON.stringify({ timestamp: '1764460800', sign: 'Bnu7qoTZlooUzPgVWNtXJjS3B9WqnXCuK1qLyCCNPDw=', ...card });
      expect(utf8Bytes(signed)).toBeLessThanOrEqual(FEISHU_BODY_MAX_BYTES);
      expect(utf8Bytes(signed)).toBeGreaterThan(FEISHU_BODY_MAX_BYTES - 200);
      expect(JSON.stringify(card)).toContain('…（内容过长，已截断）');
    }
  });
});
