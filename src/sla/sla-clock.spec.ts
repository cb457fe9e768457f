import { describe, expect, it } from '@jest/globals';
import { calendarFromExceptions, type DayKind } from '../calendar/working-time';
import {
  budgetsToMs,
  deadlinesFrom,
  durationMs,
  extendedDeadlines,
  nextEvent,
  resumedDeadlines,
  type SlaClock,
  type SlaSnapshot,
  warningAt,
} from './sla-clock';

const DAY = 86_400_000;
const at = (local: string) => new Date(`${local}+08:00`);
const calendar = calendarFromExceptions(new Map<string, DayKind>([['2026-10-01', 'holiday'], ['2026-10-10', 'workday']]));

const oneTwoThree: SlaSnapshot = {
  policyId: null,
  mode: 'working_days',
  budgetsMs: [DAY, 2 * DAY, 3 * DAY],
  warnRatio: 0.75,
  tier2Owner: 'deputy_leader',
  reminderMs: null,
};

function clockAt(intake: Date, startingTier: 1 | 2 | 3 = 1, snapshot = oneTwoThree): SlaClock {
  return {
    tier: startingTier,
    startingTier,
    clockStartedAt: intake,
    dueAt: deadlinesFrom(intake, startingTier, snapshot, calendar),
    warnedTier: startingTier - 1,
    overdueAt: null,
    lastRemindedAt: null,
  };
}

describe('durationMs', () => {
  it('reads fixed-length durations', () => {
    expect(durationMs('PT30S')).toBe(30_000);
    expect(durationMs('P1DT2H30M')).toBe(95_400_000);
    expect(durationMs('PT0.5S')).toBe(500);
  });

  it('refuses months, years and junk', () => {
    for (const bad of ['P1M', 'P1Y', 'P1MT1M', 'PT30Sx', 'P', 'PT', '30S']) {
      expect(() => durationMs(bad)).toThrow(RangeError);
    }
  });

  it('refuses anything longer than 366 days, so every derived deadline is a real date', () => {
    expect(durationMs('P366D')).toBe(366 * 86_400_000);
    for (const long of ['P367D', 'P53W', 'P14285000W', `PT${'9'.repeat(400)}S`]) {
      expect(() => durationMs(long)).toThrow(RangeError);
    }
  });
});

describe('the 1-2-3 deadlines', () => {
  it('are 1, 2 and 3 working days after a Thursday intake, across the weekend', () => {
    const clock = clockAt(at('2026-11-19T10:00:00'));
    expect(clock.dueAt).toEqual([at('2026-11-20T10:00:00'), at('2026-11-23T10:00:00'), at('2026-11-24T10:00:00')]);
  });

  it('leave out the tiers below a demand filed straight at tier 2', () => {
    const clock = clockAt(at('2026-11-19T10:00:00'), 2);
    expect(clock.dueAt).toEqual([null, at('2026-11-23T10:00:00'), at('2026-11-24T10:00:00')]);
  });

  it('can be plain durations for drills', () => {
    const drill = { ...oneTwoThree, mode: 'duration' as const, budgetsMs: budgetsToMs('duration', ['PT10S', 'PT20S', 'PT30S'], calendar) };
    const intake = at('2026-10-01T12:00:00');
    expect(deadlinesFrom(intake, 1, drill, calendar)).toEqual([
      at('2026-10-01T12:00:10'),
      at('2026-10-01T12:00:20'),
      at('2026-10-01T12:00:30'),
    ]);
  });
});

describe('nextEvent', () => {
  it('warns at 75% of the tier, then breaches at the deadline', () => {
    const clock = clockAt(at('2026-11-23T00:00:00'));
    expect(nextEvent(clock, oneTwoThree, calendar)).toEqual({ kind: 'warning', tier: 1, at: at('2026-11-23T18:00:00') });
    clock.warnedTier = 1;
    expect(nextEvent(clock, oneTwoThree, calendar)).toEqual({ kind: 'breach', tier: 1, at: at('2026-11-24T00:00:00') });
  });

  it("measures tier 2's warning from tier 1's deadline, in working time", () => {
    const clock = { ...clockAt(at('2026-11-19T12:00:00')), tier: 2 as const, warnedTier: 1 };
    // Tier 2 runs Friday 12:00 → Monday 12:00: one working day; 75% of it lands Monday 06:00.
    expect(warningAt(clock, oneTwoThree, calendar)).toEqual(at('2026-11-23T06:00:00'));
  });

  it('reminds every working day once overdue', () => {
    const clock = { ...clockAt(at('2026-11-18T10:00:00')), tier: 3 as const, warnedTier: 3, overdueAt: at('2026-11-20T10:00:00') };
    expect(nextEvent(clock, oneTwoThree, calendar)).toEqual({ kind: 'reminder', tier: 3, at: at('2026-11-23T00:00:00') });
    clock.lastRemindedAt = at('2026-11-23T00:00:00');
    expect(nextEvent(clock, oneTwoThree, calendar).at).toEqual(at('2026-11-24T00:00:00'));
  });

  it('reminds on a fixed period in drills', () => {
    const drill = { ...oneTwoThree, mode: 'duration' as const, reminderMs: 5000 };
    const clock = { ...clockAt(at('2026-11-18T10:00:00'), 1, drill), tier: 3 as const, warnedTier: 3, overdueAt: at('2026-11-20T10:00:00') };
    expect(nextEvent(clock, drill, calendar).at).toEqual(at('2026-11-20T10:00:05'));
  });
});

describe('pause and extension', () => {
  it('gives back the working time a pause took', () => {
    const clock = clockAt(at('2026-11-19T10:00:00'));
    // Paused Thursday 16:00, resumed Monday 09:00: tier 1 had 18 h left.
    const due = resumedDeadlines(clock, at('2026-11-19T16:00:00'), at('2026-11-23T09:00:00'), oneTwoThree, calendar);
    expect(due).toEqual([at('2026-11-24T03:00:00'), at('2026-11-25T03:00:00'), at('2026-11-26T03:00:00')]);
  });

  it('leaves passed deadlines where they were', () => {
    const clock = { ...clockAt(at('2026-11-19T10:00:00')), tier: 2 as const };
    const due = resumedDeadlines(clock, at('2026-11-21T10:00:00'), at('2026-11-23T10:00:00'), oneTwoThree, calendar);
    expect(due[0]).toEqual(at('2026-11-20T10:00:00'));
    // Paused Saturday: Monday 00:00-10:00 was paused working time, so tier 2 ends Monday 20:00.
    expect(due[1]).toEqual(at('2026-11-23T20:00:00'));
  });

  it('moves the current deadline to the approved date and later ones by the same working time', () => {
    const clock = clockAt(at('2026-11-19T10:00:00'));
    const due = extendedDeadlines(clock, at('2026-11-23T10:00:00'), oneTwoThree, calendar);
    expect(due).toEqual([at('2026-11-23T10:00:00'), at('2026-11-24T10:00:00'), at('2026-11-25T10:00:00')]);
  });

  it('skips the make-up working day correctly across the national day', () => {
    const clock = clockAt(at('2026-09-30T10:00:00'));
    expect(clock.dueAt[0]).toEqual(at('2026-10-02T10:00:00'));
  });
});
