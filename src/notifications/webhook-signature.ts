import { createHmac } from 'node:crypto';

export interface SignedDelivery {
  deliveryId: string;
  event: string;
  /** Unix seconds at sending time; part of what is signed, so a captured request cannot be replayed later. */
  timestamp: number;
  /** The exact JSON text sent as the body. */
  body: string;
  secret: string;
}

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` keyed with the webhook's secret.
 *
 * A receiver verifies a delivery by: reading the raw body bytes before any JSON parsing;
 * recomputing this over `X-DemandDesk-Timestamp + "." + body` with its copy of the secret;
 * comparing with `X-DemandDesk-Signature` in constant time (`crypto.timingSafeEqual`);
 * refusing timestamps more than ~5 minutes from its own clock; and ignoring an
 * `X-DemandDesk-Delivery` id it has already processed (deliveries are at-least-once).
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one delivery request. */
export function webhookHeaders(delivery: SignedDelivery): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'DemandDesk-Webhooks/1',
    'X-DemandDesk-Event': delivery.event,
    'X-DemandDesk-Delivery': delivery.deliveryId,
    'X-DemandDesk-Timestamp': String(delivery.timestamp),
    'X-DemandDesk-Signature': webhookSignature(delivery.secret, delivery.timestamp, delivery.body),
  };
}
