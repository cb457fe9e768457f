import { type WorkCalendar, workingTimeBetween } from '../calendar/working-time';
import { calendarFor } from '../sla/sla-clock';
import type { Ticket } from './entities/ticket.entity';
import { OPEN_STATUSES } from './ticket-status';

/**
 * Where an open ticket stands against its SLA clock, for the console: warned (预警) and the
 * working time left. The queue's views select by the same rules in SQL (the fragments below),
 * so a ticket in the "warned" tab answers `warned: true`.
 *
 * The SLA engine records a passed warning in `warned_tier` and a passed final deadline in
 * `overdue_at`; a warning or final breach that is due but not yet handled by the engine (its
 * job is a moment late) counts as passed already, read off `next_event`/`next_event_at`.
 */
export interface SlaStanding {
  warned: boolean;
  overdue: boolean;
  /** Working ms from now (or from the pause) to the current tier's deadline; negative when past it; null without a running clock. */
  workingMsLeft: number | null;
}

export type StandingFacts = Pick<
  Ticket,
  'status' | 'tier' | 'sla' | 'tier1DueAt' | 'tier2DueAt' | 'tier3DueAt' | 'warnedTier' | 'overdueAt' | 'nextEvent' | 'nextEventAt' | 'pausedAt'
>;

export function slaStanding(ticket: StandingFacts, now: Date, calendar: WorkCalendar): SlaStanding {
  if (!OPEN_STATUSES.includes(ticket.status)) return { warned: false, overdue: false, workingMsLeft: null };
  const dueNow = (kind: 'warning' | 'breach') => ticket.nextEvent === kind && ticket.nextEventAt !== null && ticket.nextEventAt <= now;
  const warned = ticket.warnedTier >= ticket.tier || dueNow('warning');
  const overdue = ticket.overdueAt !== null || (ticket.tier === 3 && dueNow('breach'));
  const due = [ticket.tier1DueAt, ticket.tier2DueAt, ticket.tier3DueAt][ticket.tier - 1];
  if (!ticket.sla || !due) return { warned, overdue, workingMsLeft: null };
  const cal = calendarFor(ticket.sla.mode, calendar);
  // A paused clock stands still where it was paused.
  const from = ticket.pausedAt ?? now;
  // Past the deadline but outside office hours since: 0, not -0 (which JSON would write as 0 anyway).
  const workingMsLeft = from <= due ? workingTimeBetween(from, due, cal) : 0 - workingTimeBetween(due, from, cal) || 0;
  return { warned, overdue, workingMsLeft };
}

const OPEN_SQL = (alias: string) => `${alias}.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** `slaStanding(…).warned` as a condition on tickets aliased `alias`; `:standingNow` is the clock's now. */
export const warnedSql = (alias: string) =>
  `(${OPEN_SQL(alias)} AND (${alias}.warned_tier >= ${alias}.tier
     OR (${alias}.next_event = 'warning' AND ${alias}.next_event_at <= :standingNow)))`;

/** `slaStanding(…).overdue` as a condition; `:standingNow` is the clock's now. */
export const overdueSql = (alias: string) =>
  `(${OPEN_SQL(alias)} AND (${alias}.overdue_at IS NOT NULL
     OR (${alias}.tier = 3 AND ${alias}.next_event = 'breach' AND ${alias}.next_event_at <= :standingNow)))`;
