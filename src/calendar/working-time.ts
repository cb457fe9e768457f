/**
 * Working-time arithmetic in Asia/Shanghai. Pure functions: the calendar and the instants
 * are passed in, nothing reads the clock.
 *
 * China has kept UTC+8 without daylight saving since 1991, so a local day is a fixed
 * 24-hour span starting at 16:00 UTC of the previous day.
 */

export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
/** Far enough for any real SLA (several years); stops a broken calendar from looping forever. */
const MAX_DAYS_SCANNED = 3660;

export type DayKind = 'holiday' | 'workday';

export interface WorkingWindow {
  /** Minutes after local midnight when work starts (0 for whole days). */
  startMinute: number;
  /** Minutes after local midnight when work ends (1440 for whole days). */
  endMinute: number;
}

export interface WorkCalendar {
  isWorkingDay(localDate: string): boolean;
  window: WorkingWindow;
}

export const WHOLE_DAY: WorkingWindow = { startMinute: 0, endMinute: 1440 };

/** Every instant counts: for plain ISO 8601 durations (drills, tests). */
export const ALWAYS_WORKING: WorkCalendar = { isWorkingDay: () => true, window: WHOLE_DAY };

/** `2026-10-01` for the local (Shanghai) date of an instant. */
export function localDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant local midnight of `date` begins. */
export function localMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** Saturday or Sunday, by the local date. */
export function isWeekend(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * A calendar from its exceptions: weekends are off unless marked `workday` (调休),
 * weekdays are on unless marked `holiday`.
 */
export function calendarFromExceptions(
  exceptions: ReadonlyMap<string, DayKind>,
  window: WorkingWindow = WHOLE_DAY,
): WorkCalendar {
  return {
    window,
    isWorkingDay: (date) => {
      const kind = exceptions.get(date);
      if (kind) return kind === 'workday';
      return !isWeekend(date);
    },
  };
}

export function workingDayLengthMs(calendar: WorkCalendar): number {
  return (calendar.window.endMinute - calendar.window.startMinute) * 60_000;
}

/** Each working window from the local day of `from` on, clipped to start no earlier than `from`. */
function* workingSpans(from: Date, calendar: WorkCalendar): Generator<[number, number]> {
  let date = localDate(from);
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, date = nextDate(date)) {
    if (!calendar.isWorkingDay(date)) continue;
    const midnight = localMidnight(date);
    const start = Math.max(midnight + calendar.window.startMinute * 60_000, from.getTime());
    const end = midnight + calendar.window.endMinute * 60_000;
    if (end > start) yield [start, end];
  }
  throw new Error(`No working time found within ${MAX_DAYS_SCANNED} days of ${from.toISOString()}`);
}

/** The instant when `workingMs` of working time has elapsed after `start`. */
export function addWorkingTime(start: Date, workingMs: number, calendar: WorkCalendar): Date {
  if (workingMs < 0) throw new RangeError('workingMs must not be negative');
  let remaining = workingMs;
  for (const [spanStart, spanEnd] of workingSpans(start, calendar)) {
    if (remaining <= spanEnd - spanStart) return new Date(spanStart + remaining);
    remaining -= spanEnd - spanStart;
  }
  throw new Error('unreachable');
}

/** Working time between two instants (0 when `to` is not after `from`). */
export function workingTimeBetween(from: Date, to: Date, calendar: WorkCalendar): number {
  let total = 0;
  if (to <= from) return 0;
  for (const [spanStart, spanEnd] of workingSpans(from, calendar)) {
    if (spanStart >= to.getTime()) return total;
    total += Math.min(spanEnd, to.getTime()) - spanStart;
  }
  return total;
}

/**
 * Legal day counting (Civil Code arts. 201-203, as 12345 hotlines and administrative approvals
 * count): the day of `intake` is not counted; the period ends at the close of the `n`th working
 * day after it (24:00, or the end of office hours). Days off are skipped, so a last day that
 * would be a holiday is the next working day.
 */
export function endOfWorkingDaysAfter(intake: Date, n: number, calendar: WorkCalendar): Date {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a whole number of days, 1 or more');
  let date = localDate(intake);
  for (let i = 0, counted = 0; i < MAX_DAYS_SCANNED; i++) {
    date = nextDate(date);
    if (calendar.isWorkingDay(date) && ++counted === n) return new Date(localMidnight(date) + calendar.window.endMinute * 60_000);
  }
  throw new Error(`Fewer than ${n} working days within ${MAX_DAYS_SCANNED} days of ${intake.toISOString()}`);
}

/** The start of the first working window strictly after the local day of `instant`. */
export function nextWorkingDayStart(instant: Date, calendar: WorkCalendar): Date {
  const tomorrow = new Date(localMidnight(nextDate(localDate(instant))));
  return addWorkingTime(tomorrow, 0, calendar);
}
