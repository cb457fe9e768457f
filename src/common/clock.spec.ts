import { describe, expect, it } from '@jest/globals';
import { shanghaiDate, SystemClock } from './clock';

describe('shanghaiDate', () => {
  it('reads the day in UTC+8, not in UTC or the machine zone', () => {
    expect(shanghaiDate(new Date('2026-03-15T15:59:59Z'))).toBe('2026-03-15');
    expect(shanghaiDate(new Date('2026-03-15T16:00:00Z'))).toBe('2026-03-16');
  });

  it('crosses month and year ends', () => {
    expect(shanghaiDate(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01');
    expect(shanghaiDate(new Date('2024-02-28T18:00:00Z'))).toBe('2024-02-29');
  });

  it('pads months and days', () => {
    expect(shanghaiDate(new Date('2026-01-05T02:00:00Z'))).toBe('2026-01-05');
  });
});

describe('SystemClock', () => {
  it('tells the current time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
