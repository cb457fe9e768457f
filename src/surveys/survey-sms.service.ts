import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue } from 'bullmq';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock';
import { afterCommit, rememberForCommit } from '../common/lifecycle/after-commit';
import { type FixedWindow, RateLimits } from '../common/rate-limit/fixed-window';
import { addJobs } from '../common/lifecycle/wake-up';
import { type JobData, QUEUES } from '../common/lifecycle/queues';
import type { EnvironmentVariables } from '../config/env.validation';
import { type DeliveredEvent, EventBus } from '../events/event-bus.service';
import { SmsGateway } from '../sms/sms.module';
import { Survey } from './entities/survey.entity';
import { type SmsSkip, SurveySms, type SurveySmsKind } from './entities/survey-sms.entity';
import { SurveyTokens } from './survey-token.service';

const AFTER_COMMIT_KEY = 'surveySmsToSend';
/** Tries of one message when the platform's answer is transient (its own fault, its throttle, the network). */
export const SMS_ATTEMPTS = 5;
/** Messages older than this are no longer worth sending when found pending. */
const PENDING_HORIZON_MS = 86_400_000;
/** In the message when the enterprise has no zone recorded (the platforms refuse empty variables). */
export const NO_ZONE = '本园区';

/**
 * Per-number limits, as the platforms enforce on their side (Alibaba: 1 a minute, 5 an hour,
 * 10 a day per number): a message over them is skipped and recorded, never sent to be refused.
 */
const NUMBER_WINDOWS = [
  { name: 'sms-minute', limit: 1, windowSeconds: 60 },
  { name: 'sms-hour', limit: 5, windowSeconds: 3600 },
  { name: 'sms-day', limit: 10, windowSeconds: 86_400 },
];

/**
 * The survey's link by SMS to the enterprise's contact mobile: an after-commit subscriber of the
 * event bus (`survey.sent`, `survey.reminded`). For each event it writes the message's row
 * (skipped at once when SMS is not configured or the enterprise has no mobile), and a job of the
 * `surveys` queue, under the row's id, sends it after commit, retried with backoff on transient
 * answers only; the row keeps what came of it.
 */
@Injectable()
export class SurveySmsService {
  private readonly logger = new Logger('SurveySms');
  private readonly windows: FixedWindow[];
  private readonly backoffMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly gateway: SmsGateway,
    private readonly tokens: SurveyTokens,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.surveys.name) private readonly queue: Queue<JobData<'surveys', 'sms'>>,
    bus: EventBus,
    rateLimits: RateLimits,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.windows = NUMBER_WINDOWS.map((w) => rateLimits.window(w));
    this.backoffMs = config.get('SMS_BACKOFF_MS', { infer: true });
    afterCommit<string>(dataSource, AFTER_COMMIT_KEY, (ids) => this.enqueue(ids));
    bus.subscribe({ name: 'survey-sms', events: ['survey.sent', 'survey.reminded'] as const, handle: (manager, event) => this.record(manager, event) });
  }

  static jobId(smsId: string): string {
    return `sms_${smsId}`;
  }

  /**
   * The message for one sending of the link (first, reminder, or a new link sent on demand), in
   * the bus's delivery transaction; its job is queued once that commits. A replayed event finds
   * the row there already.
   */
  private async record(manager: EntityManager, event: DeliveredEvent<'survey.sent' | 'survey.reminded'>): Promise<void> {
    const { payload } = event;
    const kind: SurveySmsKind = event.name === 'survey.reminded' ? 'reminded' : payload.linkVersion > 0 ? 'resent' : 'sent';
    const [facts] = await manager.query<{ survey_id: string; contact_mobile: string | null }[]>(
      `SELECT s.id AS survey_id, e.contact_mobile FROM surveys s JOIN enterprises e ON e.id = $3 WHERE s.ticket_id = $1 AND s.round = $2`,
      [payload.ticketId, payload.round, payload.enterprise.id],
    );
    const provider = this.gateway.provider;
    const mobile = facts.contact_mobile;
    const skip: SmsSkip | null = !provider ? 'not_configured' : !mobile ? 'no_mobile' : null;
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO survey_sms (survey_id, kind, link_version, reminder, provider, mobile, status, code, created_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT ON CONSTRAINT survey_sms_once DO NOTHING
       RETURNING id`,
      [facts.survey_id, kind, payload.linkVersion, payload.reminder, provider?.name ?? null, mobile, skip ? 'skipped' : 'pending', skip, this.clock.now(), skip ? this.clock.now() : null],
    );
    if (row && !skip) rememberForCommit(manager, AFTER_COMMIT_KEY, row.id, row.id);
  }

  /** Every message of these surveys, oldest first. */
  async ofSurveys(manager: EntityManager, surveyIds: string[]): Promise<SurveySms[]> {
    if (surveyIds.length === 0) return [];
    return manager.getRepository(SurveySms).find({ where: { surveyId: In(surveyIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * One try of one message (a job). Returns 1 when the row was finished, 0 when there was
   * nothing to do; throws on a transient failure while tries remain, so the queue retries it.
   */
  async deliver(smsId: string, lastTry: boolean): Promise<number> {
    const sms = await this.dataSource.getRepository(SurveySms).findOneBy({ id: smsId });
    if (sms?.status !== 'pending') return 0;
    const survey = await this.dataSource.getRepository(Survey).findOneByOrFail({ id: sms.surveyId });
    const provider = this.gateway.provider;
    if (survey.status !== 'sent' || survey.expiresAt! <= this.clock.now()) return this.finish(sms, 'skipped', 'survey_closed', 'The survey was answered or closed before the message went out');
    if (survey.linkVersion !== sms.linkVersion) return this.finish(sms, 'skipped', 'link_replaced', 'A newer link was sent meanwhile');
    if (!provider || !sms.mobile) return this.finish(sms, 'skipped', 'not_configured', 'SMS is no longer configured');
    for (const window of this.windows) {
      const refusal = await window.refusalFor(sms.mobile, 'Too many messages to this number');
      if (refusal) return this.finish(sms, 'skipped', 'rate_limited', refusal.message);
    }
    const [facts] = await this.dataSource.query<{ number: string; park: string | null }[]>(
      `SELECT t.number, e.park FROM tickets t JOIN enterprises e ON e.id = t.enterprise_id WHERE t.id = $1`,
      [survey.ticketId],
    );
    await this.dataSource.getRepository(SurveySms).increment({ id: sms.id }, 'attempts', 1);
    const outcome = await provider.send({ mobile: sms.mobile, zone: facts.park ?? NO_ZONE, number: facts.number, link: this.tokens.link(survey).url });
    if (outcome.status === 'sent') {
      await Promise.all(this.windows.map((window) => window.record(sms.mobile!)));
      return this.finish(sms, 'sent', null, null, outcome.providerId);
    }
    if (outcome.transient && !lastTry) {
      await this.dataSource.getRepository(SurveySms).update({ id: sms.id, status: 'pending' }, { code: outcome.code, message: outcome.message });
      throw new Error(`SMS ${sms.id}: ${outcome.code} ${outcome.message}`);
    }
    return this.finish(sms, 'failed', outcome.code, outcome.message);
  }

  /** Re-queues messages still pending (their job lost with Redis); a job that still exists makes this a no-op. */
  async sweep(): Promise<number> {
    const rows = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM survey_sms WHERE status = 'pending' AND created_at > $1`, [
      new Date(this.clock.now().getTime() - PENDING_HORIZON_MS),
    ]);
    await this.enqueue(rows.map((r) => r.id));
    return rows.length;
  }

  private async finish(sms: SurveySms, status: 'sent' | 'failed' | 'skipped', code: string | null, message: string | null, providerId: string | null = null): Promise<number> {
    const result = await this.dataSource
      .getRepository(SurveySms)
      .update({ id: sms.id, status: 'pending' }, { status, code, message, providerId, finishedAt: this.clock.now() });
    if (status !== 'sent') this.logger.log(`SMS ${sms.id} ${status}: ${code}`);
    return result.affected ? 1 : 0;
  }

  /** Never throws and never holds anything up: failures are left to the sweeper. */
  private async enqueue(ids: string[]): Promise<void> {
    try {
      await addJobs(
        this.queue,
        'sms',
        ids.map((smsId) => ({ jobId: SurveySmsService.jobId(smsId), data: { smsId } })),
        { attempts: SMS_ATTEMPTS, backoff: { type: 'exponential', delay: this.backoffMs } },
      );
    } catch (error) {
      this.logger.warn(`Could not queue SMS now (the sweeper will): ${(error as Error).message}`);
    }
  }
}
