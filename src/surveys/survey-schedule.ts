import { addWorkingTime, type WorkCalendar, workingDayLengthMs } from '../calendar/working-time';
import { durationMs, MAX_WORKING_DAYS } from '../sla/sla-clock';

/** A wait as configured: whole or fractional working days, or (drills) a wall-clock ISO 8601 duration. */
export type Span = { workingDays: number } | { ms: number };

/** Throws a RangeError for anything but a span of at most MAX_WORKING_DAYS working days or MAX_SPAN_MS. */
export function parseSpan(text: string): Span {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return { ms: durationMs(trimmed) };
  const workingDays = Number(trimmed);
  if (workingDays > MAX_WORKING_DAYS) throw new RangeError(`${trimmed} is more than ${MAX_WORKING_DAYS} working days`);
  return { workingDays };
}

export function parseSpans(text: string): Span[] {
  return text.split(',').map(parseSpan);
}

export function addSpan(from: Date, span: Span, calendar: WorkCalendar): Date {
  return 'ms' in span ? new Date(from.getTime() + span.ms) : addWorkingTime(from, span.workingDays * workingDayLengthMs(calendar), calendar);
}

export interface SurveySchedule {
  /** Reminder instants in order; those not before the window's end are dropped. */
  remindersAt: Date[];
  closesAt: Date;
}

/** When a survey sent at `sentAt` is reminded and when its window ends. */
export function surveySchedule(sentAt: Date, reminders: Span[], window: Span, calendar: WorkCalendar): SurveySchedule {
  const closesAt = addSpan(sentAt, window, calendar);
  const remindersAt = reminders
    .map((span) => addSpan(sentAt, span, calendar))
    .filter((at) => at < closesAt)
    .sort((a, b) => a.getTime() - b.getTime());
  return { remindersAt, closesAt };
}

/** What an unanswered survey does next, given how many reminders already went out. */
export function nextSurveyAction(schedule: SurveySchedule, remindersSent: number): { kind: 'remind' | 'expire'; at: Date } {
  const reminder = schedule.remindersAt[remindersSent];
  return reminder ? { kind: 'remind', at: reminder } : { kind: 'expire', at: schedule.closesAt };
}
