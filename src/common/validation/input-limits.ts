import type { FieldError } from '../errors/domain-error';

/**
 * Bounds on a parsed body or query, checked before any DTO rule runs. Validation and
 * transformation cost grows with every value (class-validator checks each array item,
 * recursion follows each level), so what no legitimate request reaches is refused unread.
 * The largest legitimate body, an engagement with 50 demands of 20 attachments each,
 * holds about 5,600 values, 4 levels deep; the longest array is 366 calendar days; the
 * longest text field, 10,000 characters, is up to 20,000 UTF-16 units (JavaScript's length).
 */
export const INPUT_LIMITS = {
  /** Objects and arrays nested in one another. */
  depth: 16,
  arrayItems: 1000,
  stringLength: 30_000,
  /** Property names: DTO fields are short words; a long name would be echoed in the error. */
  keyLength: 100,
  /** Every value (object, array, string, number…) in the whole body or query. */
  values: 10_000,
} as const;

export type InputLimits = { readonly [limit in keyof typeof INPUT_LIMITS]: number };

/**
 * Names JavaScript gives a meaning to. JSON.parse makes `__proto__` an own property, and
 * class-transformer then silently skips `__proto__` and `constructor`, so the whitelist never
 * sees them: they are refused here as the unknown properties they are.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const unknownPropertyMessage = (key: string) => `property ${key} should not exist`;

export interface InputFaults {
  /** The first limit exceeded: the walk stops there. */
  exceeded?: FieldError;
  /** Every forbidden property name met. */
  forbidden: FieldError[];
}

interface Visit {
  value: unknown;
  key: string;
  parent?: Visit;
  depth: number;
}

/** `contacts.0.name`, built only when a fault is reported. */
function pathOf(visit: Visit, root: string): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.') || root;
}

/**
 * One iterative walk (no recursion, so no depth can overflow the stack) over a parsed body or
 * query. It stops at the first limit exceeded; its cost is bounded by `limits.values`.
 * `root` names the whole value in a fault found at the top (`body`, `query`).
 */
export function inspectInput(input: unknown, root: string, limits: InputLimits = INPUT_LIMITS): InputFaults {
  const forbidden: FieldError[] = [];
  const stack: Visit[] = [{ value: input, key: '', depth: 0 }];
  let values = 1;
  const exceeded = (visit: Visit, message: (field: string) => string): InputFaults => {
    const field = pathOf(visit, root);
    return { exceeded: { field, message: message(field) }, forbidden };
  };

  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { value } = visit;
    if (typeof value === 'string') {
      if (value.length > limits.stringLength) return exceeded(visit, (f) => `${f} must be at most ${limits.stringLength} characters`);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const depth = visit.depth + 1;
    if (depth > limits.depth) return exceeded(visit, (f) => `${f} is nested more than ${limits.depth} levels deep`);
    const isArray = Array.isArray(value);
    if (isArray && value.length > limits.arrayItems) return exceeded(visit, (f) => `${f} must hold at most ${limits.arrayItems} items`);
    // Object.keys lists an own `__proto__`; reading it through `value[key]` gets that own property, not the prototype.
    const keys = isArray ? null : Object.keys(value);
    values += isArray ? value.length : keys!.length;
    if (values > limits.values) return exceeded(visit, () => `the request must hold at most ${limits.values} values`);
    if (isArray) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: String(i), parent: visit, depth });
      continue;
    }
    for (const key of keys!) {
      const child: Visit = { value: (value as Record<string, unknown>)[key], key, parent: visit, depth };
      if (key.length > limits.keyLength) {
        return exceeded(visit, (f) => `property names in ${f} must be at most ${limits.keyLength} characters`);
      }
      if (FORBIDDEN_KEYS.has(key)) forbidden.push({ field: pathOf(child, root), message: unknownPropertyMessage(key) });
      stack.push(child);
    }
  }
  return { forbidden };
}

/**
 * The forbidden names among a raw query string's keys. The query parser (qs) drops them
 * silently, so they are looked for before it runs: `a[__proto__][b]=1` names `a.__proto__`.
 */
export function forbiddenQueryKeys(rawQuery: string): FieldError[] {
  const faults: FieldError[] = [];
  for (const name of new URLSearchParams(rawQuery).keys()) {
    const segments = name.split(/[[\]]+/).filter(Boolean);
    const index = segments.findIndex((segment) => FORBIDDEN_KEYS.has(segment));
    if (index >= 0) faults.push({ field: segments.slice(0, index + 1).join('.'), message: unknownPropertyMessage(segments[index]) });
  }
  return faults;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** An open array (how many items it has shown) or object (where its current member's name is). */
interface OpenContainer {
  items: number;
  isArray: boolean;
  keyStart: number;
  keyEnd: number;
}

/**
 * The same depth, array-length and value-count limits as `inspectInput`, read off the raw JSON
 * bytes before they are parsed: a hostile body is refused without building its 100,000 objects,
 * whose parsing and garbage would stall every other request on the process. One pass; strings
 * are skipped, not decoded (but for the names on the path of a fault). Malformed JSON is left
 * for the parser to refuse.
 */
export function scanJsonBytes(bytes: Uint8Array, limits: InputLimits = INPUT_LIMITS): FieldError | undefined {
  const open: OpenContainer[] = [];
  const decoder = new TextDecoder();
  /** `contacts.3.name`: the names and indexes of the first `levels` open containers' current members. */
  const pathOf = (levels: number) =>
    open
      .slice(0, levels)
      .map((c) => (c.isArray ? String(Math.max(c.items - 1, 0)) : decoder.decode(bytes.subarray(c.keyStart, c.keyEnd))))
      .join('.') || 'body';
  let commas = 0;
  let stringStart = -1;
  let lastString: [number, number] = [0, 0];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (stringStart >= 0) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) {
        lastString = [stringStart, i];
        stringStart = -1;
      }
      continue;
    }
    const top = open[open.length - 1];
    // The first value in an array counts as its first item; the commas count the rest.
    if (top?.isArray && top.items === 0 && byte > 0x20 && byte !== CLOSE_ARRAY) top.items = 1;
    switch (byte) {
      case QUOTE:
        stringStart = i + 1;
        break;
      case COLON:
        if (top && !top.isArray) [top.keyStart, top.keyEnd] = lastString;
        break;
      case OPEN_ARRAY:
      case OPEN_OBJECT:
        if (open.length >= limits.depth) {
          const field = pathOf(open.length);
          return { field, message: `${field} is nested more than ${limits.depth} levels deep` };
        }
        open.push({ items: 0, isArray: byte === OPEN_ARRAY, keyStart: 0, keyEnd: 0 });
        break;
      case CLOSE_ARRAY:
      case CLOSE_OBJECT:
        open.pop();
        break;
      case COMMA:
        if (++commas >= limits.values) return { field: 'body', message: `the request must hold at most ${limits.values} values` };
        if (top?.isArray && ++top.items > limits.arrayItems) {
          const field = pathOf(open.length - 1);
          return { field, message: `${field} must hold at most ${limits.arrayItems} items` };
        }
        break;
    }
  }
  return undefined;
}

/** What body-parser's `type` calls a body refused by `refuseHostileJson` (see the problem filter). */
export const HOSTILE_JSON_TYPE = 'entity.limit.exceeded';

/**
 * body-parser's `verify` hook: refuses a JSON body past the input limits from its bytes, before
 * JSON.parse builds it (InputLimitsMiddleware still checks what parsing yields: strings, keys, forbidden names).
 */
export function refuseHostileJson(_req: unknown, _res: unknown, bytes: Buffer): void {
  const fault = scanJsonBytes(bytes);
  if (fault) throw Object.assign(new Error(fault.message), { type: HOSTILE_JSON_TYPE, fieldError: fault });
}
