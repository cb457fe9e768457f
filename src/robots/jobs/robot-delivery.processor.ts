import { WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job } from 'bullmq';
import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { RobotOutbox } from '../robot-outbox.service';
import { RobotSender } from '../robot-sender.service';
import { ROBOTS_QUEUE, type RobotJobData, SWEEP_JOB } from './robots-queue';

/** Platforms answer slowly and each robot has its own budget: several deliveries at once. */
@JobProcessor(ROBOTS_QUEUE, { concurrency: 10 })
export class RobotDeliveryProcessor extends WorkerHost {
  constructor(
    private readonly sender: RobotSender,
    private readonly outbox: RobotOutbox,
  ) {
    super();
  }

  async process(job: Job<RobotJobData>, token?: string): Promise<void> {
    if (job.name === SWEEP_JOB) {
      await this.outbox.sweep();
      return;
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const result = await this.sender.deliver(job.data.deliveryId, lastAttempt);
    if (!result) return;
    // The robot's minute is used up: wait for the window without spending an attempt.
    // BullMQ schedules by its own (real) time, not the injected clock.
    await job.moveToDelayed(Date.now() + result.waitMs, token);
    throw new DelayedError();
  }
}
