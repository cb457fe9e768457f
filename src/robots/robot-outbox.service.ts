import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { afterCommit, rememberForCommit } from '../common/lifecycle/after-commit';
import { RecurringJobs } from '../common/lifecycle/recurring-job';
import type { EnvironmentVariables } from '../config/env.validation';
import { type JobData, QUEUES } from '../common/lifecycle/queues';
import { addJobs, sweepDue } from '../common/lifecycle/wake-up';
import { type DeliveredEvent, EventBus } from '../events/event-bus.service';
import { EVENT_NAMES } from '../events/event-map';
import { DELIVERY_ATTEMPTS, SWEEP_EVERY_MS, SWEEPER_SCHEDULER_ID } from './jobs/robots-queue';
import { releaseAt } from './quiet-hours';
import type { RobotMessage } from './robot-message';

const AFTER_COMMIT_KEY = 'robotDeliveries';
const SWEEP_BATCH = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Queued {
  id: string;
  notBefore: Date;
}

/**
 * The robots' outbox, an after-commit subscriber of the event bus: for each committed event a
 * live rule routes, one delivery row per (event, channel) whatever number of rules matched,
 * with the quiet-hours release time, written in the transaction that marks the event done for
 * `robots`; jobs are added after that commit, delayed to the release. A job lost with Redis is
 * added again by the sweeper.
 */
@Injectable()
export class RobotOutbox {
  private readonly logger = new Logger('RobotOutbox');
  private readonly backoffMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.robots.name) private readonly queue: Queue<JobData<'robots', 'deliver'>>,
    private readonly calendars: CalendarService,
    private readonly clock: Clock,
    recurring: RecurringJobs,
    bus: EventBus,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.backoffMs = config.get('ROBOT_BACKOFF_MS', { infer: true });
    recurring.register(queue as Queue, SWEEPER_SCHEDULER_ID, 'sweep', SWEEP_EVERY_MS, () => this.sweep());
    afterCommit<Queued>(dataSource, AFTER_COMMIT_KEY, (queued) => this.enqueue(queued));
    bus.subscribe({
      name: 'robots',
      events: EVENT_NAMES,
      // Recorded in the producer's statement only when a live rule of a live channel wants the event.
      interest: (event) => `EXISTS (SELECT 1 FROM robot_rules r JOIN robot_channels c ON c.id = r.channel_id AND c.active AND c.deleted_at IS NULL
                                    WHERE r.active AND r.deleted_at IS NULL AND ${event} = ANY(r.events))`,
      handle: (manager, event) => this.onEvent(manager, event),
    });
  }

  /**
   * Records a delivery for every live channel a live rule routes this ticket event to (a
   * department's rule only for its tickets). Quiet hours are judged now, when the event is
   * handled (right after its commit, or when a worker comes back). Events without a ticket id pass by.
   */
  async onEvent(manager: EntityManager, event: DeliveredEvent): Promise<void> {
    const ticketId = event.payload.ticketId;
    if (typeof ticketId !== 'string' || !UUID.test(ticketId)) return;
    const notBefore = releaseAt(event.name, this.clock.now(), await this.calendars.workCalendar(manager));
    const rows: Queued[] = await manager.query(
      `INSERT INTO robot_deliveries (channel_id, event_id, event, ticket_id, payload, mention_owners, not_before)
       SELECT r.channel_id, $1, $2, t.id, $4::jsonb, bool_or(r.mention_owners), $5
         FROM robot_rules r
         JOIN robot_channels c ON c.id = r.channel_id AND c.active AND c.deleted_at IS NULL
         JOIN tickets t ON t.id = $3
        WHERE r.active AND r.deleted_at IS NULL AND $2 = ANY(r.events)
          AND (r.department_id IS NULL OR r.department_id = t.department_id)
        GROUP BY r.channel_id, t.id
       ON CONFLICT (event_id, channel_id) DO NOTHING
       RETURNING id, not_before AS "notBefore"`,
      [event.id, event.name, ticketId, event.payload, notBefore],
    );
    for (const row of rows) rememberForCommit(manager, AFTER_COMMIT_KEY, row.id, row);
  }

  /**
   * Sends `message` to one channel, once per `messageId` (a uuid the caller derives from what
   * the message is about, so a repeated call is a no-op): the entry point of the morning digest
   * and any other sender. Returns the delivery id, or null when the channel is paused, deleted
   * or unknown, or the message was recorded already. In `manager`'s transaction when given.
   */
  async send(channelId: string, message: RobotMessage, options: { messageId: string; notBefore?: Date }, manager?: EntityManager): Promise<string | null> {
    const rows: Queued[] = await (manager ?? this.dataSource.manager).query(
      `INSERT INTO robot_deliveries (channel_id, event_id, payload, not_before)
       SELECT c.id, $2, $3::jsonb, $4 FROM robot_channels c WHERE c.id = $1 AND c.active AND c.deleted_at IS NULL
       ON CONFLICT (event_id, channel_id) DO NOTHING
       RETURNING id, not_before AS "notBefore"`,
      [channelId, options.messageId, message, options.notBefore ?? this.clock.now()],
    );
    for (const row of rows) rememberForCommit(manager ?? this.dataSource.manager, AFTER_COMMIT_KEY, row.id, row);
    return rows[0]?.id ?? null;
  }

  /**
   * The live channels a live rule routes one department's tickets to (its group chats), or, for
   * null, every ticket's (the leaders' groups): where a message about that department, or about
   * the whole zone, belongs, as the managers set it up.
   */
  async channelsFor(departmentId: string | null, manager?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT DISTINCT c.id FROM robot_rules r JOIN robot_channels c ON c.id = r.channel_id AND c.active AND c.deleted_at IS NULL
        WHERE r.active AND r.deleted_at IS NULL AND r.department_id IS NOT DISTINCT FROM $1
        ORDER BY c.id`,
      [departmentId],
    );
    return rows.map((row) => row.id);
  }

  /** Adds the jobs of committed deliveries, delayed to their release; never throws. */
  async enqueue(queued: Queued[]): Promise<void> {
    try {
      await this.addJobs(queued);
    } catch (error) {
      this.logger.warn(`Could not enqueue robot deliveries, the sweeper will: ${(error as Error).message}`);
    }
  }

  /**
   * Adds a job for every pending delivery released within the next two sweeps (those that have
   * one keep it); later ones are added by a later sweep, in time for their release.
   */
  sweep(): Promise<number> {
    const horizon = new Date(this.clock.now().getTime() + 2 * SWEEP_EVERY_MS);
    return sweepDue<Queued & { at: Date }>(
      horizon,
      (until, after, afterId) =>
        this.dataSource.query(
          `SELECT id, not_before AS "notBefore", not_before AS at FROM robot_deliveries
            WHERE status = 'pending' AND not_before <= $1 AND (not_before, id) > ($2, $3)
            ORDER BY not_before, id LIMIT ${SWEEP_BATCH}`,
          [until, after, afterId],
        ),
      (batch) => this.addJobs(batch),
    );
  }

  private addJobs(queued: Queued[]): Promise<void> {
    const now = this.clock.now().getTime();
    return addJobs(
      this.queue,
      'deliver',
      queued.map(({ id, notBefore }) => ({ jobId: id, data: { deliveryId: id }, delay: Math.max(0, new Date(notBefore).getTime() - now) })),
      { attempts: DELIVERY_ATTEMPTS, backoff: { type: 'exponential', delay: this.backoffMs } },
    );
  }
}
