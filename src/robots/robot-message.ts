import { localDate, SHANGHAI_OFFSET_MS } from '../calendar/working-time';
import type { EventName } from '../events/event-map';

/**
 * One message for a group, before any platform's format: what the event builders, the
 * morning digest and anything else sending through a channel hand to `RobotMessenger`.
 */
export interface RobotMessage {
  /** One line, shown as the heading (DingTalk also shows it in the chat list). */
  title: string;
  /** Plain text lines (no markup: it is neutralised). */
  lines: string[];
  link?: { label: string; url: string };
  /** Who must act: names are shown; mobiles are @-mentioned where the platform can. */
  mentions: { names: string[]; mobiles: string[] };
  /** Colours the Feishu card header. */
  severity: 'info' | 'warning' | 'urgent';
}

/** What a notice about a ticket says, read when it is sent. */
export interface TicketFacts {
  id: string;
  number: string;
  title: string;
  status: string;
  tier: number;
  dueAt: Date | null;
  enterprise: string;
  owners: { name: string; mobile: string | null }[];
}

export const TIER_NAMES: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级' };

/** `2026-05-12 18:00` in Shanghai time. */
export function shanghaiTime(instant: Date): string {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${localDate(instant)} ${local.slice(11, 16)}`;
}

/**
 * User-written text (titles, names) may not act as markup: `<@id>` would mention someone on
 * WeCom, `[x](url)` would be a link, `<font>`/`<at>` tags render. Brackets become their
 * full-width forms, which read the same in Chinese text.
 */
export function inert(text: string): string {
  return text.replace(/[<>[\]]/g, (c) => ({ '<': '＜', '>': '＞', '[': '［', ']': '］' })[c]!).replace(/[\r\n]+/g, ' ');
}

const HEADINGS: Record<EventName, (tier: number, payload: Record<string, unknown>) => string> = {
  'ticket.created': () => '新诉求',
  'ticket.routed': () => '已分派',
  'ticket.started': () => '开始办理',
  'ticket.paused': () => '暂停计时（等待企业）',
  'ticket.resumed': () => '恢复计时',
  'ticket.returned': () => '退回重新分派',
  'ticket.extended': (tier) => `${TIER_NAMES[tier]}期限已延长`,
  'ticket.resolved': () => '已办结，待回访',
  'ticket.reopened': () => '企业不满意，重新办理',
  'ticket.closed': () => '已关闭',
  'ticket.warned': (tier) => `${TIER_NAMES[tier]}期限将至`,
  'ticket.escalated': (tier, p) => `已升级至${TIER_NAMES[Number(p.toTier) || tier]}`,
  'ticket.overdue': () => '已超期',
  'ticket.reminded': () => '超期未办结（提醒）',
  'survey.sent': () => '回访已发送',
  'survey.reminded': () => '回访提醒已发送',
  'survey.answered': (_tier, p) => `企业已评价：${p.answer === 'satisfied' ? '满意' : p.answer === 'basically_satisfied' ? '基本满意' : '不满意'}`,
  'survey.no_response': () => '回访无应答',
};

const SEVERITY: Partial<Record<EventName, RobotMessage['severity']>> = {
  'ticket.escalated': 'urgent',
  'ticket.overdue': 'urgent',
  'ticket.reminded': 'urgent',
  'ticket.warned': 'warning',
  'ticket.reopened': 'warning',
};

/**
 * The message of a ticket event, in Chinese: number, enterprise, tier, deadline (Shanghai
 * time), who must act and a link to the console's ticket page. `mention` @-mentions the
 * owners by the mobile on their account (owners without one are named only).
 */
export function eventMessage(
  event: EventName,
  payload: Record<string, unknown>,
  facts: TicketFacts,
  publicBaseUrl: string,
  mention: boolean,
): RobotMessage {
  const tier = Number(payload.toTier) || facts.tier;
  const names = facts.owners.map((o) => inert(o.name));
  return {
    title: `【${HEADINGS[event](facts.tier, payload)}】${inert(facts.number)}`,
    lines: [
      `企业：${inert(facts.enterprise)}`,
      `诉求：${inert(facts.title)}`,
      `层级：${TIER_NAMES[tier] ?? tier}`,
      `办理期限：${facts.dueAt ? `${shanghaiTime(facts.dueAt)}（北京时间）` : '无'}`,
      `需处理：${names.length > 0 ? names.join('、') : '无（已办结或无人负责）'}`,
    ],
    link: { label: '打开工单', url: `${publicBaseUrl.replace(/\/+$/, '')}/tickets/${facts.id}` },
    mentions: { names, mobiles: mention ? facts.owners.flatMap((o) => (o.mobile ? [o.mobile] : [])) : [] },
    severity: SEVERITY[event] ?? 'info',
  };
}
