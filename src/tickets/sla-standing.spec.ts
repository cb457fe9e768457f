import { describe, expect, it } from '@jest/globals';
import { calendarFromExceptions } from '../calendar/working-time';
import { ELAPSED_1_2_3 } from '../sla/sla-snapshot.fixture';
import { slaStanding, type StandingFacts } from './sla-standing';

const HOUR = 3_600_000;
// Office hours 09:00-17:00 Shanghai (01:00-09:00 UTC); 2026-05-01..05 are holidays (劳动节), 05-09 a working Saturday (调休).
const calendar = calendarFromExceptions(
  new Map([
    ['2026-05-01', 'holiday'],
    ['2026-05-04', 'holiday'],
    ['2026-05-05', 'holiday'],
    ['2026-05-09', 'workday'],
  ]),
  { startMinute: 9 * 60, endMinute: 17 * 60 },
);
const at = (iso: string) => new Date(iso);

/** Tier 1 of a running clock, due Wednesday 2026-05-13 17:00 Shanghai. */
const running: StandingFacts = {
  status: 'in_progress',
  tier: 1,
  sla: ELAPSED_1_2_3,
  tier1DueAt: at('2026-05-13T09:00:00Z'),
  tier2DueAt: at('2026-05-14T09:00:00Z'),
  tier3DueAt: at('2026-05-15T09:00:00Z'),
  warnedTier: 0,
  overdueAt: null,
  nextEvent: 'warning',
  nextEventAt: at('2026-05-13T07:00:00Z'),
  pausedAt: null,
};

describe('slaStanding', () => {
  it('counts working time left by office hours, skipping nights', () => {
    // Tuesday 16:00 Shanghai: 1 h today and 8 h on Wednesday.
    expect(slaStanding(running, at('2026-05-12T08:00:00Z'), calendar)).toEqual({ warned: false, overdue: false, workingMsLeft: 9 * HOUR });
  });

  it('skips holidays and counts a working Saturday', () => {
    const due = at('2026-05-06T09:00:00Z'); // Wednesday after the holidays, 17:00
    const ticket = { ...running, tier1DueAt: due, nextEventAt: at('2026-05-06T07:00:00Z') };
    // Thursday 2026-04-30 16:00 → 1 h that day, then 05-01..05 off, 8 h on 05-06.
    expect(slaStanding(ticket, at('2026-04-30T08:00:00Z'), calendar).workingMsLeft).toBe(9 * HOUR);
    // Friday 2026-05-08 16:00 against a due of Monday 05-11 17:00: 1 h + Saturday 8 h + Monday 8 h.
    const overWeekend = { ...running, tier1DueAt: at('2026-05-11T09:00:00Z'), nextEventAt: at('2026-05-11T07:00:00Z') };
    expect(slaStanding(overWeekend, at('2026-05-08T08:00:00Z'), calendar).workingMsLeft).toBe(17 * HOUR);
  });

  it('is negative by the working time past the deadline', () => {
    // Thursday 10:00 Shanghai, one working hour after Wednesday 17:00.
    const late = { ...running, warnedTier: 1, nextEvent: 'breach' as const, nextEventAt: running.tier1DueAt };
    expect(slaStanding(late, at('2026-05-14T02:00:00Z'), calendar).workingMsLeft).toBe(-1 * HOUR);
  });

  it('reads the current tier\'s deadline', () => {
    const tier2 = { ...running, tier: 2 as const, warnedTier: 1 };
    expect(slaStanding(tier2, at('2026-05-14T08:00:00Z'), calendar).workingMsLeft).toBe(1 * HOUR);
  });

  it('stands still while paused, at the working time left when it was paused', () => {
    const paused = { ...running, status: 'paused' as const, pausedAt: at('2026-05-12T08:00:00Z'), nextEvent: null, nextEventAt: null };
    expect(slaStanding(paused, at('2026-05-20T08:00:00Z'), calendar).workingMsLeft).toBe(9 * HOUR);
    expect(slaStanding(paused, at('2026-06-20T08:00:00Z'), calendar).workingMsLeft).toBe(9 * HOUR);
  });

  it('counts every hour on a plain-duration policy', () => {
    const duration = { ...running, sla: { ...ELAPSED_1_2_3, mode: 'duration' as const } };
    expect(slaStanding(duration, at('2026-05-12T08:00:00Z'), calendar).workingMsLeft).toBe(25 * HOUR);
  });

  it('is warned once the engine handled the warning, or once a pending warning is due', () => {
    expect(slaStanding(running, at('2026-05-13T06:59:59Z'), calendar).warned).toBe(false);
    expect(slaStanding(running, at('2026-05-13T07:00:00Z'), calendar).warned).toBe(true);
    const handled = { ...running, warnedTier: 1, nextEvent: 'breach' as const, nextEventAt: running.tier1DueAt };
    expect(slaStanding(handled, at('2026-05-12T01:00:00Z'), calendar).warned).toBe(true);
    // Escalated to tier 2: tier 1's warning does not carry over.
    const escalated = { ...handled, tier: 2 as const, nextEvent: 'warning' as const, nextEventAt: at('2026-05-14T07:00:00Z') };
    expect(slaStanding(escalated, at('2026-05-13T10:00:00Z'), calendar).warned).toBe(false);
  });

  it('is overdue once past the last deadline, recorded or due', () => {
    const tier3 = { ...running, tier: 3 as const, warnedTier: 3, nextEvent: 'breach' as const, nextEventAt: running.tier3DueAt };
    expect(slaStanding(tier3, at('2026-05-15T08:59:59Z'), calendar).overdue).toBe(false);
    expect(slaStanding(tier3, at('2026-05-15T09:00:00Z'), calendar).overdue).toBe(true);
    const recorded = { ...tier3, overdueAt: running.tier3DueAt, nextEvent: 'reminder' as const, nextEventAt: at('2026-05-18T01:00:00Z') };
    expect(slaStanding(recorded, at('2026-05-15T10:00:00Z'), calendar)).toEqual({ warned: true, overdue: true, workingMsLeft: 0 });
    // A tier-1 breach escalates; it is not overdue.
    const tier1Breach = { ...running, warnedTier: 1, nextEvent: 'breach' as const, nextEventAt: running.tier1DueAt };
    expect(slaStanding(tier1Breach, at('2026-05-14T02:00:00Z'), calendar).overdue).toBe(false);
  });

  it('has no clock once resolved or closed', () => {
    for (const status of ['resolved', 'closed'] as const) {
      expect(slaStanding({ ...running, status, warnedTier: 1, nextEvent: null, nextEventAt: null }, at('2026-05-12T08:00:00Z'), calendar)).toEqual({
        warned: false,
        overdue: false,
        workingMsLeft: null,
      });
    }
  });

  it('has no working time left without a deadline for the current tier', () => {
    expect(slaStanding({ ...running, tier1DueAt: null }, at('2026-05-12T08:00:00Z'), calendar).workingMsLeft).toBeNull();
    expect(slaStanding({ ...running, sla: null }, at('2026-05-12T08:00:00Z'), calendar).workingMsLeft).toBeNull();
  });
});
