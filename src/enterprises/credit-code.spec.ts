import { describe, expect, it } from '@jest/globals';
import { validateSync } from 'class-validator';
import { creditCodeCheckChar, IsCreditCode, isValidCreditCode } from './credit-code';

describe('credit code check digit (GB 32100-2015)', () => {
  it('accepts codes published by registered companies', () => {
    for (const code of ['91330100799655058B', '914403001922038216', '9144030071526726XG', '91110000802100433B']) {
      expect(isValidCreditCode(code)).toBe(true);
    }
  });

  it('maps a remainder of 0 to the check character 0', () => {
    // 9·1 + 1·3 + 1·9 + 1·27 + 1·26 + 4·28 = 186 = 6·31
    expect(creditCodeCheckChar('91110100000000004')).toBe('0');
    expect(isValidCreditCode('911101000000000040')).toBe(true);
  });

  it('computes letter check characters', () => {
    expect(creditCodeCheckChar('91330100799655058')).toBe('B');
    expect(creditCodeCheckChar('91110100000000023')).toBe('Y');
  });

  it('refuses a wrong check character, a bad length, forbidden letters and lowercase', () => {
    expect(isValidCreditCode('91330100799655058C')).toBe(false);
    expect(isValidCreditCode('914403001922038217')).toBe(false);
    expect(isValidCreditCode('91330100799655058')).toBe(false);
    expect(isValidCreditCode('91330100799655058BB')).toBe(false);
    expect(isValidCreditCode('9133010079965505IB')).toBe(false);
    expect(isValidCreditCode('9144030071526726xg')).toBe(false);
  });

  it('refuses to compute a check character for a malformed prefix', () => {
    expect(() => creditCodeCheckChar('9133010079965505')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('9133010079965505O')).toThrow(RangeError);
  });
});

describe('@IsCreditCode', () => {
  class Subject {
    @IsCreditCode()
    creditCode: unknown;
  }
  const messages = (value: unknown) => {
    const subject = Object.assign(new Subject(), { creditCode: value });
    return validateSync(subject).flatMap((e) => Object.values(e.constraints ?? {}));
  };

  it('passes a valid code', () => {
    expect(messages('914403001922038216')).toEqual([]);
  });

  it('tells a wrong check digit from a malformed code', () => {
    expect(messages('914403001922038217')).toEqual(['creditCode has a wrong check digit']);
    expect(messages('91440300192203821')).toEqual([expect.stringContaining('18 characters')]);
    expect(messages(12345)).toEqual([expect.stringContaining('18 characters')]);
  });
});
