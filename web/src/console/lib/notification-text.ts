import type { components } from '../../../../clients/api';
import { TIER_LABELS, TIER_OWNERS } from './labels';
import { shortTime } from './ticket-diff';

type Notification = components['schemas']['NotificationDto'];
type Tier = 1 | 2 | 3;

const tierOf = (value: unknown): Tier | null => (value === 1 || value === 2 || value === 3 ? value : null);
const timeOf = (value: unknown) => (typeof value === 'string' ? shortTime(value) : '');

/** The Chinese sentence for an SLA notice, from its data; null for a notice without one. */
function slaSentence(n: Notification): string | null {
  const { data } = n;
  switch (n.type) {
    case 'ticket.warned': {
      const tier = tierOf(data.tier);
      return tier && `${TIER_LABELS[tier]}时限 ${timeOf(data.dueAt)} 将到，请尽快办理`;
    }
    case 'ticket.escalated': {
      const from = tierOf(data.fromTier);
      const to = tierOf(data.toTier);
      return from && to && `${TIER_LABELS[from]}时限已过，已升至${TIER_LABELS[to]}（${TIER_OWNERS[to]}）`;
    }
    case 'ticket.overdue':
      return '已超过最后办理时限';
    case 'ticket.reminded':
      return `超期未办结（自 ${timeOf(data.overdueAt)} 起）`;
    default:
      return null;
  }
}

/**
 * What an inbox entry says. SLA notices carry an English body for API readers ("Tier 1
 * deadline …: <ticket title>"): the console says it in Chinese from the notice's data, followed
 * by the ticket's title (the body after its first ": "). Other notices' bodies (a reason, a
 * title, a link) are shown as they are.
 */
export function notificationText(n: Notification): string {
  const sentence = slaSentence(n);
  if (!sentence) return n.body;
  const separator = n.body.indexOf(': ');
  return separator >= 0 ? `${sentence}：${n.body.slice(separator + 2)}` : sentence;
}
