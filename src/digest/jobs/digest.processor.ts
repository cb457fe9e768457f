import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { MorningDigestService } from '../morning-digest.service';
import { DIGEST_QUEUE, DigestJob } from './digest-queue';

/** Thin: the service decides whether today's digest is due and claims the day. */
@JobProcessor(DIGEST_QUEUE, { concurrency: 1 })
export class DigestProcessor extends WorkerHost {
  constructor(private readonly digests: MorningDigestService) {
    super();
  }

  async process(job: Job): Promise<number> {
    if (job.name === DigestJob.Run) return this.digests.runDue();
    throw new Error(`Unknown digest job ${job.name}`);
  }
}
