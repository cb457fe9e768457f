import { EVENT_NAMES, type EventName } from '../events/event-map';

/** A webhook subscribes to events of the bus's vocabulary (src/events/event-map.ts). */
export const WEBHOOK_EVENTS = EVENT_NAMES;
export type WebhookEvent = EventName;

/** Inbox types: every event, and the morning digest (晨报), which is a notice but no webhook event. */
export const NOTIFICATION_TYPES = [...WEBHOOK_EVENTS, 'digest.morning'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
