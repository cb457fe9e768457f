import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { type JobHandlers, QUEUES, QueueWorker } from '../../common/lifecycle/queues';
import { EventBus } from '../event-bus.service';

/** Thin: each job names an outbox row and a subscriber; the bus re-reads Postgres and decides. */
@JobProcessor(QUEUES.events.name, { concurrency: 16 })
export class EventsProcessor extends QueueWorker<'events'> {
  readonly queue = 'events';
  readonly handlers: JobHandlers<'events'> = {
    deliver: ({ outboxId, subscriber }) => this.bus.deliver(outboxId, subscriber),
    sweep: () => this.bus.sweep(),
  };

  constructor(private readonly bus: EventBus) {
    super();
  }
}
