import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '../common/clock';
import { addWakeUps } from '../common/lifecycle/wake-up';
import { type JobData, QUEUES } from '../common/lifecycle/queues';

export interface ScheduledEvent {
  id: string;
  tier: number;
  next_event: string;
  next_event_at: Date;
  clock_version: number;
}

/**
 * Turns a ticket's stored next event into one delayed BullMQ job. The job id is the
 * ticket, tier, event, clock version and due instant, so adding it twice is a no-op and a
 * job of an older clock can never be mistaken for the current one.
 */
@Injectable()
export class SlaScheduler {
  private readonly logger = new Logger('SlaScheduler');

  constructor(
    @InjectQueue(QUEUES.sla.name) private readonly queue: Queue<JobData<'sla', 'due'>>,
    private readonly clock: Clock,
  ) {}

  static jobId(event: ScheduledEvent): string {
    return [event.id, `t${event.tier}`, event.next_event, `v${event.clock_version}`, event.next_event_at.getTime()].join('_');
  }

  /** Never throws and never blocks a request on Redis: failures are left to the sweeper. */
  async schedule(events: ScheduledEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.enqueue(events);
    } catch (error) {
      this.logger.warn(`Could not queue SLA jobs now (the sweeper will): ${(error as Error).message}`);
    }
  }

  enqueue(events: ScheduledEvent[]): Promise<void> {
    const wakeUps = events.map((event) => ({ jobId: SlaScheduler.jobId(event), data: { ticketId: event.id }, at: new Date(event.next_event_at) }));
    return addWakeUps(this.queue, 'due', wakeUps, this.clock.now());
  }
}
