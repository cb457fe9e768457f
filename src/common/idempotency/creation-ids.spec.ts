import { describe, expect, it } from '@jest/globals';
import { derivedUuid, writtenUnderThisKey } from './creation-ids';

describe('creation ids', () => {
  it('derives the same version-8 UUID from the same parts, another from any other', () => {
    const id = derivedUuid(['user', 'key', 'hash', 'ticket']);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedUuid(['user', 'key', 'hash', 'ticket'])).toBe(id);
    expect(derivedUuid(['user', 'key', 'other hash', 'ticket'])).not.toBe(id);
    expect(derivedUuid(['user', 'key', 'hash', 'demand', 0])).not.toBe(derivedUuid(['user', 'key', 'hash', 'demand', 1]));
    // Parts are separated, so moving a boundary changes the id.
    expect(derivedUuid(['ab', 'c'])).not.toBe(derivedUuid(['a', 'bc']));
  });

  it('takes a row as the key\'s own only within its 24 hours', () => {
    const now = new Date('2026-05-12T08:00:00Z');
    expect(writtenUnderThisKey(new Date('2026-05-11T08:00:01Z'), now)).toBe(true);
    expect(writtenUnderThisKey(new Date('2026-05-11T08:00:00Z'), now)).toBe(false);
  });
});
