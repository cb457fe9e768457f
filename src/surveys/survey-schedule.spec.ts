import { describe, expect, it } from '@jest/globals';
import { calendarFromExceptions, type DayKind } from '../calendar/working-time';
import { nextSurveyAction, parseSpan, parseSpans, surveySchedule } from './survey-schedule';

/** Instants written in Shanghai local time. */
const at = (local: string) => new Date(`${local}+08:00`);

// 2026 national day: 10-01..10-07 off, Saturday 10-10 is a make-up working day.
const exceptions = new Map<string, DayKind>([
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => [`2026-10-${d}`, 'holiday'] as [string, DayKind]),
  ['2026-10-10', 'workday'],
]);
const calendar = calendarFromExceptions(exceptions);
const officeHours = calendarFromExceptions(exceptions, { startMinute: 9 * 60, endMinute: 17 * 60 + 30 });

describe('survey spans', () => {
  it('reads working days and ISO 8601 durations', () => {
    expect(parseSpans('1,3')).toEqual([{ workingDays: 1 }, { workingDays: 3 }]);
    expect(parseSpans('PT1S, PT2S')).toEqual([{ ms: 1000 }, { ms: 2000 }]);
    expect(parseSpan('0.5')).toEqual({ workingDays: 0.5 });
    expect(() => parseSpan('P1M')).toThrow(RangeError);
    expect(parseSpan('365')).toEqual({ workingDays: 365 });
    expect(() => parseSpan('366')).toThrow(RangeError);
    expect(() => parseSpan('P400D')).toThrow(RangeError);
  });
});

describe('surveySchedule', () => {
  it('reminds after 1 and 3 working days and closes after 5, skipping the weekend', () => {
    // Sent on Thursday 2026-11-19 at 10:00.
    const schedule = surveySchedule(at('2026-11-19T10:00:00'), parseSpans('1,3'), parseSpan('5'), calendar);
    expect(schedule.remindersAt).toEqual([at('2026-11-20T10:00:00'), at('2026-11-24T10:00:00')]);
    expect(schedule.closesAt).toEqual(at('2026-11-26T10:00:00'));
  });

  it('skips holidays and counts make-up working days', () => {
    // Sent on Wednesday 2026-09-30: the holiday week is off, Thursday 10-08, Friday 10-09 and Saturday 10-10 work.
    const schedule = surveySchedule(at('2026-09-30T15:00:00'), parseSpans('1,3'), parseSpan('5'), calendar);
    expect(schedule.remindersAt).toEqual([at('2026-10-08T15:00:00'), at('2026-10-10T15:00:00')]);
    expect(schedule.closesAt).toEqual(at('2026-10-13T15:00:00'));
  });

  it('counts office hours when the calendar has them', () => {
    const schedule = surveySchedule(at('2026-11-20T16:30:00'), parseSpans('1'), parseSpan('2'), officeHours);
    expect(schedule.remindersAt).toEqual([at('2026-11-23T16:30:00')]);
    expect(schedule.closesAt).toEqual(at('2026-11-24T16:30:00'));
  });

  it('uses wall-clock time for durations (drills), in order, dropping reminders past the window', () => {
    const sent = at('2026-11-21T23:59:59');
    const schedule = surveySchedule(sent, parseSpans('PT2S,PT1S,PT9S'), parseSpan('PT4S'), calendar);
    expect(schedule.remindersAt).toEqual([new Date(sent.getTime() + 1000), new Date(sent.getTime() + 2000)]);
    expect(schedule.closesAt).toEqual(new Date(sent.getTime() + 4000));
  });
});

describe('nextSurveyAction', () => {
  const schedule = surveySchedule(at('2026-11-19T10:00:00'), parseSpans('1,3'), parseSpan('5'), calendar);

  it('reminds until the reminders are used up, then expires at the window end', () => {
    expect(nextSurveyAction(schedule, 0)).toEqual({ kind: 'remind', at: at('2026-11-20T10:00:00') });
    expect(nextSurveyAction(schedule, 1)).toEqual({ kind: 'remind', at: at('2026-11-24T10:00:00') });
    expect(nextSurveyAction(schedule, 2)).toEqual({ kind: 'expire', at: at('2026-11-26T10:00:00') });
  });
});
