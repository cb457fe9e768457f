import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';

/** A job with no data: sweeps, which read what to do from Postgres. */
export type NoData = Record<string, never>;

/**
 * The one place that names every queue, every job of it and each job's data. Every job is a
 * wake-up: the data names a row, the handler re-reads Postgres and acts through a conditional
 * update, and a `sweep` job re-enqueues what Redis lost (Postgres is the truth).
 */
export interface QueueJobs {
  /** SLA timers: one delayed `due` per ticket clock (see SlaScheduler.jobId). */
  sla: { due: { ticketId: string }; sweep: NoData };
  /** Survey timers: send, remind, record no response; and one try of one survey SMS (a survey_sms row). */
  surveys: { due: { surveyId: string }; sms: { smsId: string }; sweep: NoData };
  /** The event bus's after-commit deliveries: one job per outbox row and subscriber. */
  events: { deliver: { outboxId: string; subscriber: string }; sweep: NoData };
  /** HTTP sending of one webhook delivery row, with retries and backoff. */
  webhooks: { deliver: { deliveryId: string }; sweep: NoData };
  /** One robot delivery row (an event or a direct message for one group robot), within the robot's rate windows. */
  robots: { deliver: { deliveryId: string }; sweep: NoData };
  /** The morning digest: a scheduler's wake-up; the day's `digest_runs` row says whether it is done. */
  digest: { run: NoData };
}
export type QueueName = keyof QueueJobs;
export type JobName<Q extends QueueName> = keyof QueueJobs[Q] & string;
export type JobData<Q extends QueueName, J extends JobName<Q>> = QueueJobs[Q][J];

export const QUEUES = {
  sla: { name: 'sla', jobs: ['due', 'sweep'] },
  surveys: { name: 'surveys', jobs: ['due', 'sms', 'sweep'] },
  events: { name: 'events', jobs: ['deliver', 'sweep'] },
  webhooks: { name: 'webhooks', jobs: ['deliver', 'sweep'] },
  robots: { name: 'robots', jobs: ['deliver', 'sweep'] },
  digest: { name: 'digest', jobs: ['run'] },
} as const satisfies { [Q in QueueName]: { name: Q; jobs: readonly JobName<Q>[] } };

/** A handler per job name of the queue: a missing one does not compile, and `checkHandlers` checks it again at start-up. */
export type JobHandlers<Q extends QueueName> = { [J in JobName<Q>]: (data: JobData<Q, J>, job: Job) => Promise<unknown> };

/** A queue's processor: thin, it hands each job to its handler. */
export abstract class QueueWorker<Q extends QueueName> extends WorkerHost {
  abstract readonly queue: Q;
  abstract readonly handlers: JobHandlers<Q>;

  process(job: Job): Promise<unknown> {
    const handler = (this.handlers as Record<string, ((data: unknown, job: Job) => Promise<unknown>) | undefined>)[job.name];
    if (!handler) throw new Error(`Queue ${this.queue} has no handler for job ${job.name}`);
    return handler(job.data, job);
  }
}

/**
 * Every queue of the catalogue has exactly one processor handling each of its job names, and
 * nothing else: returns the problems found (start-up refuses to go on with any).
 */
export function checkHandlers(workers: { queue: string; handlers: object }[]): string[] {
  const problems: string[] = [];
  for (const queue of Object.values(QUEUES)) {
    const mine = workers.filter((worker) => worker.queue === queue.name);
    if (mine.length !== 1) {
      problems.push(`queue "${queue.name}" has ${mine.length} processors (one expected)`);
      continue;
    }
    const handled = Object.entries(mine[0].handlers)
      .filter(([, handler]) => typeof handler === 'function')
      .map(([name]) => name);
    for (const job of queue.jobs) if (!handled.includes(job)) problems.push(`job "${queue.name}/${job}" has no handler`);
    for (const job of handled) if (!(queue.jobs as readonly string[]).includes(job)) problems.push(`"${queue.name}/${job}" is handled but not named in the queue catalogue`);
  }
  for (const worker of workers) {
    if (!(worker.queue in QUEUES)) problems.push(`processor of unknown queue "${worker.queue}"`);
  }
  return problems;
}
