import { DelayedError, type Job } from 'bullmq';
import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { type JobHandlers, QUEUES, QueueWorker } from '../../common/lifecycle/queues';
import { RobotOutbox } from '../robot-outbox.service';
import { RobotSender } from '../robot-sender.service';

/** Platforms answer slowly and each robot has its own budget: several deliveries at once. */
@JobProcessor(QUEUES.robots.name, { concurrency: 10 })
export class RobotDeliveryProcessor extends QueueWorker<'robots'> {
  readonly queue = 'robots';
  readonly handlers: JobHandlers<'robots'> = {
    deliver: ({ deliveryId }, job) => this.deliver(deliveryId, job),
    sweep: () => this.outbox.sweep(),
  };

  constructor(
    private readonly sender: RobotSender,
    private readonly outbox: RobotOutbox,
  ) {
    super();
  }

  private async deliver(deliveryId: string, job: Job): Promise<void> {
    const result = await this.sender.deliver(deliveryId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
    if (!result) return;
    // The robot's window is used up: wait for it without spending an attempt. BullMQ schedules
    // by its own (real) time, not the injected clock.
    await job.moveToDelayed(Date.now() + result.waitMs, job.token);
    throw new DelayedError();
  }
}
