import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, type EntityManager, MoreThan, type Repository } from 'typeorm';
import { afterCommit, rememberForCommit } from '../common/lifecycle/after-commit';
import { type JobData, QUEUES } from '../common/lifecycle/queues';
import { RecurringJobs } from '../common/lifecycle/recurring-job';
import { addJobs } from '../common/lifecycle/wake-up';
import type { EnvironmentVariables } from '../config/env.validation';
import type { DeliveredEvent } from '../events/event-bus.service';
import { EventBus } from '../events/event-bus.service';
import { EVENT_NAMES } from '../events/event-map';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { DELIVERY_ATTEMPTS, SWEEP_EVERY_MS, SWEEPER_SCHEDULER_ID } from './jobs/webhooks-queue';

const SWEEP_BATCH = 500;
const AFTER_COMMIT_KEY = 'webhookDeliveries';

/**
 * Webhooks as a subscriber of the event bus: for each committed event some live webhook wants,
 * one delivery row per such webhook (written once: the bus marks the event done for `webhooks`
 * in the same transaction, and (event_id, webhook_id) is unique), whose sending job is added
 * after that commit. Postgres holds the truth; a job that could not be added is added by the
 * sweeper later.
 */
@Injectable()
export class WebhookOutbox {
  private readonly logger = new Logger('WebhookOutbox');
  private readonly backoffMs: number;

  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectQueue(QUEUES.webhooks.name) private readonly queue: Queue<JobData<'webhooks', 'deliver'>>,
    @InjectDataSource() dataSource: DataSource,
    recurring: RecurringJobs,
    bus: EventBus,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.backoffMs = config.get('WEBHOOK_BACKOFF_MS', { infer: true });
    recurring.register(queue as Queue, SWEEPER_SCHEDULER_ID, 'sweep', SWEEP_EVERY_MS, () => this.sweep());
    afterCommit<string>(dataSource, AFTER_COMMIT_KEY, (ids) => this.enqueue(ids));
    bus.subscribe({
      name: 'webhooks',
      events: EVENT_NAMES,
      interest: (event) => `EXISTS (SELECT 1 FROM webhooks WHERE active AND deleted_at IS NULL AND ${event} = ANY(events))`,
      handle: (manager, event) => this.record(manager, event),
    });
  }

  /**
   * One pending delivery per live webhook subscribed to the event, dated when the event
   * happened (sent as `occurredAt`); their jobs are added once `manager`'s transaction commits.
   */
  private async record(manager: EntityManager, event: DeliveredEvent): Promise<void> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO webhook_deliveries (webhook_id, event, payload, event_id, created_at)
       SELECT id, $1, $2::jsonb, $3, $4 FROM webhooks
        WHERE active AND deleted_at IS NULL AND $1 = ANY(events)
       ON CONFLICT (event_id, webhook_id) DO NOTHING
       RETURNING id`,
      [event.name, event.payload, event.id, event.occurredAt],
    );
    for (const { id } of rows) rememberForCommit(manager, AFTER_COMMIT_KEY, id, id);
  }

  /** Adds the jobs of committed deliveries; never throws (what Redis does not take, the sweeper adds). */
  async enqueue(deliveryIds: string[]): Promise<void> {
    try {
      await this.addJobs(deliveryIds);
    } catch (error) {
      this.logger.warn(`Could not enqueue webhook deliveries, the sweeper will: ${(error as Error).message}`);
    }
  }

  /** Adds a job for every pending delivery: those that have one already are left as they are. */
  async sweep(): Promise<number> {
    let total = 0;
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await this.deliveries.find({
        select: { id: true },
        where: { status: 'pending', id: MoreThan(afterId) },
        order: { id: 'ASC' },
        take: SWEEP_BATCH,
      });
      await this.addJobs(batch.map((d) => d.id));
      total += batch.length;
      if (batch.length < SWEEP_BATCH) return total;
      afterId = batch[batch.length - 1].id;
    }
  }

  private addJobs(deliveryIds: string[]): Promise<void> {
    const jobs = deliveryIds.map((deliveryId) => ({ jobId: deliveryId, data: { deliveryId } }));
    return addJobs(this.queue, 'deliver', jobs, { attempts: DELIVERY_ATTEMPTS, backoff: { type: 'exponential', delay: this.backoffMs } });
  }
}
