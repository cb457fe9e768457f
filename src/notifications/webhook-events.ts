/**
 * The one vocabulary of events, past tense: an inbox notification's `type` and a webhook's
 * event are always one of these (README, "Notifications and webhooks", says when each fires).
 * The migrations' CHECK constraints list the same values.
 */
export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.routed',
  'ticket.started',
  'ticket.paused',
  'ticket.resumed',
  'ticket.returned',
  'ticket.extended',
  'ticket.resolved',
  'ticket.reopened',
  'ticket.closed',
  'ticket.warned',
  'ticket.escalated',
  'ticket.overdue',
  'ticket.reminded',
  'survey.sent',
  'survey.reminded',
  'survey.answered',
  'survey.no_response',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Inbox types: every event, and the morning digest (晨报), which is a notice but no webhook event. */
export const NOTIFICATION_TYPES = [...WEBHOOK_EVENTS, 'digest.morning'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
