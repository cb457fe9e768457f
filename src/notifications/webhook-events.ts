import { EVENT_NAMES, type EventName } from '../events/event-map';

/** A webhook subscribes to events of the bus's vocabulary (src/events/event-map.ts). */
export const WEBHOOK_EVENTS = EVENT_NAMES;
export type WebhookEvent = EventName;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
