/** Adds the job of a pending delivery that has none (Redis was away after the commit). */
export const SWEEPER_SCHEDULER_ID = 'robot-sweeper';
export const SWEEP_EVERY_MS = 60_000;

/** 1 try and 7 retries, waiting base × 1, 2, 4 … 64: at the 30 s default about an hour, past DingTalk's 10-minute throttle. */
export const DELIVERY_ATTEMPTS = 8;
