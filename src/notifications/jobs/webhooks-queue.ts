export const SWEEPER_SCHEDULER_ID = 'webhook-sweeper';
export const SWEEP_EVERY_MS = 60_000;

/** 1 try and 5 retries, waiting base, 2×, 4×, 8×, 16× base between them. */
export const DELIVERY_ATTEMPTS = 6;
