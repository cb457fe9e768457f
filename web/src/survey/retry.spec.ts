import { describe, expect, it } from '@jest/globals';
import { backoffMs, untilSettled } from './retry';

describe('retrying the survey answer', () => {
  it('doubles the pause from 1 s up to 30 s, within 20 % either way', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((retry) => backoffMs(retry, middle))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoffMs(1, () => 0)).toBe(800);
    expect(backoffMs(1, () => 0.999_999)).toBe(1200);
  });

  it('asks again after each transient failure, pausing with backoff, and stops at the first final answer', async () => {
    const answers = [{ kind: 'transient' }, { kind: 'transient' }, { kind: 'used' }, { kind: 'survey' }];
    const pauses: number[] = [];
    const retries: number[] = [];
    const result = await untilSettled(
      async () => answers.shift()!,
      (retry) => retries.push(retry),
      async (ms) => {
        pauses.push(ms);
      },
    );
    expect(result).toEqual({ outcome: { kind: 'used' }, tries: 3 });
    expect(retries).toEqual([1, 2]);
    expect(pauses).toHaveLength(2);
    expect(pauses[0]).toBeGreaterThanOrEqual(800);
    expect(pauses[0]).toBeLessThanOrEqual(1200);
    expect(pauses[1]).toBeGreaterThanOrEqual(1600);
    expect(pauses[1]).toBeLessThanOrEqual(2400);
    expect(answers).toEqual([{ kind: 'survey' }]);
  });
});
