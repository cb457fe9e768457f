import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { contractViolation } from './support/contract';
import { startTestApp, type TestApp } from './support/test-app';

const REGENERATE = 'run `npm run openapi:write` and commit docs/openapi.json and clients/api/schema.d.ts';

/** JSON pointers where two documents differ, the first `limit` of them. */
function differences(served: unknown, committed: unknown, path = '', found: string[] = [], limit = 20): string[] {
  if (found.length >= limit) return found;
  if (typeof served !== 'object' || typeof committed !== 'object' || served === null || committed === null) {
    if (served !== committed) found.push(`${path || '/'}: served ${JSON.stringify(served)?.slice(0, 80)}, committed ${JSON.stringify(committed)?.slice(0, 80)}`);
    return found;
  }
  const keys = new Set([...Object.keys(served), ...Object.keys(committed)]);
  for (const key of keys) {
    differences((served as Record<string, unknown>)[key], (committed as Record<string, unknown>)[key], `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, found, limit);
  }
  return found;
}

describe('the OpenAPI contract', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => t?.close());

  it('is committed: docs/openapi.json is exactly the document the app serves', async () => {
    const served = (await t.http.get('/docs-json').expect(200)).body as unknown;
    const committed = JSON.parse(readFileSync(join(process.cwd(), 'docs/openapi.json'), 'utf8')) as unknown;
    const found = differences(served, committed);
    if (found.length > 0) throw new Error(`docs/openapi.json differs from the served document; ${REGENERATE}.\n${found.join('\n')}`);
  });

  it('has its generated client types committed: clients/api/schema.d.ts is what openapi-typescript makes of it', () => {
    const generated = execFileSync(join(process.cwd(), 'node_modules/.bin/openapi-typescript'), ['docs/openapi.json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const committed = readFileSync(join(process.cwd(), 'clients/api/schema.d.ts'), 'utf8');
    if (generated !== committed) throw new Error(`clients/api/schema.d.ts is out of date; ${REGENERATE}.`);
  });

  describe('the check every e2e response goes through', () => {
    const ticket = '/api/v1/tickets/4f1c2a9e-2f43-4a5c-9f0e-0c0d7f7f1f10';
    const problem = (status: number, code: string) => ({
      status,
      headers: { 'content-type': 'application/problem+json; charset=utf-8' },
      body: { type: `urn:demand-desk:error:${code}`, title: 'x', status, code, detail: 'x' },
    });

    it('passes a documented problem', () => {
      expect(contractViolation('get', ticket, problem(404, 'not_found'))).toBeUndefined();
    });

    it('fails a status the operation does not document', () => {
      expect(contractViolation('get', ticket, problem(410, 'survey_token_used'))).toMatch(/status not documented/);
    });

    it('fails a code that belongs to another status', () => {
      expect(contractViolation('get', ticket, problem(404, 'version_conflict'))).toMatch(/body does not match/);
    });

    it('fails a body missing a required field, and a content type not documented', () => {
      const body = { id: '4f1c2a9e-2f43-4a5c-9f0e-0c0d7f7f1f10' };
      expect(contractViolation('get', ticket, { status: 200, headers: { 'content-type': 'application/json' }, body })).toMatch(/must have required property/);
      expect(contractViolation('get', ticket, { status: 200, headers: { 'content-type': 'text/html' }, body: '<p>' })).toMatch(/content type "text\/html" not documented/);
    });

    it('fails an answer on a route the document does not have', () => {
      expect(contractViolation('get', '/api/v1/nowhere', { status: 200, headers: { 'content-type': 'application/json' }, body: {} })).toMatch(/not an operation/);
    });
  });
});
