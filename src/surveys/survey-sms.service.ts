import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue } from 'bullmq';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock';
import { afterCommit, rememberForCommit } from '../common/lifecycle/after-commit';
import { type FixedWindow, RateLimits } from '../common/rate-limit/fixed-window';
import type { EnvironmentVariables } from '../config/env.validation';
import { SmsGateway } from '../sms/sms.module';
import type { Ticket } from '../tickets/entities/ticket.entity';
import { Survey } from './entities/survey.entity';
import { type SmsSkip, SurveySms, type SurveySmsKind } from './entities/survey-sms.entity';
import { type SurveyJobData, SURVEYS_QUEUE, SurveyJob } from './jobs/surveys-queue';
import { SurveyTokens } from './survey-token.service';

const AFTER_COMMIT_KEY = 'surveySmsToSend';
/** Tries of one message when the platform's answer is transient (its own fault, its throttle, the network). */
export const SMS_ATTEMPTS = 5;
/** Redis may be away: the sweeper re-queues what is still pending. */
const ENQUEUE_TIMEOUT_MS = 2000;
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
 * The survey's link by SMS to the enterprise's contact mobile. The message is a row written in
 * the survey's transaction (skipped at once when SMS is not configured or the enterprise has no
 * mobile), sent by a job after commit under the row's id, retried with backoff on transient
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
    @InjectQueue(SURVEYS_QUEUE) private readonly queue: Queue<SurveyJobData>,
    rateLimits: RateLimits,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.windows = NUMBER_WINDOWS.map((w) => rateLimits.window(w));
    this.backoffMs = config.get('SMS_BACKOFF_MS', { infer: true });
    afterCommit<string>(dataSource, AFTER_COMMIT_KEY, (ids) => this.enqueue(ids));
  }

  static jobId(smsId: string): string {
    return `sms_${smsId}`;
  }

  /** In the survey's transaction: the message for this send, reminder or new link, queued after commit. */
  async record(manager: EntityManager, survey: Survey, ticket: Pick<Ticket, 'enterpriseId'>, kind: SurveySmsKind): Promise<void> {
    const provider = this.gateway.provider;
    const [enterprise] = await manager.query<{ contact_mobile: string | null }[]>(`SELECT contact_mobile FROM enterprises WHERE id = $1`, [ticket.enterpriseId]);
    const mobile = enterprise?.contact_mobile ?? null;
    const skip: SmsSkip | null = !provider ? 'not_configured' : !mobile ? 'no_mobile' : null;
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO survey_sms (survey_id, kind, link_version, reminder, provider, mobile, status, code, created_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT ON CONSTRAINT survey_sms_once DO NOTHING
       RETURNING id`,
      [survey.id, kind, survey.linkVersion, survey.remindersSent, provider?.name ?? null, mobile, skip ? 'skipped' : 'pending', skip, this.clock.now(), skip ? this.clock.now() : null],
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

  /** Never throws and never holds a request up: failures are left to the sweeper. */
  private async enqueue(ids: string[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const adds = ids.map((smsId) =>
        (this.queue as Queue).add(SurveyJob.Sms, { smsId }, {
          jobId: SurveySmsService.jobId(smsId),
          attempts: SMS_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.backoffMs },
          removeOnComplete: true,
          removeOnFail: true,
        }),
      );
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('Redis did not answer in time')), ENQUEUE_TIMEOUT_MS);
      });
      await Promise.race([Promise.all(adds), timeout]);
    } catch (error) {
      this.logger.warn(`Could not queue SMS now (the sweeper will): ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
