import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { SlaEngine } from '../sla-engine.service';
import { SlaSweeper } from '../sla-sweeper.service';
import { type DueJobData, SLA_QUEUE, SlaJob } from './sla-queue';

/** Thin: each job names a ticket (or a sweep); the services re-read Postgres and decide. */
@JobProcessor(SLA_QUEUE, { concurrency: 32 })
export class SlaProcessor extends WorkerHost {
  constructor(
    private readonly engine: SlaEngine,
    private readonly sweeper: SlaSweeper,
  ) {
    super();
  }

  async process(job: Job<DueJobData>): Promise<number> {
    switch (job.name) {
      case SlaJob.Due:
        return this.engine.processDue(job.data.ticketId);
      case SlaJob.Sweep:
        return this.sweeper.sweep();
      default:
        throw new Error(`Unknown SLA job ${job.name}`);
    }
  }
}
