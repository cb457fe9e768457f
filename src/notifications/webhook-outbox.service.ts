import { setTimeout as sleep } from 'node:timers/promises';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, type EntityManager, MoreThan, type Repository } from 'typeorm';
import { afterCommit, rememberForCommit } from '../common/lifecycle/after-commit';
import { RecurringJobs } from '../common/lifecycle/recurring-job';
import type { EnvironmentVariables } from '../config/env.validation';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { DELIVER_JOB, type DeliverJobData, DELIVERY_ATTEMPTS, SWEEP_EVERY_MS, SWEEP_JOB, SWEEPER_SCHEDULER_ID, WEBHOOKS_QUEUE } from './jobs/webhooks-queue';
import type { WebhookEvent } from './webhook-events';

/** How long a request waits for Redis to take its jobs before leaving them to the sweeper. */
const ENQUEUE_WAIT_MS = 500;
const SWEEP_BATCH = 500;
const AFTER_COMMIT_KEY = 'webhookDeliveries';

/**
 * The statement (or CTE) recording one pending delivery per live webhook subscribed to the
 * event, returning their ids; `event` and `payload` are SQL expressions. With no subscriber it
 * inserts nothing: a scan of the few webhook rows, in a statement the caller makes anyway.
 */
export const recordDeliveriesSql = (event: string, payload: string): string =>
  `INSERT INTO webhook_deliveries (webhook_id, event, payload)
   SELECT id, ${event}, ${payload} FROM webhooks
    WHERE active AND deleted_at IS NULL AND ${event} = ANY(events)
   RETURNING id`;

/**
 * The outbox side of webhooks: delivery rows are written with the event's transaction, and
 * jobs are added after the commit. Postgres holds the truth; a job that could not be added is
 * added by the sweeper later.
 */
@Injectable()
export class WebhookOutbox {
  private readonly logger = new Logger('WebhookOutbox');
  private readonly backoffMs: number;

  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<DeliverJobData>,
    @InjectDataSource() dataSource: DataSource,
    recurring: RecurringJobs,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.backoffMs = config.get('WEBHOOK_BACKOFF_MS', { infer: true });
    recurring.register(queue, SWEEPER_SCHEDULER_ID, SWEEP_JOB, SWEEP_EVERY_MS, () => this.sweep());
    afterCommit<string>(dataSource, AFTER_COMMIT_KEY, (ids) => this.enqueue(ids));
  }

  /** One pending delivery per live webhook subscribed to `event`, in `manager`'s transaction when given. */
  async record(event: WebhookEvent, payload: Record<string, unknown>, manager?: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await (manager ?? this.deliveries.manager).query(recordDeliveriesSql('$1', '$2::jsonb'), [event, payload]);
    return rows.map((row) => row.id);
  }

  /**
   * Enqueues deliveries that `manager`'s statement recorded once its transaction commits (at
   * once outside a transaction), without holding the caller up; nothing at all for none.
   */
  enqueueAfterCommit(manager: EntityManager, deliveryIds: string[]): void {
    for (const id of deliveryIds) rememberForCommit(manager, AFTER_COMMIT_KEY, id, id);
  }

  /** Adds the jobs of committed deliveries; never throws and waits at most `ENQUEUE_WAIT_MS`. */
  async enqueue(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    const added = this.addJobs(deliveryIds).then(
      () => 'added' as const,
      (error: unknown) => this.logger.warn(`Could not enqueue webhook deliveries, the sweeper will: ${(error as Error).message}`),
    );
    const outcome = await Promise.race([added, sleep(ENQUEUE_WAIT_MS, 'late' as const, { ref: false })]);
    if (outcome === 'late') this.logger.warn(`Redis is slow to take ${deliveryIds.length} webhook deliveries; not waiting for it`);
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

  private async addJobs(deliveryIds: string[]): Promise<void> {
    // One `add` each: unlike addBulk, `add` with an existing job id is a no-op.
    await Promise.all(
      deliveryIds.map((deliveryId) =>
        this.queue.add(
          DELIVER_JOB,
          { deliveryId },
          {
            jobId: deliveryId,
            attempts: DELIVERY_ATTEMPTS,
            backoff: { type: 'exponential', delay: this.backoffMs },
            // The delivery row keeps the outcome; a finished job must go so a redelivery can reuse its id.
            removeOnComplete: true,
            removeOnFail: true,
          },
        ),
      ),
    );
  }
}
