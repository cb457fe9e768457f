import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { WebhookOutbox } from '../webhook-outbox.service';
import { WebhookSender } from '../webhook-sender.service';
import { type DeliverJobData, SWEEP_JOB, WEBHOOKS_QUEUE } from './webhooks-queue';

/** Receivers are slow and independent of each other: several deliveries go out at once. */
@JobProcessor(WEBHOOKS_QUEUE, { concurrency: 10 })
export class WebhookDeliveryProcessor extends WorkerHost {
  constructor(
    private readonly sender: WebhookSender,
    private readonly outbox: WebhookOutbox,
  ) {
    super();
  }

  async process(job: Job<DeliverJobData>): Promise<void> {
    if (job.name === SWEEP_JOB) {
      await this.outbox.sweep();
      return;
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.sender.deliver(job.data.deliveryId, lastAttempt);
  }
}
