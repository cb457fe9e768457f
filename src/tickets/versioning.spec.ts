import { describe, expect, it } from '@jest/globals';
import type { DomainError } from '../common/errors/domain-error';
import { etag, expectedVersion } from './versioning';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
};

describe('expectedVersion', () => {
  it('reads the ETag form of If-Match, or the body version', () => {
    expect(expectedVersion(etag(3), undefined)).toBe(3);
    expect(expectedVersion(' "12" ', undefined)).toBe(12);
    expect(expectedVersion(undefined, 7)).toBe(7);
    expect(expectedVersion('"4"', 4)).toBe(4);
  });

  it('requires one of them', () => {
    expect(codeOf(() => expectedVersion(undefined, undefined))).toBe('precondition_required');
  });

  it('refuses a malformed If-Match, a wildcard, a weak tag, or a disagreeing body version', () => {
    for (const header of ['3', '*', 'W/"3"', '"abc"', '"1234567890"', '']) {
      expect(codeOf(() => expectedVersion(header, undefined))).toBe('validation_failed');
    }
    expect(codeOf(() => expectedVersion('"4"', 5))).toBe('validation_failed');
  });
});
