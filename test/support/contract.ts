import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type TestAgent from 'supertest/lib/agent';
import type { Test } from 'supertest';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Middleware } from 'openapi-fetch';

/**
 * Every response an e2e test receives through `t.http` is checked against the committed
 * OpenAPI document (docs/openapi.json): the operation found by method and path template
 * must document the status, the content type, and (for JSON) the body must validate.
 * A mismatch fails the test that received the response.
 */
interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses: Record<string, ResponseObject>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

const DOCUMENT_ID = 'openapi.json';
const document = JSON.parse(readFileSync(join(process.cwd(), 'docs/openapi.json'), 'utf8')) as Document;

/** Served on purpose outside the API document (the document itself, Swagger UI, the queue board). */
const UNDOCUMENTED_PREFIXES = ['/docs', '/admin/queues'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
const isJson = (type: string) => /^application\/([a-z0-9.+-]+\+)?json$/.test(type);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The export's file: bytes, nothing to check.
ajv.addFormat('binary', true);
ajv.addSchema(document, DOCUMENT_ID);
const validators = new Map<string, ValidateFunction>();

/** Path templates, literal segments first so `/tickets/export` wins over `/tickets/{id}`. */
const templates = Object.keys(document.paths)
  .map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    params: (template.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.params - b.params);

const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function validatorFor(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

/** A response as received, from supertest or fetch: header names in lower case. */
export interface ReceivedResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** What is wrong with this response by the document, or undefined when it conforms. */
export function contractViolation(method: string, url: string, res: ReceivedResponse): string | undefined {
  const path = new URL(url, 'http://localhost').pathname;
  if (UNDOCUMENTED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}-`))) return undefined;
  const status = String(res.status);
  const contentType = (res.headers['content-type'] ?? '').split(';')[0].trim();
  const match = templates.find(({ pattern }) => pattern.test(path));
  const operation = match && document.paths[match.template][method];
  const label = `${method.toUpperCase()} ${path} -> ${status}`;
  if (!match || !operation) {
    // No route: Nest's 404 (route_not_found), or what the body parser refused before routing
    // (400, 413, 415); each still a problem of its status.
    if (!['400', '404', '413', '415'].includes(status) || contentType !== 'application/problem+json') return `${label}: not an operation of the document`;
    return check(label, `${DOCUMENT_ID}#/components/schemas/Problem${status}`, res.body);
  }
  const documented = operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? operation.responses.default;
  if (!documented) return `${label}: status not documented for ${operation.operationId} (documents ${Object.keys(operation.responses).join(', ')})`;
  const hasBody = method !== 'head' && Number(res.headers['content-length'] ?? 1) > 0 && res.status !== 204 && res.status !== 304;
  if (!hasBody) return undefined;
  const media = documented.content?.[contentType];
  if (!media) return `${label}: content type "${contentType}" not documented (documents ${Object.keys(documented.content ?? {}).join(', ') || 'no body'})`;
  if (!isJson(contentType) || !media.schema) return undefined;
  const responseKey = operation.responses[status] ? status : Object.keys(operation.responses).find((key) => operation.responses[key] === documented)!;
  const template = match.template;
  return check(label, `${DOCUMENT_ID}#${pointer('', 'paths', template, method, 'responses', responseKey, 'content', contentType, 'schema')}`, res.body);
}

function check(label: string, ref: string, body: unknown): string | undefined {
  const validate = validatorFor(ref);
  if (validate(body)) return undefined;
  const errors = (validate.errors ?? []).slice(0, 10).map((e) => `  ${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  return `${label}: body does not match the document\n${errors.join('\n')}\nbody: ${JSON.stringify(body).slice(0, 1000)}`;
}

/** Hooks a supertest request so its response is checked before the test sees it. */
function validated(test: Test, method: string, url: string): Test {
  const end = test.end.bind(test);
  test.end = (callback) =>
    end((error, res) => {
      const violation = res ? contractViolation(method, url, res) : undefined;
      if (!violation) return callback?.(error, res);
      const contractError = new Error(`Response breaks the OpenAPI contract: ${violation}${error ? `\n(and: ${error.message})` : ''}`);
      callback?.(contractError, res);
    });
  return test;
}

/** For openapi-fetch clients (`client.use(contractChecked)`): a response that breaks the contract throws. */
export const contractChecked: Middleware = {
  async onResponse({ request, response }) {
    const text = await response.clone().text();
    const json = /json/.test(response.headers.get('content-type') ?? '') && text !== '';
    const violation = contractViolation(request.method.toLowerCase(), request.url, {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: json ? (JSON.parse(text) as unknown) : text,
    });
    if (violation) throw new Error(`Response breaks the OpenAPI contract: ${violation}`);
    return undefined;
  },
};

/** A supertest agent whose every response is checked against the document. */
export function contractCheckedAgent(agent: TestAgent): TestAgent {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !(METHODS as readonly string[]).includes(property) || typeof value !== 'function') return value;
      return (url: string, ...rest: unknown[]) => validated((value as (url: string, ...rest: unknown[]) => Test).call(target, url, ...rest), property, url);
    },
  });
}
