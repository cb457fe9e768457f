import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { afterCommit, rememberForCommit } from '../common/lifecycle/after-commit';
import { type JobData, QUEUES } from '../common/lifecycle/queues';
import { RecurringJobs } from '../common/lifecycle/recurring-job';
import { addWakeUps, sweepDue } from '../common/lifecycle/wake-up';
import type { EnvironmentVariables } from '../config/env.validation';

interface ScheduledAction {
  id: string;
  ticket_id: string;
  round: number;
  next_action: string;
  next_action_at: Date;
  reminders_sent: number;
}

const AFTER_COMMIT_KEY = 'surveysToSchedule';
const SWEEPER_ID = 'survey-sweeper';
/** Actions this close are (re)queued by every sweep; later ones are left to later sweeps. */
const HORIZON_FACTOR = 2;
const BATCH = 5000;
const COLUMNS = 'id, ticket_id, round, next_action, next_action_at, reminders_sent';

/**
 * Wakes surveys up the way the SLA scheduler wakes tickets: the stored next action becomes one
 * delayed job after commit, under an id made of the ticket, round, action, reminder count and
 * instant (adding it twice is a no-op); a sweeper every SLA_SWEEP_EVERY_MS re-queues anything
 * due, so a lost Redis only delays a reminder or a close.
 */
@Injectable()
export class SurveyScheduler {
  private readonly logger = new Logger('SurveyScheduler');
  private readonly everyMs: number;

  constructor(
    @InjectQueue(QUEUES.surveys.name) private readonly queue: Queue<JobData<'surveys', 'due'>>,
    @InjectDataSource() private readonly dataSource: DataSource,
    recurring: RecurringJobs,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.everyMs = config.get('SLA_SWEEP_EVERY_MS', { infer: true });
    recurring.register(queue as Queue, SWEEPER_ID, 'sweep', this.everyMs, () => this.sweep());
    afterCommit<string>(dataSource, AFTER_COMMIT_KEY, (ids) => this.schedule(ids));
  }

  static jobId(action: ScheduledAction): string {
    return [action.ticket_id, `r${action.round}`, action.next_action, `n${action.reminders_sent}`, new Date(action.next_action_at).getTime()].join('_');
  }

  /** The survey's next action is queued once `manager`'s transaction commits. */
  scheduleAfterCommit(manager: EntityManager, surveyId: string): void {
    rememberForCommit(manager, AFTER_COMMIT_KEY, surveyId, surveyId);
  }

  /** Never throws and never blocks on Redis: failures are left to the sweeper. */
  async schedule(surveyIds: string[]): Promise<void> {
    try {
      const actions = await this.dataSource.query<ScheduledAction[]>(
        `SELECT ${COLUMNS} FROM surveys WHERE id = ANY($1) AND next_action_at IS NOT NULL`,
        [surveyIds],
      );
      await this.enqueue(actions);
    } catch (error) {
      this.logger.warn(`Could not queue survey jobs now (the sweeper will): ${(error as Error).message}`);
    }
  }

  /** Queues every action due before the next sweep or two; returns how many it looked at. */
  async sweep(): Promise<number> {
    const horizon = new Date(this.clock.now().getTime() + HORIZON_FACTOR * this.everyMs);
    const total = await sweepDue(
      horizon,
      async (until, after, afterId) =>
        (
          await this.dataSource.query<ScheduledAction[]>(
            `SELECT ${COLUMNS} FROM surveys
             WHERE next_action_at IS NOT NULL AND next_action_at <= $1 AND (next_action_at, id) > ($2, $3)
             ORDER BY next_action_at, id LIMIT ${BATCH}`,
            [until, after, afterId],
          )
        ).map((action) => ({ ...action, at: action.next_action_at })),
      (batch) => this.enqueue(batch),
    );
    if (total > 0) this.logger.log(`Swept ${total} due or soon-due survey actions`);
    return total;
  }

  private enqueue(actions: ScheduledAction[]): Promise<void> {
    const wakeUps = actions.map((a) => ({ jobId: SurveyScheduler.jobId(a), data: { surveyId: a.id }, at: new Date(a.next_action_at) }));
    return addWakeUps(this.queue, 'due', wakeUps, this.clock.now());
  }
}
