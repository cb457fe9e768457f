export const WEBHOOKS_QUEUE = 'webhooks';

/** Sends one delivery; the job id is the delivery id, so adding it again while it exists is a no-op. */
export const DELIVER_JOB = 'deliver';
/** Enqueues pending deliveries whose job was never added (Redis was away after the commit) or got lost. */
export const SWEEP_JOB = 'sweep';
export const SWEEPER_SCHEDULER_ID = 'webhook-sweeper';
export const SWEEP_EVERY_MS = 60_000;

/** 1 try and 5 retries, waiting base, 2×, 4×, 8×, 16× base between them. */
export const DELIVERY_ATTEMPTS = 6;

export interface DeliverJobData {
  deliveryId: string;
}
