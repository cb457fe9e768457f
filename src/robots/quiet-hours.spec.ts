import { describe, expect, it } from '@jest/globals';
import { calendar2026, shanghai } from '../calendar/calendar-2026.fixture';
import { releaseAt } from './quiet-hours';

const calendar = calendar2026();
const at = (local: string) => releaseAt('ticket.routed', shanghai(local), calendar);

describe('quiet hours (Shanghai, by the 2026 calendar)', () => {
  it('a working day between 08:30 and 20:00 sends at once', () => {
    expect(at('2026-05-12T08:30:00')).toEqual(shanghai('2026-05-12T08:30:00'));
    expect(at('2026-05-12T19:59:59')).toEqual(shanghai('2026-05-12T19:59:59'));
  });

  it('before 08:30 of a working day waits for 08:30 the same day', () => {
    expect(at('2026-05-12T06:10:00')).toEqual(shanghai('2026-05-12T08:30:00'));
    expect(at('2026-05-12T00:00:00')).toEqual(shanghai('2026-05-12T08:30:00'));
  });

  it('from 20:00 waits for the next working day, over a weekend', () => {
    expect(at('2026-05-12T20:00:00')).toEqual(shanghai('2026-05-13T08:30:00'));
    expect(at('2026-05-15T22:00:00')).toEqual(shanghai('2026-05-18T08:30:00')); // Friday night → Monday
  });

  it('a holiday waits for the first working day after it (National Day, 1-7 Oct)', () => {
    expect(at('2026-09-30T21:00:00')).toEqual(shanghai('2026-10-08T08:30:00'));
    expect(at('2026-10-03T11:00:00')).toEqual(shanghai('2026-10-08T08:30:00'));
  });

  it('a make-up Saturday is a working day: sends in hours, and is where a Friday night waits for', () => {
    expect(at('2026-10-10T10:00:00')).toEqual(shanghai('2026-10-10T10:00:00'));
    expect(at('2026-10-09T23:00:00')).toEqual(shanghai('2026-10-10T08:30:00'));
    expect(at('2026-10-10T20:30:00')).toEqual(shanghai('2026-10-12T08:30:00'));
  });

  it('escalations, overdue and overdue reminders go at once, even on a holiday night', () => {
    const night = shanghai('2026-10-02T03:00:00');
    for (const event of ['ticket.escalated', 'ticket.overdue', 'ticket.reminded'] as const) {
      expect(releaseAt(event, night, calendar)).toEqual(night);
    }
    expect(releaseAt('ticket.warned', night, calendar)).toEqual(shanghai('2026-10-08T08:30:00'));
  });
});
