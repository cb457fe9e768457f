import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { type JobHandlers, QUEUES, QueueWorker } from '../../common/lifecycle/queues';
import { SlaEngine } from '../sla-engine.service';
import { SlaSweeper } from '../sla-sweeper.service';

/** Thin: each job names a ticket (or a sweep); the services re-read Postgres and decide. */
@JobProcessor(QUEUES.sla.name, { concurrency: 32 })
export class SlaProcessor extends QueueWorker<'sla'> {
  readonly queue = 'sla';
  readonly handlers: JobHandlers<'sla'> = {
    due: ({ ticketId }) => this.engine.processDue(ticketId),
    sweep: () => this.sweeper.sweep(),
  };

  constructor(
    private readonly engine: SlaEngine,
    private readonly sweeper: SlaSweeper,
  ) {
    super();
  }
}
