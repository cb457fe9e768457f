import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import type { WorkCalendar } from '../calendar/working-time';
import { Ticket } from '../tickets/entities/ticket.entity';
import type { Category } from '../tickets/categories';
import type { Tier } from '../tickets/ticket-status';
import { scheduleAfterCommit } from './sla-after-commit';
import { budgetsToMs, deadlinesFrom, durationMs, extendedDeadlines, nextEvent, resumedDeadlines, type SlaClock, type SlaSnapshot } from './sla-clock';
import { SlaPoliciesService } from './sla-policies.service';

type ClockColumns = Pick<
  Ticket,
  | 'sla'
  | 'clockStartedAt'
  | 'tier1DueAt'
  | 'tier2DueAt'
  | 'tier3DueAt'
  | 'dueAt'
  | 'warnedTier'
  | 'overdueAt'
  | 'lastRemindedAt'
  | 'nextEvent'
  | 'nextEventAt'
  | 'clockVersion'
>;

export function clockOf(ticket: Ticket): SlaClock {
  return {
    tier: ticket.tier,
    startingTier: ticket.startingTier,
    clockStartedAt: ticket.clockStartedAt!,
    dueAt: [ticket.tier1DueAt, ticket.tier2DueAt, ticket.tier3DueAt],
    warnedTier: ticket.warnedTier,
    overdueAt: ticket.overdueAt,
    lastRemindedAt: ticket.lastRemindedAt,
  };
}

/** The stored columns for a clock, with its next event worked out. */
export function clockColumns(clock: SlaClock, snapshot: SlaSnapshot, calendar: WorkCalendar): Omit<ClockColumns, 'sla' | 'clockVersion'> {
  const next = nextEvent(clock, snapshot, calendar);
  return {
    clockStartedAt: clock.clockStartedAt,
    tier1DueAt: clock.dueAt[0],
    tier2DueAt: clock.dueAt[1],
    tier3DueAt: clock.dueAt[2],
    dueAt: clock.dueAt[clock.tier - 1],
    warnedTier: clock.warnedTier,
    overdueAt: clock.overdueAt,
    lastRemindedAt: clock.lastRemindedAt,
    nextEvent: next.kind,
    nextEventAt: next.at,
  };
}

/** The policy and calendar a fresh clock is computed from (see `SlaClockService.prepare`). */
export interface ClockPlan {
  snapshot: SlaSnapshot;
  calendar: WorkCalendar;
}

type StartedClock = Omit<ClockColumns, 'clockVersion'> & Pick<Ticket, 'tier' | 'startingTier'>;

/** The columns of a clock started at `start` at `tier`, its next event worked out. */
export function startedClock({ snapshot, calendar }: ClockPlan, start: Date, tier: Tier): StartedClock {
  const clock: SlaClock = {
    tier,
    startingTier: tier,
    clockStartedAt: start,
    dueAt: deadlinesFrom(start, tier, snapshot, calendar),
    warnedTier: tier - 1,
    overdueAt: null,
    lastRemindedAt: null,
  };
  return { sla: snapshot, ...clockColumns(clock, snapshot, calendar), tier, startingTier: tier };
}

/**
 * A new ticket's clock, written with its INSERT rather than by a second UPDATE, as the first
 * version of that clock. The caller queues its job with `scheduleAfterCommit` once inserted.
 */
export function newTicketClock(plan: ClockPlan, start: Date, tier: Tier): StartedClock & Pick<Ticket, 'clockVersion'> {
  return { ...startedClock(plan, start, tier), clockVersion: 1 };
}

/**
 * Starts, pauses, resumes, extends and stops a ticket's clock inside the caller's
 * transaction. Every change bumps `clockVersion` and is queued after commit.
 */
@Injectable()
export class SlaClockService {
  constructor(
    private readonly policies: SlaPoliciesService,
    private readonly calendars: CalendarService,
  ) {}

  /**
   * What a fresh clock for `category` needs from the database: its policy, copied, and the
   * calendar. Intake reads it before taking the ticket number, whose lock lasts until commit.
   */
  async prepare(manager: EntityManager, category: Category): Promise<ClockPlan> {
    const calendar = await this.calendars.workCalendar(manager);
    const policy = await this.policies.forCategory(category, manager);
    const snapshot: SlaSnapshot = {
      policyId: policy.id,
      mode: policy.mode,
      budgetsMs: budgetsToMs(policy.mode, policy.budgets, calendar),
      warnRatio: policy.warnRatio,
      tier2Owner: policy.tier2Owner,
      reminderMs: policy.reminderInterval ? durationMs(policy.reminderInterval) : null,
    };
    return { snapshot, calendar };
  }

  /** A fresh clock from `start` at `tier` (a reopened ticket back at tier 1). */
  async start(manager: EntityManager, ticket: Ticket, start: Date, tier: Tier = ticket.startingTier): Promise<Ticket> {
    return this.save(manager, ticket, startedClock(await this.prepare(manager, ticket.category), start, tier));
  }

  async pause(manager: EntityManager, ticket: Ticket, at: Date): Promise<Ticket> {
    return this.save(manager, ticket, { pausedAt: at, nextEvent: null, nextEventAt: null });
  }

  async resume(manager: EntityManager, ticket: Ticket, at: Date): Promise<Ticket> {
    const calendar = await this.calendars.workCalendar(manager);
    const clock = clockOf(ticket);
    clock.dueAt = resumedDeadlines(clock, ticket.pausedAt!, at, ticket.sla!, calendar);
    return this.save(manager, ticket, { pausedAt: null, ...clockColumns(clock, ticket.sla!, calendar) });
  }

  /** The current tier ends at `newDue`; an overdue ticket is running again until then. */
  async extend(manager: EntityManager, ticket: Ticket, newDue: Date): Promise<Ticket> {
    const calendar = await this.calendars.workCalendar(manager);
    const clock = clockOf(ticket);
    clock.dueAt = extendedDeadlines(clock, newDue, ticket.sla!, calendar);
    clock.overdueAt = null;
    clock.lastRemindedAt = null;
    clock.warnedTier = Math.min(clock.warnedTier, clock.tier - 1);
    return this.save(manager, ticket, clockColumns(clock, ticket.sla!, calendar));
  }

  /** Resolved or closed: nothing is due any more. */
  async stop(manager: EntityManager, ticket: Ticket): Promise<Ticket> {
    return this.save(manager, ticket, { nextEvent: null, nextEventAt: null, pausedAt: null });
  }

  private async save(manager: EntityManager, ticket: Ticket, changes: Partial<Ticket>): Promise<Ticket> {
    Object.assign(ticket, changes, { clockVersion: ticket.clockVersion + 1 });
    await manager.getRepository(Ticket).update({ id: ticket.id }, { ...changes, clockVersion: ticket.clockVersion });
    scheduleAfterCommit(manager, ticket);
    return ticket;
  }
}
