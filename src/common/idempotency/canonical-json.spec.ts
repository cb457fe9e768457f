import { describe, expect, it } from '@jest/globals';
import { canonicalJson, requestHash } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('drops undefined properties like JSON does and writes null for undefined items', () => {
    expect(canonicalJson({ a: undefined, b: null, c: [undefined] })).toBe('{"b":null,"c":[null]}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('escapes strings and keys', () => {
    expect(canonicalJson({ 'k"1': 'line\nbreak 用地' })).toBe('{"k\\"1":"line\\nbreak 用地"}');
  });
});

describe('requestHash', () => {
  it('is the same for bodies that differ only in key order', () => {
    expect(requestHash({ title: 'a', tier: 2 })).toBe(requestHash({ tier: 2, title: 'a' }));
    expect(requestHash({ title: 'a' })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when a value differs', () => {
    expect(requestHash({ title: 'a' })).not.toBe(requestHash({ title: 'b' }));
    expect(requestHash([1, 2])).not.toBe(requestHash([2, 1]));
  });
});
