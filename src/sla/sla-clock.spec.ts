import { describe, expect, it } from '@jest/globals';
import { calendar2026, shanghai } from '../calendar/calendar-2026.fixture';
import { calendarFromExceptions, type DayKind } from '../calendar/working-time';
import {
  budgetsToMs,
  deadlinesFrom,
  durationMs,
  effectiveCounting,
  extendedDeadlines,
  nextEvent,
  resumedDeadlines,
  type SlaClock,
  type SlaSnapshot,
  warningAt,
} from './sla-clock';
import { ELAPSED_1_2_3, LEGAL_1_2_3 } from './sla-snapshot.fixture';

const DAY = 86_400_000;
const at = (local: string) => new Date(`${local}+08:00`);
const calendar = calendarFromExceptions(new Map<string, DayKind>([['2026-10-01', 'holiday'], ['2026-10-10', 'workday']]));

const oneTwoThree = ELAPSED_1_2_3;

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

describe('legal day counting (Civil Code arts. 201-203): the intake day is not counted', () => {
  const china = calendar2026();
  const legal = LEGAL_1_2_3;
  /** Local "YYYY-MM-DD HH:MM", the close of a day written as its 24:00 (00:00 of the next is the same instant). */
  const label = (d: Date) => {
    const local = new Date(d.getTime() + 8 * 3600_000).toISOString();
    if (local.slice(11, 16) !== '00:00') return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
    return `${new Date(d.getTime() + 8 * 3600_000 - DAY).toISOString().slice(0, 10)} 24:00`;
  };
  const due = (intake: string, snapshot: SlaSnapshot = legal, cal = china, startingTier: 1 | 2 | 3 = 1) =>
    deadlinesFrom(shanghai(intake), startingTier, snapshot, cal).map((d) => d && label(d));

  it('Monday 06:00: tiers end Tuesday, Wednesday and Thursday at 24:00', () => {
    expect(due('2026-11-23T06:00:00')).toEqual(['2026-11-24 24:00', '2026-11-25 24:00', '2026-11-26 24:00']);
    expect(deadlinesFrom(shanghai('2026-11-23T06:00:00'), 1, legal, china)[0]).toEqual(shanghai('2026-11-25T00:00:00'));
  });

  it('Friday 17:00: tier 1 ends Monday 24:00', () => {
    expect(due('2026-11-20T17:00:00')).toEqual(['2026-11-23 24:00', '2026-11-24 24:00', '2026-11-25 24:00']);
  });

  it('a Saturday intake: tier 1 ends Monday 24:00', () => {
    expect(due('2026-11-21T11:00:00')).toEqual(['2026-11-23 24:00', '2026-11-24 24:00', '2026-11-25 24:00']);
  });

  it('the day before a make-up working Saturday: due that Saturday at 24:00', () => {
    expect(due('2026-10-09T10:00:00')).toEqual(['2026-10-10 24:00', '2026-10-12 24:00', '2026-10-13 24:00']);
  });

  it('on the eve of National Day: counting starts after the holiday, the make-up Saturday counts', () => {
    expect(due('2026-09-30T10:00:00')).toEqual(['2026-10-08 24:00', '2026-10-09 24:00', '2026-10-10 24:00']);
  });

  it('across New Year: the first working day is the make-up Sunday 2026-01-04', () => {
    expect(due('2025-12-31T15:00:00')).toEqual(['2026-01-04 24:00', '2026-01-05 24:00', '2026-01-06 24:00']);
  });

  it('intake on a make-up working day before the Spring Festival: counting resumes after it', () => {
    expect(due('2026-02-14T10:00:00')).toEqual(['2026-02-24 24:00', '2026-02-25 24:00', '2026-02-26 24:00']);
  });

  it('intake at 23:59:59 counts from the next day like any other hour', () => {
    expect(due('2026-11-23T23:59:59')).toEqual(['2026-11-24 24:00', '2026-11-25 24:00', '2026-11-26 24:00']);
  });

  it('with office hours (09:00-17:30) a tier ends at 17:30 of its last day', () => {
    const office = calendar2026({ startMinute: 9 * 60, endMinute: 17 * 60 + 30 });
    expect(due('2026-11-23T06:00:00', legal, office)).toEqual(['2026-11-24 17:30', '2026-11-25 17:30', '2026-11-26 17:30']);
    expect(due('2026-11-23T20:00:00', legal, office)).toEqual(['2026-11-24 17:30', '2026-11-25 17:30', '2026-11-26 17:30']);
  });

  it('a demand filed at tier 2 keeps the cumulative days of tiers 2 and 3', () => {
    expect(due('2026-11-23T06:00:00', legal, china, 2)).toEqual([null, '2026-11-25 24:00', '2026-11-26 24:00']);
  });

  it('elapsed counting stays available, and a snapshot from before counting existed is elapsed', () => {
    const elapsed: SlaSnapshot = { ...oneTwoThree, counting: 'elapsed' };
    expect(deadlinesFrom(shanghai('2026-11-23T06:00:00'), 1, elapsed, china)[0]).toEqual(shanghai('2026-11-24T06:00:00'));
    expect(deadlinesFrom(shanghai('2026-11-23T06:00:00'), 1, oneTwoThree, china)[0]).toEqual(shanghai('2026-11-24T06:00:00'));
    expect(effectiveCounting('working_days', 'legal')).toBe('legal');
    expect(effectiveCounting('duration', 'legal')).toBe('elapsed');
  });

  it("warns at the policy's share of each tier's span", () => {
    const intake = shanghai('2026-11-23T06:00:00');
    const clock: SlaClock = { ...clockAt(intake), dueAt: deadlinesFrom(intake, 1, legal, china) };
    // Tier 1 runs Monday 06:00 to Tuesday 24:00: 42 h; 75% of it is 31.5 h, Tuesday 13:30.
    expect(nextEvent(clock, legal, china)).toEqual({ kind: 'warning', tier: 1, at: shanghai('2026-11-24T13:30:00') });
    // Tier 2 is Wednesday, whole: warned at 18:00.
    expect(warningAt({ ...clock, tier: 2, warnedTier: 1 }, legal, china)).toEqual(shanghai('2026-11-25T18:00:00'));
  });

  it('gives back the working time a pause over a weekend took', () => {
    const intake = shanghai('2026-11-18T10:00:00');
    const clock: SlaClock = { ...clockAt(intake), dueAt: deadlinesFrom(intake, 1, legal, china) };
    expect(clock.dueAt).toEqual([shanghai('2026-11-20T00:00:00'), shanghai('2026-11-21T00:00:00'), shanghai('2026-11-24T00:00:00')]);
    // Paused Thursday 18:00 (6 h of tier 1 left), resumed Monday 09:00: each deadline keeps what it had left.
    const moved = resumedDeadlines(clock, shanghai('2026-11-19T18:00:00'), shanghai('2026-11-23T09:00:00'), legal, china);
    expect(moved).toEqual([shanghai('2026-11-23T15:00:00'), shanghai('2026-11-24T15:00:00'), shanghai('2026-11-25T15:00:00')]);
  });
});
