import type { JobsOptions, Queue } from 'bullmq';

/**
 * How long anything waits for Redis to take jobs before leaving them to the sweepers: every
 * enqueue of the app (SLA and survey timers, bus deliveries, webhook sendings) goes through
 * `addJobs` with this one limit. Nothing a request answers with waits for it (enqueues run
 * after commit, unawaited); it bounds how long a lost Redis keeps a promise open.
 */
export const ENQUEUE_WAIT_MS = 2000;

export interface JobToAdd<T> {
  /** Deterministic: adding the same job twice is a no-op while it exists. */
  jobId: string;
  data: T;
  delay?: number;
}

/**
 * Adds the jobs, one `add` each (unlike addBulk, `add` with an existing job id is a no-op).
 * Rejects after ENQUEUE_WAIT_MS rather than waiting on a Redis that is away.
 */
export async function addJobs<T>(queue: Queue<T>, name: string, jobs: JobToAdd<T>[], options: JobsOptions): Promise<void> {
  if (jobs.length === 0) return;
  const adds = jobs.map((job) =>
    // BullMQ's generic job-name types do not narrow a plain string; the queue's data type is what matters.
    (queue as Queue).add(name, job.data, {
      ...options,
      jobId: job.jobId,
      delay: job.delay,
      // The row keeps the outcome; a finished or failed job goes so the sweeper can add it again under its id.
      removeOnComplete: true,
      removeOnFail: true,
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Redis did not answer in time')), ENQUEUE_WAIT_MS);
  });
  try {
    await Promise.race([Promise.all(adds), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface WakeUp<T> {
  /** Deterministic: adding the same wake-up twice is a no-op. */
  jobId: string;
  data: T;
  at: Date;
}

/** Adds one delayed job per stored due instant (Postgres is the truth, Redis only wakes it up). */
export function addWakeUps<T>(queue: Queue<T>, name: string, wakeUps: WakeUp<T>[], now: Date): Promise<void> {
  const jobs = wakeUps.map((w) => ({ jobId: w.jobId, data: w.data, delay: Math.max(0, w.at.getTime() - now.getTime()) }));
  return addJobs(queue, name, jobs, { attempts: 5, backoff: { type: 'exponential', delay: 1000 } });
}

export interface DueRow {
  id: string;
  at: Date;
}

/**
 * Walks every row due before `horizon` in keyset batches (`fetch` gets the horizon and the last
 * (at, id) seen) and hands each batch to `enqueue`; returns how many rows it looked at.
 */
export async function sweepDue<R extends DueRow>(
  horizon: Date,
  fetch: (horizon: Date, after: Date, afterId: string) => Promise<R[]>,
  enqueue: (batch: R[]) => Promise<void>,
): Promise<number> {
  let total = 0;
  let after = new Date(0);
  let afterId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await fetch(horizon, after, afterId);
    if (batch.length === 0) return total;
    await enqueue(batch);
    total += batch.length;
    const last = batch[batch.length - 1];
    after = new Date(last.at);
    afterId = last.id;
  }
}
