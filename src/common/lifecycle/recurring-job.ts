import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { AppRole } from '../../config/env.validation';
import { APP_ROLE } from './app-role';

/**
 * A BullMQ job scheduler that survives Redis losing its keys: each worker process checks
 * every period that the scheduler exists and puts it back if not (a restarted, empty Redis
 * would otherwise never sweep again). Runs the job once at start too.
 */
export class RecurringJob {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queue: Queue,
    private readonly schedulerId: string,
    private readonly jobName: string,
    private readonly everyMs: number,
    private readonly runNow: () => Promise<unknown>,
  ) {
    this.logger = new Logger(schedulerId);
  }

  start(): void {
    void this.ensureScheduled();
    this.runNow().catch((error: unknown) => this.logger.warn(`First run failed: ${(error as Error).message}`));
    this.timer = setInterval(() => void this.ensureScheduled(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async ensureScheduled(): Promise<void> {
    try {
      if (await this.queue.getJobScheduler(this.schedulerId)) return;
      await this.queue.upsertJobScheduler(
        this.schedulerId,
        { every: this.everyMs },
        { name: this.jobName, opts: { removeOnComplete: true, removeOnFail: true } },
      );
    } catch (error) {
      // Redis away: the next period tries again.
      this.logger.warn(`Could not check the job scheduler: ${(error as Error).message}`);
    }
  }
}

/**
 * The app's recurring jobs (sweepers): services register theirs when constructed; they are
 * kept scheduled and run once at start in worker roles only, and stopped on shutdown.
 */
@Injectable()
export class RecurringJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly jobs: RecurringJob[] = [];

  constructor(@Inject(APP_ROLE) private readonly role: AppRole) {}

  register(queue: Queue, schedulerId: string, jobName: string, everyMs: number, runNow: () => Promise<unknown>): void {
    this.jobs.push(new RecurringJob(queue, schedulerId, jobName, everyMs, runNow));
  }

  /** Not awaited inside: a Redis outage must not keep a worker from starting. */
  onApplicationBootstrap(): void {
    if (this.role !== 'api') for (const job of this.jobs) job.start();
  }

  onApplicationShutdown(): void {
    for (const job of this.jobs) job.stop();
  }
}
