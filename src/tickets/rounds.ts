import { type WorkCalendar, workingTimeBetween } from '../calendar/working-time';
import type { Ticket } from './entities/ticket.entity';
import type { Tier } from './ticket-status';

/**
 * A ticket lives in rounds: each reopening (the enterprise unsatisfied) starts a fresh clock at
 * tier 1, so the SLA columns describe the latest round only. What earlier rounds reached is
 * kept beside them (`earlierMaxTier`, `earlierOverdue`, `overdueWorkingMs`), and a figure about
 * the whole ticket combines the two: see docs/statistics.md.
 */

type RoundColumns = Pick<Ticket, 'status' | 'tier' | 'tier3DueAt' | 'overdueAt' | 'resolvedAt' | 'earlierMaxTier' | 'earlierOverdue'>;

const DONE = new Set(['resolved', 'closed']);

/** The latest round passed its final (tier-3) deadline: marked overdue, or resolved after it. */
function latestRoundOverdue(t: RoundColumns): boolean {
  if (t.overdueAt !== null) return true;
  return DONE.has(t.status) && t.resolvedAt !== null && t.tier3DueAt !== null && t.resolvedAt > t.tier3DueAt;
}

/** Some round passed its final deadline (超期 at least once). */
export function everOverdue(t: RoundColumns): boolean {
  return t.earlierOverdue || latestRoundOverdue(t);
}

/** The highest tier any round reached (tiers only rise within a round). */
export function maxTierReached(t: RoundColumns): Tier {
  return Math.max(t.earlierMaxTier, t.tier) as Tier;
}

/** What the round being reopened leaves on the ticket, taken while it still holds that round's columns. */
export function closeRound(t: RoundColumns): Pick<Ticket, 'earlierMaxTier' | 'earlierOverdue'> {
  return { earlierMaxTier: maxTierReached(t), earlierOverdue: everOverdue(t) };
}

/** Working time from a round's final deadline to its resolution; 0 when resolved in time. */
export function overdueWorkingMs(finalDueAt: Date | null, resolvedAt: Date | null, calendar: WorkCalendar): number {
  if (!finalDueAt || !resolvedAt || resolvedAt <= finalDueAt) return 0;
  return workingTimeBetween(finalDueAt, resolvedAt, calendar);
}

/** The same rules in SQL, on tickets aliased `t`, for the statistics (plain columns: no timeline read). */
export const EVER_OVERDUE_SQL = `(t.earlier_overdue OR t.overdue_at IS NOT NULL
  OR (t.status IN ('resolved', 'closed') AND coalesce(t.resolved_at > t.tier3_due_at, false)))`;
export const MAX_TIER_SQL = 'greatest(t.earlier_max_tier, t.tier)';
