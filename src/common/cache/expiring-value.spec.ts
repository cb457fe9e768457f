import { describe, expect, it } from '@jest/globals';
import { Clock } from '../clock';
import { ExpiringValue } from './expiring-value';

class FixedClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  now(): Date {
    return this.at;
  }
}

describe('ExpiringValue', () => {
  const start = new Date('2026-03-02T09:00:00+08:00');

  function counting() {
    let loads = 0;
    return { load: async () => ++loads, loads: () => loads };
  }

  it('loads once and keeps the value until ttl has passed', async () => {
    const clock = new FixedClock(start);
    const value = new ExpiringValue<number>(clock, 30_000);
    const source = counting();
    expect(await value.get(source.load)).toBe(1);
    clock.at = new Date(start.getTime() + 29_999);
    expect(await value.get(source.load)).toBe(1);
    clock.at = new Date(start.getTime() + 30_000);
    expect(await value.get(source.load)).toBe(2);
    expect(source.loads()).toBe(2);
  });

  it('reloads after clear', async () => {
    const value = new ExpiringValue<number>(new FixedClock(start), 30_000);
    const source = counting();
    await value.get(source.load);
    value.clear();
    expect(await value.get(source.load)).toBe(2);
  });

  it('does not keep what a load read before an edit cleared it', async () => {
    const value = new ExpiringValue<string>(new FixedClock(start), 30_000);
    let finish!: (read: string) => void;
    const before = value.get(() => new Promise<string>((resolve) => (finish = resolve)));
    value.clear();
    finish('read before the edit');
    expect(await before).toBe('read before the edit');
    expect(await value.get(async () => 'read after the edit')).toBe('read after the edit');
  });
});
