import { describe, expect, it } from '@jest/globals';
import { timeLeftText, workingDayMs } from './time-left';

const HOUR = 3_600_000;
const DAY = 8 * HOUR;

describe('timeLeftText', () => {
  it('counts working days of office hours, then hours, then minutes', () => {
    expect(timeLeftText(3 * HOUR + 20 * 60_000, DAY)).toBe('剩余 3 小时');
    expect(timeLeftText(DAY + 2 * HOUR, DAY)).toBe('剩余 1 天 2 小时');
    expect(timeLeftText(2 * DAY, DAY)).toBe('剩余 2 天');
    expect(timeLeftText(25 * 60_000, DAY)).toBe('剩余 25 分钟');
    expect(timeLeftText(10_000, DAY)).toBe('剩余 1 分钟');
  });

  it('says how long overdue a negative value is', () => {
    expect(timeLeftText(-2 * DAY - 30 * 60_000, DAY)).toBe('已超期 2 天');
    expect(timeLeftText(-5 * HOUR, DAY)).toBe('已超期 5 小时');
  });
});

describe('workingDayMs', () => {
  it('is the office hours of one day', () => {
    expect(workingDayMs({ start: '09:00', end: '17:30' })).toBe(8.5 * HOUR);
    expect(workingDayMs({ start: '00:00', end: '24:00' })).toBe(24 * HOUR);
    expect(workingDayMs(undefined)).toBe(DAY);
    expect(workingDayMs({ start: '18:00', end: '09:00' })).toBe(DAY);
  });
});
