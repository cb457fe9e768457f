import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { type FixedWindow, RateLimits } from '../common/rate-limit/fixed-window';
import { publicBaseUrl } from '../config/app.config';
import type { EnvironmentVariables } from '../config/env.validation';
import { GuardedHttp } from '../notifications/guarded-http';
import type { EventName } from '../events/event-map';
import type { DeliveryStatus } from '../notifications/webhook-events';
import { webhookTargetPolicy } from '../notifications/webhook-target';
import { classifyAnswer, type RobotOutcome } from './robot-answer';
import { eventMessage, type RobotMessage, type TicketFacts } from './robot-message';
import { PLATFORM_RULES, ROBOT_PLATFORMS, type RobotPlatform } from './robot-platforms';
import { RENDERERS, type RobotBody } from './robot-render';
import { dingtalkSignedUrl, feishuSign } from './robot-signature';
import { robotUrlRefusal } from './robot-target';

interface Target {
  event: EventName | null;
  ticket_id: string | null;
  payload: Record<string, unknown>;
  mention_owners: boolean;
  status: DeliveryStatus;
  parts_sent: number;
  channel_id: string;
  platform: RobotPlatform;
  webhook_url: string;
  secret: string | null;
  usable: boolean;
}

/** What the job should do next: nothing (done or failed for good), or wait for the robot's rate window. */
export type SendResult = { waitMs: number } | null;

/** The facts of a ticket notice, read when it is sent: the owners are who holds it now. */
const TICKET_FACTS_SQL = `
  SELECT t.id, t.number, t.title, t.status, t.tier, t.due_at AS "dueAt", e.name AS enterprise,
         coalesce((SELECT json_agg(json_build_object('name', u.display_name, 'mobile', u.mobile) ORDER BY array_position(o.user_ids, u.id))
                     FROM ticket_owners(t.status, t.tier, t.department_id, t.assignee_id, t.paired_leader_id, t.sla->>'tier2Owner') o
                     JOIN users u ON u.id = ANY(o.user_ids)), '[]'::json) AS owners
    FROM tickets t JOIN enterprises e ON e.id = t.enterprise_id
   WHERE t.id = $1`;

/**
 * Sends one robot delivery: renders the message for the channel's platform, signs each request
 * as the platform documents, keeps within the robot's per-minute budget (the shared Redis fixed
 * window, per channel) and records the outcome. Parts already accepted are never sent again.
 */
@Injectable()
export class RobotSender {
  private readonly logger = new Logger('RobotSender');
  private readonly http: GuardedHttp;
  private readonly policy: ReturnType<typeof webhookTargetPolicy>;
  private readonly windows: Record<RobotPlatform, FixedWindow[]>;
  private readonly baseUrl: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    limits: RateLimits,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.policy = webhookTargetPolicy(config);
    this.http = new GuardedHttp(this.policy);
    this.baseUrl = publicBaseUrl(config);
    this.windows = Object.fromEntries(
      ROBOT_PLATFORMS.map((p) => {
        const { perMinute, perSecond } = PLATFORM_RULES[p];
        const minute = limits.window({ name: `robot-${p}`, limit: perMinute, windowSeconds: 60 });
        return [p, perSecond ? [limits.window({ name: `robot-${p}-second`, limit: perSecond, windowSeconds: 1 }), minute] : [minute]];
      }),
    ) as Record<RobotPlatform, FixedWindow[]>;
  }

  /**
   * Throws to have the queue retry (UnrecoverableError when retrying cannot help); returns a wait
   * when the robot's minute is used up. A delivery no longer pending is left alone.
   */
  async deliver(deliveryId: string, lastAttempt: boolean): Promise<SendResult> {
    const [target] = (await this.dataSource.query(
      `SELECT d.event, d.ticket_id, d.payload, d.mention_owners, d.status, d.parts_sent, d.channel_id,
              c.platform, c.webhook_url, c.secret, (c.active AND c.deleted_at IS NULL) AS usable
         FROM robot_deliveries d JOIN robot_channels c ON c.id = d.channel_id
        WHERE d.id = $1`,
      [deliveryId],
    )) as Target[];
    if (target?.status !== 'pending') return null;
    if (!target.usable) {
      await this.fail(deliveryId, { ok: false, retryable: false, code: null, error: 'The channel was paused or deleted' }, false);
      return null;
    }
    const message = await this.message(target);
    if (!message) {
      await this.fail(deliveryId, { ok: false, retryable: false, code: null, error: 'The ticket no longer exists' }, false);
      return null;
    }
    const bodies = RENDERERS[target.platform](message);
    if (target.parts_sent >= bodies.length) {
      // Rendered again with fewer parts than were sent (the owners changed and lost their mention): all went.
      await this.dataSource.query(`UPDATE robot_deliveries SET status = 'delivered', delivered_at = now() WHERE id = $1`, [deliveryId]);
      return null;
    }
    for (let part = target.parts_sent; part < bodies.length; part++) {
      const wait = await this.windowWait(target);
      if (wait) return wait;
      const outcome = await this.post(deliveryId, target, bodies[part]);
      if (!outcome.ok) {
        await this.fail(deliveryId, outcome, true, !outcome.retryable || lastAttempt);
        throw outcome.retryable ? new Error(outcome.error ?? 'failed') : new UnrecoverableError(outcome.error ?? 'failed');
      }
      await this.dataSource.query(
        `UPDATE robot_deliveries
            SET attempts = attempts + 1, parts_sent = $2,
                status = CASE WHEN $3 THEN 'delivered' ELSE status END, delivered_at = CASE WHEN $3 THEN now() END
          WHERE id = $1`,
        [deliveryId, part + 1, part + 1 === bodies.length],
      );
    }
    return null;
  }

  /** Counts one message in each of the robot's windows; the wait until a used-up window ends. */
  private async windowWait(target: Target): Promise<SendResult> {
    for (const window of this.windows[target.platform]) {
      try {
        await window.consume(target.channel_id, 'The robot has used up its window');
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return { waitMs: Number(error.extras.retryAfterSeconds ?? 60) * 1000 };
      }
    }
    return null;
  }

  private async message(target: Target): Promise<RobotMessage | null> {
    if (target.event === null) return target.payload as unknown as RobotMessage;
    const [facts] = (await this.dataSource.query(TICKET_FACTS_SQL, [target.ticket_id])) as TicketFacts[];
    return facts ? eventMessage(target.event, target.payload, facts, this.baseUrl, target.mention_owners) : null;
  }

  /** One signed request; a failure to reach the platform is retried, its details logged (never the URL: it holds the key). */
  private async post(deliveryId: string, target: Target, body: RobotBody): Promise<RobotOutcome> {
    const refusal = robotUrlRefusal(target.platform, target.webhook_url, this.policy);
    if (refusal) return { ok: false, retryable: false, code: null, error: `The channel's URL is refused: ${refusal}` };
    // The platform checks the timestamp against its own clock (within an hour): real time, not the injected "today".
    const now = Date.now();
    let url = target.webhook_url;
    let signed = body;
    if (target.platform === 'dingtalk') url = dingtalkSignedUrl(url, target.secret!, now);
    if (target.platform === 'feishu') {
      const timestamp = Math.floor(now / 1000);
      signed = { timestamp: String(timestamp), sign: feishuSign(target.secret!, timestamp), ...body };
    }
    try {
      const answer = await this.http.post(url, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(signed));
      return classifyAnswer(target.platform, answer.statusCode, answer.body);
    } catch (error) {
      this.logger.warn(`Robot delivery ${deliveryId} could not reach ${target.platform}: ${(error as Error).name}`);
      return { ok: false, retryable: true, code: null, error: `The ${target.platform} server could not be reached` };
    }
  }

  private async fail(deliveryId: string, outcome: RobotOutcome, attempted: boolean, final = true): Promise<void> {
    await this.dataSource.query(
      `UPDATE robot_deliveries SET status = $2, attempts = attempts + $3, last_error_code = $4, last_error = $5 WHERE id = $1`,
      [deliveryId, final ? 'failed' : 'pending', attempted ? 1 : 0, outcome.code, outcome.error],
    );
  }
}
