import type { Role } from '../../../src/users/entities/user.entity';
import { type ApiRequest, type Method, RawBody, type ValidSample } from './routes';

/** A request malformed in exactly one way, with what was changed. */
export interface Malformed {
  label: string;
  request: ApiRequest;
  as?: Role;
}

interface Schema {
  /** OpenAPI 3.1: a nullable field lists `null` among its types. */
  type?: string | string[];
  format?: string;
  readOnly?: boolean;
  enum?: unknown[];
  maxLength?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
}

interface Operation {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const INJECTIONS = ["' OR '1'='1", '1; DROP TABLE tickets;--', '<script>alert(1)</script>', '${7*7}{{7*7}}', '../../etc/passwd'];
const UNICODE_TRAPS = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u200b', '\u202e', '💥'];
const BAD_IDS = ['not-a-uuid', '-1', '9007199254740993', '00000000-0000-0000-0000-00000000000g', `9d3c7f0e-2b1a-4c5d-8e6f-7a8b9c0d1e2f\u200b`, 'x'.repeat(5000), 'NaN', ...INJECTIONS, ...UNICODE_TRAPS];
const BAD_DATES = ['2026-02-30', 'yesterday', '10000-01-01', '2026-13-01', '2026-05-12T25:00:00Z', '2026-05-12T15:00:00+16:00', '+002026-05-12', '2026-W20-1', '0', '', '2026-05-12\u0000', ...INJECTIONS];
const BAD_NUMBER_STRINGS = ['-1', '1.5', '1e309', 'Infinity', 'NaN', 'abc', '9007199254740993'];
const BAD_BOOLEAN_STRINGS = ['yes', '1', 'TRUE', '', 'null'];
const BAD_YEARS = ['-1', '0', '0000', '1e309', 'NaN', '2026.5', '10000', '1999', '2101', '9999', '２０２６', "2026' OR 1=1", '9007199254740993'];
const BAD_TOKENS = ['garbage', 'a.b.c', 'x'.repeat(5000), ...INJECTIONS, ...UNICODE_TRAPS];
const BAD_IF_MATCH = ['W/"1"', '*', '"abc"', '"-1"', '"1e309"', '"99999999999999999999"', '1', '"1", "2"', "' OR 1=1 --"];
const BAD_IDEMPOTENCY_KEYS = ['x'.repeat(201), 'a b', 'caf\u00e9', 'tab\tkey'];
/** Strings that must match a format (a pattern, a check digit, a URL, a time): decoration makes them invalid. */
const FORMATTED_FIELDS = new Set(['username', 'phone', 'url', 'creditCode', 'start', 'end']);
const BIG_TEXT = 'x'.repeat(100_001);
/** Years outside 2000-2100, which every date, month and year the API takes must fall in. */
const OUT_OF_RANGE_YEARS = ['0000', '0001', '1999', '2101', '9999'];
/** ISO 8601 spans longer than any budget, reminder or window may be (366 days; 365 working days). */
const OVERSIZE_DURATIONS = ['P14285000W', 'P367D', 'PT8785H', `PT${'9'.repeat(30)}S`];
/** Body fields holding spans: working days, or ISO 8601 durations when `mode` is `duration`. */
const DURATION_FIELDS = new Set(['budgets', 'reminderInterval']);
/** The same URL with its scheme written in other cases: valid (RFC 3986), and must never reach the CHECK as such. */
const SCHEME_CASES = ['HTTP', 'HTTPS', 'Https', 'hTtP'];

const isDateLike = (value: unknown) => typeof value === 'string' && /^\d{4}-\d{2}(-\d{2})?/.test(value);
/** The same date, month or date-time in each year outside the range. */
const outOfRangeYears = (valid: string) => OUT_OF_RANGE_YEARS.map((year) => `${year}${valid.slice(4)}`);
const isUuidLike = (value: unknown) => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(value);

/** True when the schema is (or admits) this JSON type. */
const hasType = (schema: Schema | undefined, type: string) =>
  Array.isArray(schema?.type) ? schema.type.includes(type) : schema?.type === type;

function resolve(document: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  const name = schema?.$ref?.split('/').pop();
  return name ? document.components.schemas[name] : schema;
}

/** Values of the wrong kind or out of range for a field, chosen from its schema and its valid value. */
function badValues(name: string, schema: Schema | undefined, valid: unknown): unknown[] {
  const wrongTypes = typeof valid === 'string' ? [123, true, {}, [valid]] : ['text', {}, [valid]];
  if (schema?.enum) return [...wrongTypes, 'unknown_value', String(schema.enum[0]).toUpperCase() + '\u200b', '', ...INJECTIONS.slice(0, 2)];
  if (Array.isArray(valid)) return ['not-an-array', { 0: valid[0] }, [123], [null]];
  if (typeof valid === 'boolean') return ['true', 1, 'yes'];
  // Numbers in bodies are versions (integers from 1), ratios (0.05-0.99) and sizes (integers from 0).
  if (typeof valid === 'number') return ['1', -1, 1.5, true, 'NaN', new RawLiteral('1e309'), new RawLiteral('-1e309')];
  if (typeof valid !== 'string') return wrongTypes;
  if (schema?.format === 'uuid' || isUuidLike(valid)) return [...wrongTypes, ...BAD_IDS];
  if (isDateLike(valid)) return [...wrongTypes, ...BAD_DATES, ...outOfRangeYears(valid)];
  if (FORMATTED_FIELDS.has(name)) return [...wrongTypes, ...INJECTIONS, `\u202e${valid}`, `${valid}\u200b`, '', '💥'.repeat(3)];
  const tooManyEmoji = schema?.maxLength ? ['😀'.repeat(schema.maxLength + 1)] : [];
  return [...wrongTypes, BIG_TEXT, 'a\u0000b', 'a\ud800b', ...tooManyEmoji];
}

/** A JSON number literal that JSON.stringify cannot write (1e309 parses to Infinity). */
class RawLiteral {
  constructor(readonly literal: string) {}
}

/** Serialises a body holding `RawLiteral`s into raw JSON text. */
function encode(body: unknown): unknown {
  let raw = false;
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (!(value instanceof RawLiteral)) return value;
    raw = true;
    return `@@${value.literal}@@`;
  });
  return raw ? new RawBody(text.replace(/"@@(.*?)@@"/g, '$1')) : body;
}

/** Each field of `body` (and of the first item of its object arrays) replaced or removed, one at a time. */
function bodyMutations(document: OpenApiDocument, schema: Schema | undefined, body: Record<string, unknown>, path = ''): { label: string; body: Record<string, unknown> }[] {
  const out: { label: string; body: Record<string, unknown> }[] = [];
  const resolved = resolve(document, schema);
  for (const field of resolved?.required ?? []) {
    if (!(field in body)) continue;
    const { [field]: _removed, ...rest } = body;
    out.push({ label: `without required ${path}${field}`, body: rest });
  }
  // null for every field the schema does not document as nullable, whether the sample sets it or not.
  for (const [field, fieldSchema] of Object.entries(resolved?.properties ?? {})) {
    if (hasType(fieldSchema, 'null') || fieldSchema.readOnly) continue;
    out.push({ label: `${path}${field} null`, body: { ...body, [field]: null } });
  }
  for (const field of Object.keys(resolved?.properties ?? {}).filter((name) => DURATION_FIELDS.has(name))) {
    for (const spoiled of oversizeSpans(field)) out.push({ label: `${path}${field} oversize: ${describe(spoiled[field])}`, body: { ...body, ...spoiled } });
  }
  for (const [field, valid] of Object.entries(body)) {
    const fieldSchema = resolve(document, resolve(document, schema)?.properties?.[field]);
    for (const bad of badValues(field, fieldSchema, valid)) {
      out.push({ label: `${path}${field} = ${describe(bad)}`, body: { ...body, [field]: bad } });
    }
    const [first, ...others] = Array.isArray(valid) ? valid : [];
    if (first && typeof first === 'object') {
      for (const nested of bodyMutations(document, fieldSchema?.items, first as Record<string, unknown>, `${path}${field}[0].`)) {
        out.push({ label: nested.label, body: { ...body, [field]: [nested.body, ...others] } });
      }
    }
  }
  return out;
}

/** Spans too long to be a deadline: the field, and `mode` when the span's kind needs it. */
function oversizeSpans(field: string): Record<string, unknown>[] {
  if (field !== 'budgets') return OVERSIZE_DURATIONS.map((duration) => ({ [field]: duration }));
  return [
    { mode: 'working_days', budgets: [1, 2, 366] },
    { mode: 'working_days', budgets: [1, 2, 1e9] },
    ...OVERSIZE_DURATIONS.map((duration) => ({ mode: 'duration', budgets: ['PT1S', 'PT2S', duration] })),
  ];
}

/** Each `url` of a body (top level or in the first item of an array of objects) with its scheme in other cases. */
function schemeCaseBodies(body: Record<string, unknown>, path = ''): { label: string; body: Record<string, unknown> }[] {
  const out: { label: string; body: Record<string, unknown> }[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (typeof value === 'string' && /^https?:\/\//.test(value)) {
      for (const scheme of SCHEME_CASES) {
        out.push({ label: `${path}${field} = ${scheme}://…`, body: { ...body, [field]: value.replace(/^https?/, scheme) } });
      }
    }
    const [first, ...others] = Array.isArray(value) ? value : [];
    if (first && typeof first === 'object') {
      for (const nested of schemeCaseBodies(first as Record<string, unknown>, `${path}${field}[0].`)) {
        out.push({ label: nested.label, body: { ...body, [field]: [nested.body, ...others] } });
      }
    }
  }
  return out;
}

/**
 * Well-formed requests with each URL's scheme in another case (`HTTP://`, `Https://`): valid,
 * so they may be answered 2xx, but never 5xx (the database CHECKs want lower case).
 */
export function schemeCaseRequests(samples: ValidSample[]): Malformed[] {
  const out: Malformed[] = [];
  for (const { request, as } of samples) {
    if (!request.body || typeof request.body !== 'object' || request.body instanceof RawBody) continue;
    for (const { label, body } of schemeCaseBodies(request.body as Record<string, unknown>)) {
      // A fresh key each: a key replayed with another body is a 422 before validation runs.
      const headers = request.headers?.['Idempotency-Key'] ? { ...request.headers, 'Idempotency-Key': `scheme-case-${out.length}` } : request.headers;
      out.push({ label: `${request.method} ${request.route}: ${label}`, request: { ...request, body, headers }, as });
    }
  }
  return out;
}

function describe(value: unknown): string {
  const text = value instanceof RawLiteral ? value.literal : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 20)}…(${text.length} chars)` : text;
}

function parametersOf(document: OpenApiDocument, request: ApiRequest): Operation['parameters'] {
  return document.paths[request.route]?.[request.method.toLowerCase()]?.parameters ?? [];
}

/**
 * Malformed requests derived from the valid samples: each path parameter, query parameter,
 * body field and precondition header spoiled one at a time, plus whole-body faults (not JSON,
 * not an object, over 1 MB, unknown property). Every one must be refused.
 */
export function malformedRequests(samples: ValidSample[], document: OpenApiDocument): Malformed[] {
  const out: Malformed[] = [];
  for (const sample of samples) {
    // A key replayed with another body is refused before validation runs: it would hide the fault under test.
    const { 'Idempotency-Key': idempotencyKey, ...headers } = sample.request.headers ?? {};
    const request = { ...sample.request, headers };
    const add = (label: string, change: Partial<ApiRequest>) =>
      out.push({ label: `${request.method} ${request.route}: ${label}`, request: { ...request, ...change }, as: sample.as });
    const parameters = parametersOf(document, request);

    for (const name of Object.keys(request.params ?? {})) {
      const bad = name === 'year' ? BAD_YEARS : name === 'token' ? BAD_TOKENS : BAD_IDS;
      for (const value of bad) add(`{${name}} = ${describe(value)}`, { params: { ...request.params, [name]: value } });
    }

    if (request.query) {
      add('unknown query parameter', { query: { ...request.query, sneaky: '1' } });
      for (const [name, valid] of Object.entries(request.query)) {
        const schema = parameters?.find((p) => p.in === 'query' && p.name === name)?.schema;
        add(`?${name} repeated`, { query: { ...request.query, [name]: [String(valid), String(valid)] } });
        const bad = schema?.enum
          ? ['unknown_value', `${String(valid)}\u200b`, ...INJECTIONS.slice(0, 2)]
          : schema?.format === 'uuid'
            ? BAD_IDS
            : hasType(schema, 'number')
              ? BAD_NUMBER_STRINGS
              : hasType(schema, 'boolean')
                ? BAD_BOOLEAN_STRINGS
                : isDateLike(valid)
                  ? [...BAD_DATES, ...outOfRangeYears(String(valid))]
                  : // A lone surrogate cannot be percent-encoded in a URL, so it is not tried here.
                    ['a\u0000b', 'x'.repeat(5000)];
        for (const value of bad) add(`?${name} = ${describe(value)}`, { query: { ...request.query, [name]: value } });
      }
    }

    if ('If-Match' in headers || /\/tickets\/\{id\}\/(route|start|pause|resume|return|resolve|extend)$/.test(request.route)) {
      for (const value of BAD_IF_MATCH) add(`If-Match: ${value}`, { headers: { ...headers, 'If-Match': value } });
    }
    if (idempotencyKey !== undefined) {
      for (const value of BAD_IDEMPOTENCY_KEYS) add(`Idempotency-Key: ${describe(value)}`, { headers: { ...headers, 'Idempotency-Key': value } });
    }

    if (request.method === 'GET' || request.method === 'DELETE') continue;
    add('body over 1 MB', { body: new RawBody(JSON.stringify({ padding: 'x'.repeat(1_100_000) })) });
    add('truncated JSON', { body: new RawBody('{"a":') });
    add('body as text/plain', { body: new RawBody('{}', 'text/plain') });
    add('body as form data', { body: new RawBody('a=1', 'application/x-www-form-urlencoded') });
    if (request.body === undefined) continue;
    add('body is an array', { body: new RawBody('[]') });
    add('body is a string', { body: new RawBody('"text"') });
    add('body is null', { body: new RawBody('null') });
    add('unknown property', { body: { ...(request.body as object), isAdmin: true } });
    const bodySchema = document.paths[request.route]?.[request.method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
    for (const { label, body } of bodyMutations(document, bodySchema, request.body as Record<string, unknown>)) {
      add(label, { body: encode(body) });
    }
  }
  return out;
}

/** Items per array of a hostile body: the probe that once ran the heap out of memory. */
export const HOSTILE_ARRAY_ITEMS = 100_000;
/** Levels of a hostile nested body: the probe that once overflowed the stack. */
export const HOSTILE_DEPTH = 10_000;

/** A value for a path parameter that passes routing: a uuid, a year or a plain word, by its schema. */
function pathValue(schema: Schema | undefined): string {
  if (schema?.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  return hasType(schema, 'number') || hasType(schema, 'integer') ? '2026' : 'x';
}

/**
 * For every POST, PUT and PATCH route of the OpenAPI document, whatever it is: one body per
 * array field of its schema holding HOSTILE_ARRAY_ITEMS items (a synthetic `items` field when
 * it has none), and one body nested HOSTILE_DEPTH levels deep under its first field. Items are
 * each invalid (`{}` or `""`), so a validator that looked at them would report every one.
 */
export function hostileBodies(document: OpenApiDocument): Malformed[] {
  const out: Malformed[] = [];
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!['post', 'put', 'patch'].includes(method)) continue;
      const params = Object.fromEntries(
        (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, pathValue(resolve(document, p.schema))]),
      );
      const add = (label: string, text: string) =>
        out.push({ label: `${method.toUpperCase()} ${route}: ${label}`, request: { method: method.toUpperCase() as Method, route, params, body: new RawBody(text) } });
      const schema = resolve(document, operation.requestBody?.content?.['application/json']?.schema);
      const properties = Object.entries(schema?.properties ?? {});
      const arrays = properties.filter(([, property]) => hasType(resolve(document, property), 'array'));
      for (const [name, property] of arrays.length > 0 ? arrays : [['items', { type: 'array' } as Schema] as const]) {
        const items = resolve(document, property)?.items;
        const item = items?.$ref || hasType(resolve(document, items), 'object') ? '{}' : '""';
        add(`${name} with ${HOSTILE_ARRAY_ITEMS} items`, `{"${name}":[${Array(HOSTILE_ARRAY_ITEMS).fill(item).join(',')}]}`);
      }
      const deepField = properties[0]?.[0] ?? 'value';
      add(`${deepField} nested ${HOSTILE_DEPTH} deep`, `{"${deepField}":${'['.repeat(HOSTILE_DEPTH)}""${']'.repeat(HOSTILE_DEPTH)}}`);
    }
  }
  return out;
}
