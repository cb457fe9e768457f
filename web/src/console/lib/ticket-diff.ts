import type { components } from '../../../../clients/api';
import { labelOf, STATUS_LABELS, TIER_LABELS } from './labels';

type Ticket = components['schemas']['TicketDto'];

export interface Change {
  field: string;
  before: string;
  after: string;
}

const dateTime = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
export const shortTime = (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : '—');

const FIELDS: { field: string; show: (t: Ticket) => string }[] = [
  { field: '状态', show: (t) => labelOf(STATUS_LABELS, t.status) },
  { field: '层级', show: (t) => TIER_LABELS[t.tier] },
  { field: '承办部门', show: (t) => t.departmentName ?? '待转派' },
  { field: '当前责任人', show: (t) => t.owner.users.map((u) => u.displayName).join('、') || '—' },
  { field: '一级时限', show: (t) => shortTime(t.tier1DueAt) },
  { field: '二级时限', show: (t) => shortTime(t.tier2DueAt) },
  { field: '三级时限', show: (t) => shortTime(t.tier3DueAt) },
  { field: '办结情况', show: (t) => t.resolution ?? '—' },
  { field: '标题', show: (t) => t.title },
  { field: '诉求内容', show: (t) => t.description || '—' },
];

/** What another user changed between the ticket this page held and the one the server has now. */
export function ticketChanges(held: Ticket, fresh: Ticket): Change[] {
  return FIELDS.map(({ field, show }) => ({ field, before: show(held), after: show(fresh) })).filter((c) => c.before !== c.after);
}
