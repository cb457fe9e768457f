import type { Queue } from 'bullmq';

/** Redis may be away; a request never waits longer than this for it. The sweeper catches up. */
const ENQUEUE_TIMEOUT_MS = 2000;

export interface WakeUp<T> {
  /** Deterministic: adding the same wake-up twice is a no-op. */
  jobId: string;
  data: T;
  at: Date;
}

/**
 * Adds one delayed job per stored due instant (Postgres is the truth, Redis only wakes it up).
 * Rejects after ENQUEUE_TIMEOUT_MS rather than holding a request on a Redis that is away.
 */
export async function addWakeUps<T>(queue: Queue<T>, name: string, wakeUps: WakeUp<T>[], now: Date): Promise<void> {
  const adds = wakeUps.map((w) =>
    // BullMQ's generic job-name types do not narrow a plain string; the queue's data type is what matters.
    (queue as Queue).add(name, w.data, {
      jobId: w.jobId,
      delay: Math.max(0, w.at.getTime() - now.getTime()),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      // A failed job is removed so the sweeper can queue it again under the same id.
      removeOnFail: true,
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Redis did not answer in time')), ENQUEUE_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.all(adds), timeout]);
  } finally {
    clearTimeout(timer);
  }
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
