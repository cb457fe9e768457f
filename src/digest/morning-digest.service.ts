import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { localDate } from '../calendar/working-time';
import { Clock } from '../common/clock';
import { QUEUES } from '../common/lifecycle/queues';
import { RecurringJobs } from '../common/lifecycle/recurring-job';
import type { EnvironmentVariables } from '../config/env.validation';
import { publicBaseUrl } from '../config/app.config';
import { NotificationsService } from '../notifications/notifications.service';
import { noticeReleaseAt } from '../robots/quiet-hours';
import { RobotOutbox } from '../robots/robot-outbox.service';
import { ownersCall } from '../tickets/ticket-owner';
import { OPEN_STATUSES } from '../tickets/ticket-status';
import { digestChannelScope, digestMessageId, digestRobotMessage } from './digest-robot-message';
import { composeDigests, type DigestRecipient, type DigestTicket, digestDayAt, FIRST_DIGEST_LOOKBACK_MS, renderDigest } from './morning-digest';

const SCHEDULER_ID = 'morning-digest';

/**
 * The morning digest (晨报): a BullMQ job scheduler wakes a worker every SLA_SWEEP_EVERY_MS;
 * from 08:30 of a working day the first worker to claim the day (a `digest_runs` row, primary
 * key the local date, inserted in the same transaction as the notices) writes each leader's
 * and department's digest to their inboxes, and records one robot delivery per digest and
 * channel its routing rules give it (the robots' outbox sends them after the commit, within each
 * robot's rate window). Any other worker, then or later that day, finds the day claimed and
 * does nothing.
 */
@Injectable()
export class MorningDigestService {
  private readonly logger = new Logger('MorningDigest');
  private readonly baseUrl: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: CalendarService,
    private readonly notifications: NotificationsService,
    private readonly robots: RobotOutbox,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.digest.name) queue: Queue,
    recurring: RecurringJobs,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.baseUrl = publicBaseUrl(config);
    recurring.register(queue, SCHEDULER_ID, 'run', config.get('SLA_SWEEP_EVERY_MS', { infer: true }), () => this.runDue());
  }

  /** Sends the day's digests when due and not yet sent; returns how many it wrote (0 when not due, or claimed already). */
  async runDue(): Promise<number> {
    const now = this.clock.now();
    // Most wake-ups find the day done: answered with one read, no calendar, no write.
    const [done] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM digest_runs WHERE day = $1`, [localDate(now)]);
    if (done) return 0;
    const calendar = await this.calendars.uncachedWorkCalendar();
    const day = digestDayAt(now, calendar);
    if (!day) return 0;
    // From 08:30 of a working day this is now; a digest a worker catches up on after 20:00 waits like any notice.
    const notBefore = noticeReleaseAt(now, calendar);
    let posted = 0;
    const written = await this.dataSource.transaction(async (manager) => {
      // A second worker's insert waits here for the first one's transaction, then finds the day taken.
      const [claimed] = await manager.query<unknown[]>(`INSERT INTO digest_runs (day, ran_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING RETURNING day`, [day, now]);
      if (!claimed) return null;
      const [last] = await manager.query<{ ran_at: Date }[]>(`SELECT ran_at FROM digest_runs WHERE day < $1 ORDER BY day DESC LIMIT 1`, [day]);
      const since = last?.ran_at ?? new Date(now.getTime() - FIRST_DIGEST_LOOKBACK_MS);
      const digests = composeDigests(day, since, await this.openTickets(manager), await this.recipients(manager));
      for (const digest of digests) {
        const { title, body } = renderDigest(digest);
        const { recipient, dueToday, warned, overdue, escalated } = digest;
        await this.notifications.notifyUsers(
          recipient.userIds,
          { type: 'digest.morning', title, body, data: { day, recipient: { kind: recipient.kind, id: recipient.id, name: recipient.name }, dueToday, warned, overdue, escalated } },
          manager,
        );
        const channels = await this.robots.channelsFor(digestChannelScope(recipient), manager);
        const message = digestRobotMessage(digest, this.baseUrl);
        for (const channelId of channels) {
          if (await this.robots.send(channelId, message, { messageId: digestMessageId(day, recipient, channelId), notBefore }, manager)) posted++;
        }
      }
      await manager.query(`UPDATE digest_runs SET since = $2, digests = $3 WHERE day = $1`, [day, since, digests.length]);
      return digests.length;
    });
    if (written !== null) this.logger.log(`Morning digest ${day}: ${written} digests, ${posted} robot messages`);
    return written ?? 0;
  }

  private async openTickets(manager: EntityManager): Promise<DigestTicket[]> {
    const rows = await manager.query<
      {
        id: string;
        number: string;
        title: string;
        enterprise_name: string;
        department_id: string | null;
        tier: number;
        due_at: Date | null;
        warned_tier: number;
        overdue_at: Date | null;
        escalated_at: Date | null;
        owner_ids: string[] | null;
        paired_leader_id: string | null;
      }[]
    >(
      `SELECT t.id, t.number, t.title, e.name AS enterprise_name, t.department_id, t.tier, t.due_at, t.warned_tier, t.overdue_at,
              t.escalated_at, o.user_ids AS owner_ids, t.paired_leader_id
         FROM tickets t
         JOIN enterprises e ON e.id = t.enterprise_id
         CROSS JOIN LATERAL ${ownersCall('t')} o
        WHERE t.status = ANY($1)`,
      [OPEN_STATUSES],
    );
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      enterpriseName: r.enterprise_name,
      departmentId: r.department_id,
      tier: r.tier,
      dueAt: r.due_at,
      warnedTier: r.warned_tier,
      overdueAt: r.overdue_at,
      escalatedAt: r.escalated_at,
      ownerIds: r.owner_ids ?? [],
      pairedLeaderId: r.paired_leader_id,
    }));
  }

  /** Every active leader, and every department with active handlers (its digest goes to each of them). */
  private async recipients(manager: EntityManager): Promise<DigestRecipient[]> {
    type Person = DigestRecipient['people'][number];
    const leaders = await manager.query<{ id: string; name: string; mobile: string | null }[]>(
      `SELECT id, display_name AS name, mobile FROM users WHERE active AND role IN ('deputy_leader', 'principal_leader') ORDER BY created_at, id`,
    );
    const departments = await manager.query<{ id: string; name: string; user_ids: string[]; people: Person[] }[]>(
      `SELECT d.id, d.name, array_agg(u.id ORDER BY u.created_at, u.id) AS user_ids,
              json_agg(json_build_object('name', u.display_name, 'mobile', u.mobile) ORDER BY u.created_at, u.id) AS people
         FROM departments d JOIN users u ON u.department_id = d.id AND u.active AND u.role = 'department_handler'
        GROUP BY d.id, d.name ORDER BY d.name`,
    );
    return [
      ...leaders.map((l): DigestRecipient => ({ kind: 'leader', id: l.id, name: l.name, userIds: [l.id], people: [{ name: l.name, mobile: l.mobile }] })),
      ...departments.map((d): DigestRecipient => ({ kind: 'department', id: d.id, name: d.name, userIds: d.user_ids, people: d.people })),
    ];
  }
}
