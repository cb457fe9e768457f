import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { QUEUES } from '../common/lifecycle/queues';
import { RecurringJobs } from '../common/lifecycle/recurring-job';
import { sweepDue } from '../common/lifecycle/wake-up';
import type { EnvironmentVariables } from '../config/env.validation';
import { type ScheduledEvent, SlaScheduler } from './sla-scheduler.service';

const SWEEPER_ID = 'sla-sweeper';
/** Events this close are (re)queued by every sweep; later ones are left to later sweeps. */
const HORIZON_FACTOR = 2;
const BATCH = 5000;

/**
 * Postgres is the truth, Redis only wakes things up. The sweeper runs every minute (and
 * once at start) and queues, again, every event due now or soon; BullMQ's job ids make a
 * job that still exists a no-op. So a lost Redis or a dead worker only delays escalations.
 */
@Injectable()
export class SlaSweeper {
  private readonly logger = new Logger('SlaSweeper');
  private readonly everyMs: number;

  constructor(
    @InjectQueue(QUEUES.sla.name) private readonly queue: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
    recurring: RecurringJobs,
    private readonly scheduler: SlaScheduler,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.everyMs = config.get('SLA_SWEEP_EVERY_MS', { infer: true });
    recurring.register(queue, SWEEPER_ID, 'sweep', this.everyMs, () => this.sweep());
  }

  /** Queues every event due before the next sweep or two; returns how many it looked at. */
  async sweep(): Promise<number> {
    const horizon = new Date(this.clock.now().getTime() + HORIZON_FACTOR * this.everyMs);
    const total = await sweepDue(
      horizon,
      async (until, after, afterId) =>
        (
          await this.dataSource.query<ScheduledEvent[]>(
            `SELECT id, tier, next_event, next_event_at, clock_version FROM tickets
             WHERE next_event_at IS NOT NULL AND next_event_at <= $1 AND (next_event_at, id) > ($2, $3)
             ORDER BY next_event_at, id LIMIT ${BATCH}`,
            [until, after, afterId],
          )
        ).map((event) => ({ ...event, at: event.next_event_at })),
      (batch) => this.scheduler.enqueue(batch),
    );
    if (total > 0) this.logger.log(`Swept ${total} due or soon-due SLA events`);
    return total;
  }
}
