import type { EngagementType } from '../engagements/engagement-types';
import type { Category } from './categories';
import type { TicketStatus } from './ticket-status';

/**
 * The Chinese names of the codes, shared by the ledger export and the web console (which
 * imports this file: keep it free of server imports).
 */

export const CATEGORY_LABELS: Record<Category, string> = {
  land: '用地',
  power: '用电',
  water: '用水',
  gas: '用气',
  financing: '融资',
  labor: '用工',
  permits: '审批',
  policy_payout: '政策兑现',
  intellectual_property: '知识产权',
  infrastructure: '基础设施',
  foreign_trade: '进出口',
  talent_housing: '人才公寓',
  other: '其他',
};

export const CHANNEL_LABELS: Record<EngagementType, string> = {
  visit: '走访',
  breakfast_meeting: '早餐会',
  afternoon_tea: '下午茶',
  evening_salon: '晚间沙龙',
  site_office_meeting: '现场办公会',
  entrepreneur_forum: '企业家座谈会',
  weekend_morning_talk: '周末晨谈',
  service_window: '服务窗口',
  online: '线上',
};

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: '新登记',
  assigned: '已交办',
  in_progress: '办理中',
  paused: '已暂停',
  returned: '已退回',
  resolved: '已办结',
  reopened: '重新办理',
  closed: '已关闭',
};

export const SURVEY_STATUS_LABELS: Record<string, string> = { pending: '待发送', sent: '已发送', answered: '已回复', no_response: '未回复' };
export const SURVEY_ANSWER_LABELS: Record<string, string> = { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' };
export const SURVEY_CHANNEL_LABELS: Record<string, string> = { link: '链接', phone: '电话' };
