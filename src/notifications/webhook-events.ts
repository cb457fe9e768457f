/** Every event a webhook may subscribe to; the migration's CHECK constraints list the same values. */
export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.warning',
  'ticket.escalated',
  'ticket.overdue',
  'ticket.reminder',
  'ticket.paused',
  'ticket.resumed',
  'ticket.extended',
  'ticket.resolved',
  'ticket.reopened',
  'ticket.closed',
  'survey.sent',
  'survey.reminder',
  'survey.answered',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
