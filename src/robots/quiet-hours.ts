import { localDate, localMidnight, type WorkCalendar } from '../calendar/working-time';
import type { EventName } from '../events/event-map';

/** These go out at once, day or night: someone must act now. */
export const URGENT_EVENTS: readonly EventName[] = ['ticket.escalated', 'ticket.overdue', 'ticket.reminded'];

/** A working day's notices go out from 08:30 to 20:00, Shanghai time; the rest waits. */
export const DAY_START_MINUTE = 8 * 60 + 30;
export const DAY_END_MINUTE = 20 * 60;
/** Longer than any run of holidays China has (Spring Festival with its weekends is 9 days). */
const MAX_DAYS_SCANNED = 60;
const DAY_MS = 86_400_000;

/**
 * When a robot notice of `event` may go out, asked at `now`: at once when urgent or inside a
 * working day's hours, else 08:30 of the next working day (by the zone calendar, so a holiday
 * waits and a make-up Saturday does not).
 */
export function releaseAt(event: EventName, now: Date, calendar: WorkCalendar): Date {
  return URGENT_EVENTS.includes(event) ? now : noticeReleaseAt(now, calendar);
}

/**
 * When a notice that is not urgent, asked at `now`, may go out: at once inside a working day's
 * hours, else 08:30 of the next working day. Event notices and direct messages (the morning
 * digest) alike.
 */
export function noticeReleaseAt(now: Date, calendar: WorkCalendar): Date {
  const today = localDate(now);
  const minute = Math.floor((now.getTime() - localMidnight(today)) / 60_000);
  if (calendar.isWorkingDay(today)) {
    if (minute >= DAY_START_MINUTE && minute < DAY_END_MINUTE) return now;
    if (minute < DAY_START_MINUTE) return new Date(localMidnight(today) + DAY_START_MINUTE * 60_000);
  }
  for (let i = 1, midnight = localMidnight(today); i <= MAX_DAYS_SCANNED; i++) {
    const day = localDate(new Date(midnight + i * DAY_MS));
    if (calendar.isWorkingDay(day)) return new Date(localMidnight(day) + DAY_START_MINUTE * 60_000);
  }
  // A calendar with no working day in two months is broken: better early than never.
  return now;
}
