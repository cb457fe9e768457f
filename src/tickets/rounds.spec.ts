import { describe, expect, it } from '@jest/globals';
import { WHOLE_DAY, calendarFromExceptions } from '../calendar/working-time';
import type { Ticket } from './entities/ticket.entity';
import { closeRound, everOverdue, maxTierReached, overdueWorkingMs } from './rounds';

const at = (iso: string) => new Date(iso);
const round = (fields: Partial<Ticket>) =>
  ({ status: 'in_progress', tier: 1, tier3DueAt: at('2026-11-05T10:00+08:00'), overdueAt: null, resolvedAt: null, earlierMaxTier: 0, earlierOverdue: false, ...fields }) as Ticket;

describe('rounds', () => {
  it('keeps what a round reached when it is reopened', () => {
    const lateAtTier3 = round({ status: 'resolved', tier: 3, resolvedAt: at('2026-11-06T10:00+08:00') });
    expect(closeRound(lateAtTier3)).toEqual({ earlierMaxTier: 3, earlierOverdue: true });
    const onTimeAtTier1 = round({ status: 'resolved', resolvedAt: at('2026-11-04T10:00+08:00'), earlierMaxTier: 2 });
    expect(closeRound(onTimeAtTier1)).toEqual({ earlierMaxTier: 2, earlierOverdue: false });
  });

  it('counts a ticket overdue when any round passed its final deadline, the latest one included', () => {
    expect(everOverdue(round({}))).toBe(false);
    expect(everOverdue(round({ earlierOverdue: true }))).toBe(true);
    expect(everOverdue(round({ overdueAt: at('2026-11-05T10:00+08:00') }))).toBe(true);
    expect(everOverdue(round({ status: 'closed', resolvedAt: at('2026-11-05T10:00:01+08:00') }))).toBe(true);
    // A reopened ticket still carries its previous resolution: not a late one of this round.
    expect(everOverdue(round({ status: 'reopened', resolvedAt: at('2026-11-06T10:00+08:00') }))).toBe(false);
    expect(maxTierReached(round({ tier: 1, earlierMaxTier: 3 }))).toBe(3);
    expect(maxTierReached(round({ tier: 2, earlierMaxTier: 0 }))).toBe(2);
  });

  it('measures working time past the final deadline, 0 when in time', () => {
    const calendar = calendarFromExceptions(new Map(), WHOLE_DAY);
    const due = at('2026-11-06T10:00+08:00'); // a Friday
    expect(overdueWorkingMs(due, at('2026-11-06T09:00+08:00'), calendar)).toBe(0);
    expect(overdueWorkingMs(null, at('2026-11-06T09:00+08:00'), calendar)).toBe(0);
    expect(overdueWorkingMs(due, at('2026-11-06T16:00+08:00'), calendar)).toBe(6 * 3_600_000);
    // The weekend is not working time.
    expect(overdueWorkingMs(due, at('2026-11-09T10:00+08:00'), calendar)).toBe(24 * 3_600_000);
  });
});
