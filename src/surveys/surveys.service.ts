import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import type { EnvironmentVariables } from '../config/env.validation';
import { Enterprise } from '../enterprises/entities/enterprise.entity';
import { EventBus } from '../events/event-bus.service';
import { Ticket } from '../tickets/entities/ticket.entity';
import { recordEvent } from '../tickets/ticket-events';
import { ticketScope } from '../tickets/ticket-scope';
import { type PublicSurveyDto, type SurveyAnswerDto, type SurveyDto, type SurveyLinkDto, toSurveyDto } from './dto/survey.dto';
import { Survey, type SurveyChannel } from './entities/survey.entity';
import { nextSurveyAction, parseSpan, parseSpans, type Span, surveySchedule } from './survey-schedule';
import { SurveyScheduler } from './survey-scheduler.service';
import { SurveySmsService } from './survey-sms.service';
import { notFound, SurveyTokens, tokenHash } from './survey-token.service';

/**
 * The follow-up survey (回访): opened in the resolution's transaction (an in-transaction hook of
 * `ticket.resolved`), sent, reminded and closed as `no_response` by queued jobs, answered once
 * through the signed link or a phone call; `survey.answered` and `survey.no_response` close or
 * reopen the ticket in the same transaction (the tickets floor's hook, not a call from here).
 */
@Injectable()
export class SurveysService {
  private readonly reminders: Span[];
  private readonly window: Span;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly calendars: CalendarService,
    private readonly scheduler: SurveyScheduler,
    private readonly sms: SurveySmsService,
    private readonly tokens: SurveyTokens,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.reminders = parseSpans(config.get('SURVEY_REMINDERS', { infer: true }));
    this.window = parseSpan(config.get('SURVEY_WINDOW', { infer: true }));
    bus.inTransaction('survey', ['ticket.resolved'], (manager, { payload }) => this.open(manager, payload.ticketId));
  }

  /** Due work on one survey (a queued job); returns 1 if it acted, 0 for a stale or duplicate job. */
  processDue(surveyId: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const survey = await this.lock(manager, surveyId);
      const now = this.clock.now();
      if (!survey?.nextActionAt || survey.nextActionAt > now) return 0;
      if (survey.nextAction === 'send') await this.send(manager, survey, now);
      else if (survey.nextAction === 'remind') await this.remind(manager, survey);
      else await this.expire(manager, survey);
      return 1;
    });
  }

  async view(token: string): Promise<PublicSurveyDto> {
    const survey = await this.byToken(this.dataSource.manager, token);
    if (survey.status !== 'answered') this.assertOpen(survey);
    // The resolver's department (or name) is what the enterprise knows them by; no user ids leave.
    const [row] = await this.dataSource.query<{ number: string; title: string; name: string; park: string | null; resolved_by: string | null }[]>(
      `SELECT t.number, t.title, e.name, e.park, COALESCE(d.name, u.display_name) AS resolved_by
         FROM tickets t
         JOIN enterprises e ON e.id = t.enterprise_id
         LEFT JOIN users u ON u.id = $2
         LEFT JOIN departments d ON d.id = u.department_id
        WHERE t.id = $1`,
      [survey.ticketId, survey.resolvedBy],
    );
    return {
      ticketNumber: row.number,
      title: row.title,
      resolution: survey.resolution,
      enterpriseName: row.name,
      zone: row.park,
      resolvedBy: row.resolved_by,
      resolvedAt: survey.resolvedAt,
      answered: survey.status === 'answered',
      expiresAt: survey.expiresAt!,
    };
  }

  async answerByLink(token: string, input: SurveyAnswerDto): Promise<PublicSurveyDto> {
    await this.answer(async (manager) => {
      const survey = await this.byToken(manager, token, true);
      if (survey.status === 'answered') throw new DomainError('survey_token_used', 'This survey was already answered');
      this.assertOpen(survey);
      return survey;
    }, input, 'link', null);
    return this.view(token);
  }

  /** Every survey round of a ticket the caller may see, oldest first. */
  async rounds(user: AuthUser, ticketId: string): Promise<SurveyDto[]> {
    await this.assertVisible(this.dataSource.manager, user, ticketId);
    const rounds = await this.dataSource.getRepository(Survey).find({ where: { ticketId }, order: { round: 'ASC' } });
    const messages = await this.sms.ofSurveys(this.dataSource.manager, rounds.map((s) => s.id));
    return rounds.map((s) => toSurveyDto(s, messages.filter((m) => m.surveyId === s.id)));
  }

  /** A ticket outside the caller's scope is a 404, like every ticket route. */
  private async assertVisible(manager: EntityManager, user: AuthUser, ticketId: string): Promise<void> {
    const query = manager.getRepository(Ticket).createQueryBuilder('t').select('t.id').where('t.id = :ticketId', { ticketId });
    const scope = ticketScope(user);
    if (scope) query.andWhere(scope.sql, scope.params);
    if (!(await query.getOne())) throw new DomainError('not_found', `No ticket ${ticketId}`);
  }

  /** A liaison officer (or manager) records the answer given on a follow-up call. */
  async answerByPhone(user: AuthUser, ticketId: string, input: SurveyAnswerDto): Promise<SurveyDto> {
    return this.answer(async (manager) => {
      await this.assertVisible(manager, user, ticketId);
      const latest = await this.lockLatest(manager, ticketId);
      if (!latest || (latest.status !== 'pending' && latest.status !== 'sent')) {
        throw new DomainError('conflict', 'This ticket has no survey waiting for an answer', { surveyStatus: latest?.status ?? null });
      }
      return latest;
    }, input, 'phone', user.id);
  }

  /**
   * Sends the open survey's link again, on demand of someone who relays it: a new link (the
   * previous one stops working), to the same inboxes and relay webhook as the first, and back
   * to the caller to forward at once. The window to answer does not move.
   */
  resendLink(user: AuthUser, ticketId: string): Promise<SurveyLinkDto> {
    return this.dataSource.transaction(async (manager) => {
      await this.assertRelayer(manager, user, ticketId);
      const survey = await this.lockLatest(manager, ticketId);
      if (survey?.status !== 'sent' || survey.expiresAt! <= this.clock.now()) {
        throw new DomainError('conflict', 'This ticket has no survey open for answers', { surveyStatus: survey?.status ?? null });
      }
      const linkVersion = survey.linkVersion + 1;
      const link = this.tokens.link({ ...survey, linkVersion });
      await this.update(manager, survey, { linkVersion, tokenHash: tokenHash(link.token) });
      await recordEvent(manager, { ticketId, actorId: user.id, type: 'survey_link_resent', before: null, after: { round: survey.round, linkVersion } });
      await this.announce(manager, 'survey.sent', survey, '回访链接重发 survey link sent again', link.url);
      return { surveyId: survey.id, round: survey.round, link: link.url, expiresAt: survey.expiresAt! };
    });
  }

  /**
   * Those who relay a ticket's survey: the officer who logged the demand, its paired leader (at
   * intake or now), managers and admins; anyone else gets a 404, in the query itself.
   */
  private async assertRelayer(manager: EntityManager, user: AuthUser, ticketId: string): Promise<void> {
    const query = manager.getRepository(Ticket).createQueryBuilder('t').select('t.id').where('t.id = :ticketId', { ticketId });
    if (user.role !== 'manager' && user.role !== 'admin') {
      query.andWhere(
        `(t.created_by = :userId OR t.paired_leader_id = :userId
          OR EXISTS (SELECT 1 FROM pairings p WHERE p.enterprise_id = t.enterprise_id AND p.ended_on IS NULL AND p.leader_id = :userId))`,
        { userId: user.id },
      );
    }
    if (!(await query.getOne())) throw new DomainError('not_found', `No ticket ${ticketId}`);
  }

  /** The ticket's latest survey round, locked. */
  private lockLatest(manager: EntityManager, ticketId: string): Promise<Survey | null> {
    return manager
      .getRepository(Survey)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.ticket_id = :ticketId', { ticketId })
      .orderBy('s.round', 'DESC')
      .limit(1)
      .getOne();
  }

  /** Inside one transaction: the survey is answered once (conditional update), then (its event's hook) the ticket closes or reopens. */
  private answer(
    find: (manager: EntityManager) => Promise<Survey>,
    input: SurveyAnswerDto,
    channel: SurveyChannel,
    recordedBy: string | null,
  ): Promise<SurveyDto> {
    return this.dataSource.transaction(async (manager) => {
      const survey = await find(manager);
      const changes = {
        status: 'answered' as const,
        answer: input.answer,
        comment: input.comment ?? null,
        channel,
        recordedBy,
        answeredAt: this.clock.now(),
        nextAction: null,
        nextActionAt: null,
      };
      const result = await manager.getRepository(Survey).update({ id: survey.id, status: In(['pending', 'sent']) }, changes);
      if (!result.affected) throw new DomainError('survey_token_used', 'This survey was already answered');
      Object.assign(survey, changes);
      const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: survey.ticketId });
      await recordEvent(manager, {
        ticketId: ticket.id,
        actorId: recordedBy,
        type: 'survey_answered',
        before: null,
        after: { round: survey.round, answer: input.answer, channel },
        note: input.comment ?? null,
      });
      await this.bus.emit(manager, 'survey.answered', {
        ticketId: ticket.id,
        number: ticket.number,
        round: survey.round,
        answer: input.answer,
        comment: input.comment ?? null,
        channel,
      });
      return toSurveyDto(survey, await this.sms.ofSurveys(manager, [survey.id]));
    });
  }

  /** In the resolution's transaction: the round's survey, to be sent by a job right after commit. */
  private async open(manager: EntityManager, ticketId: string): Promise<void> {
    const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: ticketId });
    const surveys = manager.getRepository(Survey);
    const survey = await surveys.save(
      surveys.create({
        ticketId: ticket.id,
        round: ticket.reopenCount + 1,
        resolution: ticket.resolution!,
        resolvedAt: ticket.resolvedAt!,
        resolvedBy: ticket.resolvedBy,
        resolvedTier: ticket.resolvedTier,
        nextAction: 'send',
        nextActionAt: ticket.resolvedAt!,
      }),
    );
    this.scheduler.scheduleAfterCommit(manager, survey.id);
  }

  private async send(manager: EntityManager, survey: Survey, now: Date): Promise<void> {
    const schedule = surveySchedule(now, this.reminders, this.window, await this.calendars.workCalendar(manager));
    const next = nextSurveyAction(schedule, 0);
    Object.assign(survey, { sentAt: now, expiresAt: schedule.closesAt });
    const link = this.tokens.link(survey);
    await this.update(manager, survey, {
      status: 'sent',
      tokenHash: tokenHash(link.token),
      sentAt: now,
      expiresAt: schedule.closesAt,
      nextAction: next.kind,
      nextActionAt: next.at,
    });
    await recordEvent(manager, { ticketId: survey.ticketId, actorId: null, type: 'survey_sent', before: null, after: { round: survey.round, expiresAt: schedule.closesAt.toISOString() } });
    await this.announce(manager, 'survey.sent', survey, '回访 follow-up survey', link.url);
  }

  /**
   * The link on the bus: with the enterprise's contacts, so a relay (webhook, SMS) can forward
   * it; and in the inboxes of the ticket's creator (the liaison officer) and paired leader.
   */
  private async announce(manager: EntityManager, event: 'survey.sent' | 'survey.reminded', survey: Survey, what: string, link: string): Promise<void> {
    const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: survey.ticketId });
    const enterprise = await manager.getRepository(Enterprise).findOneByOrFail({ id: ticket.enterpriseId });
    const payload = {
      ticketId: ticket.id,
      number: ticket.number,
      title: ticket.title,
      round: survey.round,
      reminder: survey.remindersSent,
      linkVersion: survey.linkVersion,
      link,
      expiresAt: survey.expiresAt?.toISOString(),
      enterprise: { id: enterprise.id, name: enterprise.name, contacts: enterprise.contacts },
    };
    await this.bus.emit(manager, event, payload, {
      recipients: [ticket.createdBy, ...(ticket.pairedLeaderId ? [ticket.pairedLeaderId] : [])],
      title: `${ticket.number}: ${what}`,
      body: link,
      data: { surveyId: survey.id, round: survey.round, link, expiresAt: survey.expiresAt },
    });
  }

  private async remind(manager: EntityManager, survey: Survey): Promise<void> {
    const calendar = await this.calendars.workCalendar(manager);
    const schedule = { ...surveySchedule(survey.sentAt!, this.reminders, this.window, calendar), closesAt: survey.expiresAt! };
    const remindersSent = survey.remindersSent + 1;
    const next = nextSurveyAction(schedule, remindersSent);
    await this.update(manager, survey, { remindersSent, nextAction: next.kind, nextActionAt: next.at });
    const link = this.tokens.link(survey).url;
    await recordEvent(manager, { ticketId: survey.ticketId, actorId: null, type: 'survey_reminder', before: null, after: { round: survey.round, reminder: remindersSent } });
    await this.announce(manager, 'survey.reminded', survey, `回访提醒 survey reminder ${remindersSent}`, link);
  }

  /** The window passed unanswered: recorded as no response (never as satisfied), and the ticket closes. */
  private async expire(manager: EntityManager, survey: Survey): Promise<void> {
    await this.update(manager, survey, { status: 'no_response', nextAction: null, nextActionAt: null });
    const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: survey.ticketId });
    await recordEvent(manager, { ticketId: ticket.id, actorId: null, type: 'survey_no_response', before: null, after: { round: survey.round } });
    await this.bus.emit(manager, 'survey.no_response', { ticketId: ticket.id, number: ticket.number, round: survey.round });
  }

  /** Changes a locked survey and queues its next action after commit. */
  private async update(manager: EntityManager, survey: Survey, changes: Partial<Survey>): Promise<void> {
    await manager.getRepository(Survey).update({ id: survey.id }, changes);
    Object.assign(survey, changes);
    if (changes.nextActionAt) this.scheduler.scheduleAfterCommit(manager, survey.id);
  }

  private lock(manager: EntityManager, id: string): Promise<Survey | null> {
    return manager.getRepository(Survey).createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id }).getOne();
  }

  /** The survey behind a link: 404 for anything not a survey token of ours. */
  private async byToken(manager: EntityManager, token: string, forUpdate = false): Promise<Survey> {
    const hash = this.tokens.verify(token);
    const query = manager.getRepository(Survey).createQueryBuilder('s').where('s.token_hash = :hash', { hash });
    if (forUpdate) query.setLock('pessimistic_write');
    const survey = await query.getOne();
    if (!survey) throw notFound();
    return survey;
  }

  private assertOpen(survey: Survey): void {
    if (survey.status === 'no_response' || survey.expiresAt! <= this.clock.now()) {
      throw new DomainError('survey_token_expired', 'The time to answer this survey has passed');
    }
  }
}
