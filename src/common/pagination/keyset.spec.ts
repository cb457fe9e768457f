import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../errors/domain-error';
import { decodeCursor, encodeCursor } from './keyset';

const id = '0b6f2c1e-8d0a-4f3e-9c55-3a7d2b1e4f60';

describe('cursor', () => {
  it('round-trips the sort key and id through an opaque base64url string', () => {
    const cursor = encodeCursor({ micros: '1795313551728736', id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ micros: '1795313551728736', id });
  });

  it('keeps timestamps before 1970', () => {
    expect(decodeCursor(encodeCursor({ micros: '-86400000000', id }))).toEqual({ micros: '-86400000000', id });
  });

  it.each([
    ['not base64 json', 'not-a-cursor'],
    ['an object', Buffer.from(JSON.stringify({ micros: '1', id })).toString('base64url')],
    ['a non-numeric key', Buffer.from(JSON.stringify(['2026-01-01', id])).toString('base64url')],
    ['a bad id', Buffer.from(JSON.stringify(['1', "x' OR 1=1"])).toString('base64url')],
    ['an empty string', ''],
  ])('rejects %s as a validation error on the cursor field', (_what, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(DomainError);
    try {
      decodeCursor(cursor);
    } catch (error) {
      expect((error as DomainError).code).toBe('validation_failed');
      expect((error as DomainError).extras.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });
});
