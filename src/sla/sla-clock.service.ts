import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import type { WorkCalendar } from '../calendar/working-time';
import { Ticket } from '../tickets/entities/ticket.entity';
import type { Category } from '../tickets/categories';
import type { Tier } from '../tickets/ticket-status';
import { scheduleAfterCommit } from './sla-after-commit';
import {
  budgetsToMs,
  clockColumns,
  type ClockColumns,
  clockOf,
  deadlinesFrom,
  durationMs,
  effectiveCounting,
  extendedDeadlines,
  resumedDeadlines,
  type SlaClock,
  type SlaSnapshot,
} from './sla-clock';
import { SlaPoliciesService } from './sla-policies.service';

/** The policy and calendar a fresh clock is computed from (see `SlaClockService.prepare`). */
export interface ClockPlan {
  snapshot: SlaSnapshot;
  calendar: WorkCalendar;
}

type StartedClock = ClockColumns & Pick<Ticket, 'sla' | 'tier' | 'startingTier'>;

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
    const common = {
      policyId: policy.id,
      mode: policy.mode,
      budgetsMs: budgetsToMs(policy.mode, policy.budgets, calendar),
      warnRatio: policy.warnRatio,
      tier2Owner: policy.tier2Owner,
      reminderMs: policy.reminderInterval ? durationMs(policy.reminderInterval) : null,
    };
    const budgetDays = policy.budgets.map(Number) as [number, number, number];
    const snapshot: SlaSnapshot =
      effectiveCounting(policy.mode, policy.counting) === 'legal'
        ? { ...common, counting: 'legal', budgetDays }
        : { ...common, counting: 'elapsed' };
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
