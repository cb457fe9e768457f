import { Processor } from '@nestjs/bullmq';
import type { WorkerOptions } from 'bullmq';

/**
 * A queue processor that does not consume on its own: `WorkerRunner` starts it only in
 * the `worker` and `all` roles, so an `api` process never takes jobs.
 */
export const JobProcessor = (queue: string, options: Partial<WorkerOptions> = {}) =>
  Processor(queue, { ...options, autorun: false });
