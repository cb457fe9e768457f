import { JobProcessor } from '../../common/lifecycle/job-processor.decorator';
import { type JobHandlers, QUEUES, QueueWorker } from '../../common/lifecycle/queues';
import { MorningDigestService } from '../morning-digest.service';

/** Thin: the service decides whether today's digest is due and claims the day. */
@JobProcessor(QUEUES.digest.name, { concurrency: 1 })
export class DigestProcessor extends QueueWorker<'digest'> {
  readonly queue = 'digest';
  readonly handlers: JobHandlers<'digest'> = {
    run: () => this.digests.runDue(),
  };

  constructor(private readonly digests: MorningDigestService) {
    super();
  }
}
