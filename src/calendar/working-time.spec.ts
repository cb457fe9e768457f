import { describe, expect, it } from '@jest/globals';
import {
  addWorkingTime,
  ALWAYS_WORKING,
  calendarFromExceptions,
  type DayKind,
  endOfWorkingDaysAfter,
  localDate,
  nextWorkingDayStart,
  workingTimeBetween,
} from './working-time';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Instants written in Shanghai local time. */
const at = (local: string) => new Date(`${local}+08:00`);

// 2026 national day: 10-01..10-07 off, Sunday 09-20 and Saturday 10-10 are make-up working days.
const exceptions = new Map<string, DayKind>([
  ['2026-09-20', 'workday'],
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => [`2026-10-${d}`, 'holiday'] as [string, DayKind]),
  ['2026-10-10', 'workday'],
  ['2027-01-01', 'holiday'],
]);
const calendar = calendarFromExceptions(exceptions);
const officeHours = calendarFromExceptions(exceptions, { startMinute: 9 * 60, endMinute: 17 * 60 + 30 });

describe('addWorkingTime with whole working days', () => {
  it('adds one day inside the week, keeping the time of day', () => {
    expect(addWorkingTime(at('2026-11-23T10:00:00'), DAY, calendar)).toEqual(at('2026-11-24T10:00:00'));
  });

  it('skips the weekend from a Friday afternoon', () => {
    expect(addWorkingTime(at('2026-11-20T15:00:00'), DAY, calendar)).toEqual(at('2026-11-23T15:00:00'));
    expect(addWorkingTime(at('2026-11-20T15:00:00'), 3 * DAY, calendar)).toEqual(at('2026-11-25T15:00:00'));
  });

  it('starts counting at the next working day when intake falls on a day off', () => {
    // Saturday intake: Monday is the first working day, so one working day ends at Monday's end.
    expect(addWorkingTime(at('2026-11-21T11:00:00'), DAY, calendar)).toEqual(at('2026-11-24T00:00:00'));
    // Intake inside the national day holiday: counting starts on the 8th.
    expect(addWorkingTime(at('2026-10-03T09:00:00'), 2 * DAY, calendar)).toEqual(at('2026-10-10T00:00:00'));
  });

  it('skips statutory holidays and counts make-up working days', () => {
    // Wednesday 09-30 10:00 + 1 day: 10-01..07 off, 10-08 (Thursday) is next.
    expect(addWorkingTime(at('2026-09-30T10:00:00'), DAY, calendar)).toEqual(at('2026-10-08T10:00:00'));
    // Friday 10-09 10:00 + 1 day lands on make-up Saturday 10-10.
    expect(addWorkingTime(at('2026-10-09T10:00:00'), DAY, calendar)).toEqual(at('2026-10-10T10:00:00'));
    // Saturday 09-19 intake: make-up Sunday 09-20 is the first working day.
    expect(addWorkingTime(at('2026-09-19T08:00:00'), DAY, calendar)).toEqual(at('2026-09-21T00:00:00'));
  });

  it('crosses the year end and a new year holiday', () => {
    expect(addWorkingTime(at('2026-12-31T16:00:00'), DAY, calendar)).toEqual(at('2027-01-04T16:00:00'));
  });

  it('is exact to the millisecond at a day boundary', () => {
    expect(addWorkingTime(at('2026-11-23T00:00:00'), DAY, calendar)).toEqual(at('2026-11-24T00:00:00'));
    expect(addWorkingTime(at('2026-11-23T00:00:00'), 0, calendar)).toEqual(at('2026-11-23T00:00:00'));
  });

  it('refuses negative time', () => {
    expect(() => addWorkingTime(at('2026-11-23T00:00:00'), -1, calendar)).toThrow(RangeError);
  });
});

describe('addWorkingTime with office hours', () => {
  const officeDay = 8.5 * HOUR;

  it('counts only inside the window', () => {
    expect(addWorkingTime(at('2026-11-23T16:30:00'), 2 * HOUR, officeHours)).toEqual(at('2026-11-24T10:00:00'));
    expect(addWorkingTime(at('2026-11-23T07:00:00'), officeDay, officeHours)).toEqual(at('2026-11-23T17:30:00'));
    expect(addWorkingTime(at('2026-11-23T20:00:00'), HOUR, officeHours)).toEqual(at('2026-11-24T10:00:00'));
  });

  it('carries across a weekend', () => {
    expect(addWorkingTime(at('2026-11-20T17:00:00'), officeDay, officeHours)).toEqual(at('2026-11-23T17:00:00'));
  });
});

describe('plain durations', () => {
  it('ignore calendars entirely', () => {
    expect(addWorkingTime(at('2026-10-01T23:59:50'), 30_000, ALWAYS_WORKING)).toEqual(at('2026-10-02T00:00:20'));
  });
});

describe('workingTimeBetween', () => {
  it('counts working time only', () => {
    expect(workingTimeBetween(at('2026-11-20T12:00:00'), at('2026-11-23T12:00:00'), calendar)).toBe(DAY);
    expect(workingTimeBetween(at('2026-09-30T00:00:00'), at('2026-10-09T00:00:00'), calendar)).toBe(2 * DAY);
  });

  it('is zero for an empty or inverted interval and inverts addWorkingTime', () => {
    const start = at('2026-10-09T10:00:00');
    expect(workingTimeBetween(start, start, calendar)).toBe(0);
    expect(workingTimeBetween(start, at('2026-10-01T00:00:00'), calendar)).toBe(0);
    const end = addWorkingTime(start, 2.5 * DAY, calendar);
    expect(workingTimeBetween(start, end, calendar)).toBe(2.5 * DAY);
  });

  it('is the remaining time a pause preserves', () => {
    // Paused Friday 18:00 with the deadline Monday 18:00: one working day remained.
    const remaining = workingTimeBetween(at('2026-11-20T18:00:00'), at('2026-11-23T18:00:00'), calendar);
    expect(remaining).toBe(DAY);
    // Resumed Wednesday 09:00: the deadline moves to Thursday 09:00.
    expect(addWorkingTime(at('2026-11-25T09:00:00'), remaining, calendar)).toEqual(at('2026-11-26T09:00:00'));
  });
});

describe('localDate and nextWorkingDayStart', () => {
  it('reads the Shanghai date, not the UTC one', () => {
    expect(localDate(new Date('2026-11-22T17:00:00Z'))).toBe('2026-11-23');
  });

  it('finds the next working morning, skipping days off', () => {
    expect(nextWorkingDayStart(at('2026-11-20T15:00:00'), calendar)).toEqual(at('2026-11-23T00:00:00'));
    expect(nextWorkingDayStart(at('2026-11-20T15:00:00'), officeHours)).toEqual(at('2026-11-23T09:00:00'));
    expect(nextWorkingDayStart(at('2026-09-30T15:00:00'), calendar)).toEqual(at('2026-10-08T00:00:00'));
  });
});

describe('localDate', () => {
  it('reads the day in UTC+8, not in UTC or the machine zone', () => {
    expect(localDate(new Date('2026-03-15T15:59:59Z'))).toBe('2026-03-15');
    expect(localDate(new Date('2026-03-15T16:00:00Z'))).toBe('2026-03-16');
  });

  it('crosses month and year ends', () => {
    expect(localDate(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01');
    expect(localDate(new Date('2024-02-28T18:00:00Z'))).toBe('2024-02-29');
  });

  it('pads months and days', () => {
    expect(localDate(new Date('2026-01-05T02:00:00Z'))).toBe('2026-01-05');
  });
});

describe('endOfWorkingDaysAfter', () => {
  it('closes the Nth working day after the intake day, at the end of office hours when set', () => {
    expect(endOfWorkingDaysAfter(at('2026-11-20T17:00:00'), 1, calendar)).toEqual(at('2026-11-24T00:00:00'));
    expect(endOfWorkingDaysAfter(at('2026-11-20T17:00:00'), 1, officeHours)).toEqual(at('2026-11-23T17:30:00'));
  });

  it('refuses zero, negative and fractional days', () => {
    for (const n of [0, -1, 1.5]) expect(() => endOfWorkingDaysAfter(at('2026-11-23T00:00:00'), n, calendar)).toThrow(RangeError);
  });
});
