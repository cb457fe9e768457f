import { parse as parseDuration, pattern as DURATION_PATTERN, toSeconds } from 'iso8601-duration';
import {
  addWorkingTime,
  ALWAYS_WORKING,
  endOfWorkingDaysAfter,
  nextWorkingDayStart,
  type WorkCalendar,
  workingDayLengthMs,
  workingTimeBetween,
} from '../calendar/working-time';
import type { Ticket } from '../tickets/entities/ticket.entity';
import type { Tier } from '../tickets/ticket-status';
import type { SlaCounting, SlaMode, Tier2Owner } from './entities/sla-policy.entity';

/**
 * The SLA rules as pure functions over a ticket's stored clock. Nothing here reads the
 * clock or the database: `now` and the calendar are passed in.
 */

/** What a ticket keeps of its policy at intake: later policy edits do not move its clock. */
export type SlaSnapshot = {
  policyId: string | null;
  mode: SlaMode;
  /** Cumulative working time from intake to each tier's deadline, in ms (elapsed counting). */
  budgetsMs: [number, number, number];
  warnRatio: number;
  tier2Owner: Tier2Owner;
  /** Reminder period once overdue, in ms; null = every working day. */
  reminderMs: number | null;
} & (
  | {
      /** Absent on clocks started before legal counting existed: they were elapsed. */
      counting?: 'elapsed';
    }
  | {
      counting: 'legal';
      /** Per tier, the working day after the intake day whose close is the deadline. */
      budgetDays: [number, number, number];
    }
);

export type SlaEventKind = 'warning' | 'breach' | 'reminder';

export interface SlaClock {
  tier: Tier;
  startingTier: Tier;
  clockStartedAt: Date;
  /** Deadline of each tier (index 0 = tier 1); null for tiers the ticket started above. */
  dueAt: [Date | null, Date | null, Date | null];
  /** Highest tier whose warning was handled (0 = none). */
  warnedTier: number;
  overdueAt: Date | null;
  lastRemindedAt: Date | null;
}

export interface SlaEvent {
  kind: SlaEventKind;
  tier: Tier;
  at: Date;
}

const WHOLE_DURATION = new RegExp(`^${DURATION_PATTERN.source}$`);

/**
 * The longest wait any configured span may be: a budget, reminder or survey window beyond it is
 * a typo, and one large enough (P14285000W) derives deadlines that are not dates at all (a 500).
 */
export const MAX_SPAN_MS = 366 * 24 * 3600 * 1000;
export const MAX_WORKING_DAYS = 365;

/** Milliseconds of a fixed-length ISO 8601 duration (weeks, days, hours, minutes, seconds), at most MAX_SPAN_MS. */
export function durationMs(iso: string): number {
  // Years and months have no fixed length: refuse them (M after T is minutes and is fine).
  const datePart = iso.split('T')[0];
  if (!/^P(\d|T\d)/.test(iso) || !WHOLE_DURATION.test(iso) || /[YM]/.test(datePart)) {
    throw new RangeError(`${iso} is not a fixed-length ISO 8601 duration (use W, D, H, M, S)`);
  }
  const ms = Math.round(toSeconds(parseDuration(iso), new Date(0)) * 1000);
  if (!(ms <= MAX_SPAN_MS)) throw new RangeError(`${iso} is longer than 366 days`);
  return ms;
}

export function calendarFor(mode: SlaMode, calendar: WorkCalendar): WorkCalendar {
  return mode === 'duration' ? ALWAYS_WORKING : calendar;
}

/** Budgets as stored on a policy, in ms of working time. */
export function budgetsToMs(mode: SlaMode, budgets: (number | string)[], calendar: WorkCalendar): [number, number, number] {
  const ms = budgets.map((b) =>
    mode === 'working_days' ? Number(b) * workingDayLengthMs(calendar) : durationMs(String(b)),
  );
  return [ms[0], ms[1], ms[2]];
}

/** How a policy counts: durations are always elapsed, working days as the policy says. */
export function effectiveCounting(mode: SlaMode, counting: SlaCounting): SlaCounting {
  return mode === 'duration' ? 'elapsed' : counting;
}

/** Deadlines of the tiers from the starting tier on, counted from intake. */
export function deadlinesFrom(
  start: Date,
  startingTier: Tier,
  snapshot: SlaSnapshot,
  calendar: WorkCalendar,
): [Date | null, Date | null, Date | null] {
  const cal = calendarFor(snapshot.mode, calendar);
  const due = snapshot.budgetsMs.map((ms, i) => {
    if (i + 1 < startingTier) return null;
    return snapshot.counting === 'legal' ? endOfWorkingDaysAfter(start, snapshot.budgetDays[i], cal) : addWorkingTime(start, ms, cal);
  });
  return [due[0], due[1], due[2]];
}

/** The clock as stored on a ticket. */
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

export type ClockColumns = Pick<
  Ticket,
  'clockStartedAt' | 'tier1DueAt' | 'tier2DueAt' | 'tier3DueAt' | 'dueAt' | 'warnedTier' | 'overdueAt' | 'lastRemindedAt' | 'nextEvent' | 'nextEventAt'
>;

/** The stored columns for a clock, with its next event worked out. */
export function clockColumns(clock: SlaClock, snapshot: SlaSnapshot, calendar: WorkCalendar): ClockColumns {
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

/** When the current tier's time began: intake for the starting tier, else the previous deadline. */
function tierStart(clock: SlaClock): Date {
  return clock.tier === clock.startingTier ? clock.clockStartedAt : clock.dueAt[clock.tier - 2]!;
}

export function warningAt(clock: SlaClock, snapshot: SlaSnapshot, calendar: WorkCalendar): Date {
  const cal = calendarFor(snapshot.mode, calendar);
  const start = tierStart(clock);
  const due = clock.dueAt[clock.tier - 1]!;
  const tierTime = workingTimeBetween(start, due, cal);
  return addWorkingTime(start, Math.floor(tierTime * snapshot.warnRatio), cal);
}

/** The next thing that must happen to a running clock. */
export function nextEvent(clock: SlaClock, snapshot: SlaSnapshot, calendar: WorkCalendar): SlaEvent {
  if (clock.overdueAt) {
    const since = clock.lastRemindedAt ?? clock.overdueAt;
    const at =
      snapshot.reminderMs !== null
        ? new Date(since.getTime() + snapshot.reminderMs)
        : nextWorkingDayStart(since, calendarFor(snapshot.mode, calendar));
    return { kind: 'reminder', tier: clock.tier, at };
  }
  if (clock.warnedTier < clock.tier) {
    return { kind: 'warning', tier: clock.tier, at: warningAt(clock, snapshot, calendar) };
  }
  return { kind: 'breach', tier: clock.tier, at: clock.dueAt[clock.tier - 1]! };
}

/** Deadlines after a pause: each one not yet passed keeps the working time it had left. */
export function resumedDeadlines(
  clock: SlaClock,
  pausedAt: Date,
  resumedAt: Date,
  snapshot: SlaSnapshot,
  calendar: WorkCalendar,
): [Date | null, Date | null, Date | null] {
  const cal = calendarFor(snapshot.mode, calendar);
  const moved = clock.dueAt.map((due) =>
    due && due > pausedAt ? addWorkingTime(resumedAt, workingTimeBetween(pausedAt, due, cal), cal) : due,
  );
  return [moved[0], moved[1], moved[2]];
}

/**
 * Deadlines after an approved extension of the current tier to `newDue`: later tiers move
 * by the same working time, so each keeps its own share.
 */
export function extendedDeadlines(
  clock: SlaClock,
  newDue: Date,
  snapshot: SlaSnapshot,
  calendar: WorkCalendar,
): [Date | null, Date | null, Date | null] {
  const cal = calendarFor(snapshot.mode, calendar);
  const current = clock.dueAt[clock.tier - 1]!;
  const shift = workingTimeBetween(current, newDue, cal);
  const moved = clock.dueAt.map((due, i) => {
    if (!due || i + 1 < clock.tier) return due;
    return i + 1 === clock.tier ? newDue : addWorkingTime(due, shift, cal);
  });
  return [moved[0], moved[1], moved[2]];
}
