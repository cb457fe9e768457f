import type { components } from '../../../../clients/api';
import { CATEGORY_LABELS, CHANNEL_LABELS, STATUS_LABELS, SURVEY_ANSWER_LABELS, SURVEY_CHANNEL_LABELS, SURVEY_STATUS_LABELS } from '../../../../src/tickets/labels';

export { CATEGORY_LABELS, CHANNEL_LABELS, STATUS_LABELS, SURVEY_ANSWER_LABELS, SURVEY_CHANNEL_LABELS, SURVEY_STATUS_LABELS };

type Role = components['schemas']['MeDto']['role'];
export type TicketAction = 'route' | 'start' | 'pause' | 'resume' | 'return' | 'resolve' | 'reopen' | 'close' | 'extend';

export const TIER_LABELS: Record<1 | 2 | 3, string> = { 1: '一级', 2: '二级', 3: '三级' };

/** Who owns each tier, as the 1-2-3 rule names them. */
export const TIER_OWNERS: Record<1 | 2 | 3, string> = { 1: '职能部门', 2: '分管领导', 3: '主要领导' };

export const ROLE_LABELS: Record<Role, string> = {
  liaison_officer: '联络员',
  department_handler: '部门经办人',
  deputy_leader: '分管领导',
  principal_leader: '主要领导',
  manager: '营商办',
  admin: '系统管理员',
};

export const ACTION_LABELS: Record<TicketAction, string> = {
  route: '转派',
  start: '开始办理',
  pause: '暂停',
  resume: '恢复',
  return: '退回',
  resolve: '办结',
  extend: '延期',
  reopen: '重新办理',
  close: '关闭',
};

/** The timeline's event types (ticket_events.type) in Chinese; an unknown one shows as itself. */
export const EVENT_LABELS: Record<string, string> = {
  created: '登记诉求',
  updated: '修改诉求',
  route: '转派',
  start: '开始办理',
  pause: '暂停计时',
  resume: '恢复计时',
  return: '退回',
  resolve: '办结',
  extend: '延期',
  reopen: '重新办理',
  close: '关闭',
  escalated: '逐级上报',
  overdue: '超期',
  overdue_reminder: '超期催办',
  survey_sent: '发送回访',
  survey_reminder: '回访提醒',
  survey_link_resent: '重发回访链接',
  survey_answered: '企业评价',
  survey_no_response: '回访未回复',
};

export const NOTIFICATION_LABELS: Record<string, string> = {
  'ticket.routed': '新交办',
  'ticket.returned': '诉求退回',
  'ticket.extended': '诉求延期',
  'ticket.resolved': '诉求办结',
  'ticket.reopened': '重新办理',
  'ticket.warned': '即将超时',
  'ticket.escalated': '逐级上报',
  'ticket.overdue': '已超期',
  'ticket.reminded': '超期催办',
  'survey.sent': '回访已发送',
  'survey.reminded': '回访提醒',
};

export const labelOf = (labels: Record<string, string>, code: string | null | undefined): string => (code ? (labels[code] ?? code) : '—');

/**
 * A notification's title in Chinese: the server writes "<number> 即将超时 / due soon" or
 * "<number>: route" for API readers; the console shows the Chinese half, or the number alone
 * beside the type's Chinese label.
 */
export function chineseTitle(title: string): string {
  return title.replace(/ \/ [\x20-\x7e]+$/, '').replace(/: [a-z_]+$/, '');
}
