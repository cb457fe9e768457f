import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { type JobHandlers, QUEUES, QueueWorker } from '../../common/lifecycle/queues';
import { WebhookOutbox } from '../webhook-outbox.service';
import { WebhookSender } from '../webhook-sender.service';

/** Receivers are slow and independent of each other: several deliveries go out at once. */
@JobProcessor(QUEUES.webhooks.name, { concurrency: 10 })
export class WebhookDeliveryProcessor extends QueueWorker<'webhooks'> {
  readonly queue = 'webhooks';
  readonly handlers: JobHandlers<'webhooks'> = {
    deliver: ({ deliveryId }, job) => this.sender.deliver(deliveryId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
    sweep: () => this.outbox.sweep(),
  };

  constructor(
    private readonly sender: WebhookSender,
    private readonly outbox: WebhookOutbox,
  ) {
    super();
  }
}
