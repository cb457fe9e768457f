import { describe, expect, it } from '@jest/globals';
import { forbiddenQueryKeys, INPUT_LIMITS, inspectInput, scanJsonBytes } from './input-limits';
import { unstorableFields } from './validators';

const SMALL = { depth: 3, arrayItems: 3, stringLength: 5, keyLength: 4, values: 12 } as const;

/** `[[[…0…]]]` nested `levels` deep, built without recursion. */
function nestedArrays(levels: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('inspectInput', () => {
  it('passes a body within every limit, and scalars', () => {
    expect(inspectInput({ name: 'abc', tags: ['a', 'b'], n: { x: 1 } }, 'body', SMALL)).toEqual({ forbidden: [] });
    expect(inspectInput(undefined, 'body')).toEqual({ forbidden: [] });
    expect(inspectInput('text', 'body')).toEqual({ forbidden: [] });
  });

  it('passes the largest legitimate body shape: 50 demands of 20 attachments each', () => {
    const attachment = { name: '图纸.pdf', contentType: 'application/pdf', size: 1024, url: 'https://files.example.test/a.pdf' };
    const demand = { enterpriseId: 'e', category: 'land', title: 't', description: 'd'.repeat(5000), departmentId: 'd', startingTier: 1, attachments: Array(20).fill(attachment) };
    const body = { type: 'afternoon_tea', occurredAt: 'x', officialIds: Array(50).fill('u'), enterpriseIds: Array(50).fill('e'), demands: Array(50).fill(demand) };
    expect(inspectInput(body, 'body')).toEqual({ forbidden: [] });
  });

  it('stops at an array over the limit, naming it, without looking at its items', () => {
    expect(inspectInput({ a: { list: [{}, {}, {}, { b: 'toolong' }] } }, 'body', SMALL).exceeded).toEqual({
      field: 'a.list',
      message: 'a.list must hold at most 3 items',
    });
    expect(inspectInput({ contacts: Array(100_000).fill({}) }, 'body').exceeded?.message).toBe('contacts must hold at most 1000 items');
  });

  it('stops at nesting deeper than the limit, however deep, without recursion', () => {
    expect(inspectInput({ a: [[1]] }, 'body', SMALL)).toEqual({ forbidden: [] });
    expect(inspectInput({ a: [[[1]]] }, 'body', SMALL).exceeded).toEqual({ field: 'a.0.0', message: 'a.0.0 is nested more than 3 levels deep' });
    const deep = inspectInput({ username: nestedArrays(1_000_000) }, 'body');
    expect(deep.exceeded?.message).toMatch(new RegExp(`is nested more than ${INPUT_LIMITS.depth} levels deep$`));
    expect(deep.exceeded?.field.split('.')).toHaveLength(INPUT_LIMITS.depth);
  });

  it('stops at a string or a property name over the limit', () => {
    expect(inspectInput({ list: ['ok', 'toolong'] }, 'body', SMALL).exceeded).toEqual({ field: 'list.1', message: 'list.1 must be at most 5 characters' });
    expect(inspectInput('toolong', 'query', SMALL).exceeded?.field).toBe('query');
    expect(inspectInput({ a: { longer: 1 } }, 'body', SMALL).exceeded).toEqual({ field: 'a', message: 'property names in a must be at most 4 characters' });
  });

  it('stops at more values in all than the limit, counted as they are met', () => {
    const within = { a: [1, 2, 3], b: [1, 2, 3], c: [1, 2] }; // 1 + 3 + 8 = 12 values
    expect(inspectInput(within, 'body', SMALL)).toEqual({ forbidden: [] });
    expect(inspectInput({ ...within, d: 1 }, 'body', SMALL).exceeded?.message).toBe('the request must hold at most 12 values');
  });

  it('lists every __proto__, constructor and prototype key, as JSON.parse makes them, at any depth', () => {
    const body = JSON.parse('{"__proto__":{"isAdmin":true},"contacts":[{"name":"x","constructor":{"prototype":1}}]}') as unknown;
    expect(inspectInput(body, 'body').forbidden).toEqual([
      { field: '__proto__', message: 'property __proto__ should not exist' },
      { field: 'contacts.0.constructor', message: 'property constructor should not exist' },
      { field: 'contacts.0.constructor.prototype', message: 'property prototype should not exist' },
    ]);
  });
});

describe('forbiddenQueryKeys', () => {
  it('finds forbidden names in plain and bracketed keys, percent-encoded or not', () => {
    expect(forbiddenQueryKeys('limit=5&constructor=1&a[__proto__][b]=1&x%5Bprototype%5D=2')).toEqual([
      { field: 'constructor', message: 'property constructor should not exist' },
      { field: 'a.__proto__', message: 'property __proto__ should not exist' },
      { field: 'x.prototype', message: 'property prototype should not exist' },
    ]);
    expect(forbiddenQueryKeys('limit=5&q=constructor&proto=1')).toEqual([]);
  });
});

describe('unstorableFields', () => {
  it('names every string holding NUL or a lone surrogate, in document order', () => {
    expect(unstorableFields({ a: 'ok', b: ['x\u0000', { c: '\ud800' }], d: 'fine😀' }, '')).toEqual(['b.0', 'b.1.c']);
    expect(unstorableFields('a\u0000', 'id')).toEqual(['id']);
  });

  it('walks nesting of any depth without overflowing the stack', () => {
    let value: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(unstorableFields({ deep: value }, '')).toHaveLength(1);
  });
});

describe('scanJsonBytes: the same limits on the raw bytes, before parsing', () => {
  const scan = (json: string) => scanJsonBytes(Buffer.from(json), SMALL);

  it('passes bodies within the limits, whatever their strings hold', () => {
    expect(scan('{"a":[1,2,3],"b":{"c":[]}}')).toBeUndefined();
    expect(scan('{"s":"[[[[,,,,]]]] \\" [[[ ,,,"}')).toBeUndefined();
    expect(scan('[ ]')).toBeUndefined();
    expect(scan('"only a string"')).toBeUndefined();
    const attachment = { name: '图纸.pdf', contentType: 'application/pdf', size: 1024, url: 'https://files.example.test/a.pdf' };
    const demand = { enterpriseId: 'e', category: 'land', title: 't', description: 'd'.repeat(5000), attachments: Array(20).fill(attachment) };
    const largest = { officialIds: Array(50).fill('u'), enterpriseIds: Array(50).fill('e'), demands: Array(50).fill(demand) };
    expect(scanJsonBytes(Buffer.from(JSON.stringify(largest)))).toBeUndefined();
  });

  it('refuses nesting past the depth, arrays past their length and bodies past the value count', () => {
    expect(scan('[[[[1]]]]')?.message).toMatch(/nested more than 3 levels/);
    expect(scan('{"a":{"b":{"c":{}}}}')?.message).toMatch(/nested more than 3 levels/);
    expect(scan('[1,2,3,4]')).toEqual({ field: 'body', message: 'body must hold at most 3 items' });
    expect(scan('{"x":"[", "a":{"b\\"c":[1,1,1,1]}}')).toEqual({ field: 'a.b\\"c', message: 'a.b\\"c must hold at most 3 items' });
    expect(scan('{"a":[[1],[2,[3,[4]]]]}')?.field).toBe('a.1.1');
    expect(scan(JSON.stringify(Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`k${i}`, i]))))?.message).toMatch(/at most 12 values/);
  });

  it('agrees with inspectInput on generated bodies', () => {
    for (let n = 0; n <= 6; n++) {
      const bodies = [{ list: Array(n).fill({}) }, nestedArrays(n), { a: Array(n).fill([1]) }];
      for (const body of bodies) {
        const exceeded = inspectInput(body, 'body', SMALL).exceeded;
        expect([n, scan(JSON.stringify(body))?.field]).toEqual([n, exceeded?.field]);
      }
    }
  });

  it('reads 100,000 items and 10,000-deep nesting as refused at once', () => {
    expect(scanJsonBytes(Buffer.from(JSON.stringify({ contacts: Array(100_000).fill({}) })))?.message).toMatch(/at most 1000 items/);
    expect(scanJsonBytes(Buffer.from(`{"username":${'['.repeat(10_000)}${']'.repeat(10_000)}}`))?.message).toMatch(/nested more than 16/);
  });
});
