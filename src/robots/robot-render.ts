import {
  DINGTALK_MARKDOWN_MAX_BYTES,
  FEISHU_BODY_MAX_BYTES,
  type RobotPlatform,
  WECOM_MARKDOWN_MAX_BYTES,
  WECOM_TEXT_MAX_BYTES,
} from './robot-platforms';
import type { RobotMessage } from './robot-message';
import { cutUtf8, packUnits, utf8Bytes } from './utf8-cut';

/** A request body as the platform documents it, before signing (DingTalk signs the URL, Feishu adds `timestamp`/`sign`). */
export type RobotBody = Record<string, unknown>;

const ELLIPSIS = '…（内容过长，已截断）';

const linkUnit = (m: RobotMessage) => (m.link ? [`[${m.link.label}](${m.link.url})`] : []);

/**
 * WeCom: markdown, split into parts of at most 4096 bytes at line boundaries (a longer line at
 * a character boundary; the link is a line of its own, never cut). WeCom's markdown cannot
 * mention by mobile (only `<@userid>`), so mentions go in one more message, a text with
 * `mentioned_mobile_list`.
 */
export function renderWecom(m: RobotMessage): RobotBody[] {
  const parts = packUnits([`### ${m.title}`, ...m.lines, ...linkUnit(m)], WECOM_MARKDOWN_MAX_BYTES);
  const bodies: RobotBody[] = parts.map((content) => ({ msgtype: 'markdown', markdown: { content } }));
  if (m.mentions.mobiles.length > 0) {
    const content = cutUtf8(`${m.title} 请${m.mentions.names.join('、')}处理`, WECOM_TEXT_MAX_BYTES);
    bodies.push({ msgtype: 'text', text: { content, mentioned_mobile_list: m.mentions.mobiles } });
  }
  return bodies;
}

/**
 * DingTalk: one markdown message (its 20-a-minute budget is better spent on other notices);
 * `@mobile` in the text and `at.atMobiles` both, as DingTalk requires for a markdown mention.
 * Over the limit, the lines are cut at a character boundary; title, link and mentions stay.
 */
export function renderDingtalk(m: RobotMessage): RobotBody[] {
  const head = `### ${m.title}\n\n`;
  const tail = [...linkUnit(m), ...(m.mentions.mobiles.length > 0 ? [m.mentions.mobiles.map((mobile) => `@${mobile}`).join(' ')] : [])]
    .map((unit) => `\n\n${unit}`)
    .join('');
  const body = m.lines.join('\n\n');
  const room = DINGTALK_MARKDOWN_MAX_BYTES - utf8Bytes(head) - utf8Bytes(tail);
  const text = head + (utf8Bytes(body) <= room ? body : cutUtf8(body, room - utf8Bytes(ELLIPSIS)) + ELLIPSIS) + tail;
  return [{ msgtype: 'markdown', markdown: { title: m.title, text }, at: { atMobiles: m.mentions.mobiles, isAtAll: false } }];
}

const FEISHU_TEMPLATES: Record<RobotMessage['severity'], string> = { info: 'blue', warning: 'orange', urgent: 'red' };
/** What signing adds to a Feishu body: a 10-digit timestamp and a 44-character signature. */
const FEISHU_SIGNED_ENVELOPE = { timestamp: '0000000000', sign: 'x'.repeat(44) };

function feishuCard(m: RobotMessage, content: string): RobotBody {
  const elements: unknown[] = [{ tag: 'div', text: { tag: 'lark_md', content } }];
  if (m.link) {
    elements.push({ tag: 'action', actions: [{ tag: 'button', type: 'primary', text: { tag: 'plain_text', content: m.link.label }, url: m.link.url }] });
  }
  return {
    msg_type: 'interactive',
    card: { config: { wide_screen_mode: true }, header: { template: FEISHU_TEMPLATES[m.severity], title: { tag: 'plain_text', content: m.title } }, elements },
  };
}

/**
 * Feishu: an interactive card. A custom bot cannot look anyone up, and a mobile is not an id
 * Feishu's `<at>` accepts, so who must act is named in the text, not mentioned. The whole
 * signed body stays within 20 KB: the text is cut at a character boundary when it would not.
 */
export function renderFeishu(m: RobotMessage): RobotBody[] {
  const text = m.lines.join('\n');
  const fits = (content: string) => utf8Bytes(JSON.stringify({ ...FEISHU_SIGNED_ENVELOPE, ...feishuCard(m, content) })) <= FEISHU_BODY_MAX_BYTES;
  if (fits(text)) return [feishuCard(m, text)];
  // JSON escapes make some text cost more than its bytes: search the longest cut that fits.
  let [lo, hi] = [0, utf8Bytes(text)];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(cutUtf8(text, mid) + ELLIPSIS)) lo = mid;
    else hi = mid - 1;
  }
  return [feishuCard(m, cutUtf8(text, lo) + ELLIPSIS)];
}

export const RENDERERS: Record<RobotPlatform, (m: RobotMessage) => RobotBody[]> = {
  wecom: renderWecom,
  dingtalk: renderDingtalk,
  feishu: renderFeishu,
};
