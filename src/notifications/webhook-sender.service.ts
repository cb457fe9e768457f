import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import type { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import type { EnvironmentVariables } from '../config/env.validation';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import type { DeliveryStatus } from './webhook-events';
import { webhookHeaders } from './webhook-signature';
import { GuardedHttp } from './guarded-http';
import { webhookTargetPolicy } from './webhook-target';

/** What API readers see for any failure to reach a receiver (the details are logged). */
export const UNREACHABLE = 'The receiver could not be reached';

interface DeliveryTarget {
  event: string;
  payload: Record<string, unknown>;
  status: DeliveryStatus;
  created_at: Date;
  url: string;
  secret: string;
  usable: boolean;
}

interface Outcome {
  statusCode: number | null;
  error: string | null;
}

/** A 4xx other than 408/429 means the receiver refuses this request as it is: retrying cannot help. */
const isPermanent = (statusCode: number | null) =>
  statusCode !== null && statusCode >= 400 && statusCode < 500 && statusCode !== 408 && statusCode !== 429;

/** Sends one delivery over HTTP and records the outcome on its row. */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger('WebhookSender');
  private readonly http: GuardedHttp;

  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.http = new GuardedHttp(webhookTargetPolicy(config));
  }

  /**
   * Throws when the attempt failed, so the queue retries it; `UnrecoverableError` when retrying
   * is pointless. A delivery no longer pending (delivered meanwhile, or failed) is left alone.
   */
  async deliver(deliveryId: string, lastAttempt: boolean): Promise<void> {
    const [target] = (await this.deliveries.query(
      `SELECT d.event, d.payload, d.status, d.created_at, w.url, w.secret, (w.active AND w.deleted_at IS NULL) AS usable
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.id = $1`,
      [deliveryId],
    )) as DeliveryTarget[];
    if (target?.status !== 'pending') return;
    if (!target.usable) {
      await this.record(deliveryId, 'failed', { statusCode: null, error: 'The webhook was paused or deleted' }, false);
      return;
    }

    const outcome = await this.post(deliveryId, target);
    if (outcome.error === null) {
      await this.record(deliveryId, 'delivered', outcome, true);
      return;
    }
    const permanent = isPermanent(outcome.statusCode);
    await this.record(deliveryId, permanent || lastAttempt ? 'failed' : 'pending', outcome, true);
    throw permanent ? new UnrecoverableError(outcome.error) : new Error(outcome.error);
  }

  private async post(deliveryId: string, target: DeliveryTarget): Promise<Outcome> {
    const body = JSON.stringify({
      id: deliveryId,
      event: target.event,
      occurredAt: target.created_at.toISOString(),
      payload: target.payload,
    });
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    try {
      const { statusCode } = await this.http.post(target.url, webhookHeaders({ deliveryId, event: target.event, timestamp, body, secret: target.secret }), body);
      // A redirect is not followed: it would carry the signed payload to a URL nobody registered.
      return { statusCode, error: statusCode >= 200 && statusCode < 300 ? null : `The receiver answered HTTP ${statusCode}` };
    } catch (error) {
      // Refused, refused connection, timeout, TLS: one answer to API readers, or a webhook would
      // be a port scanner of whatever the server can reach. The details stay in the log.
      this.logger.warn(`Delivery ${deliveryId} could not reach its receiver: ${(error as Error).message}`);
      return { statusCode: null, error: UNREACHABLE };
    }
  }

  private async record(deliveryId: string, status: DeliveryStatus, outcome: Outcome, attempted: boolean): Promise<void> {
    await this.deliveries.query(
      `UPDATE webhook_deliveries
          SET status = $2, attempts = attempts + $3, last_status_code = $4, last_error = $5,
              delivered_at = CASE WHEN $2 = 'delivered' THEN now() END
        WHERE id = $1`,
      [deliveryId, status, attempted ? 1 : 0, outcome.statusCode, outcome.error],
    );
  }
}
