import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { MAX_LISTED_ERRORS } from '../src/common/errors/problem-details';
import { INPUT_LIMITS } from '../src/common/validation/input-limits';
import { Enterprise } from '../src/enterprises/entities/enterprise.entity';
import { type Actor, actor, validCreditCode } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** `[[[…"x"…]]]` nested `levels` deep, as raw JSON text. */
const nestedArrays = (levels: number) => `${'['.repeat(levels)}"x"${']'.repeat(levels)}`;

describe('hostile bodies and queries are refused cheaply', () => {
  let t: TestApp;
  let liaison: Actor;

  const count = () => t.app.get(DataSource).getRepository(Enterprise).count();
  const postEnterprise = (body: object | string) =>
    t.http.post('/api/v1/enterprises').set('Authorization', liaison.auth).set('Content-Type', 'application/json').send(body);

  beforeAll(async () => {
    t = await startTestApp();
    liaison = await actor(t, 'hostile_liaison', 'liaison_officer');
  });

  afterAll(() => t?.close());

  it('answers 100,000 contacts with a fast, small 400 naming the limit, and writes nothing', async () => {
    const before = await count();
    const body = JSON.stringify({ name: '某企业', creditCode: validCreditCode(31), contacts: Array(100_000).fill({}) });
    const started = Date.now();
    const res = await postEnterprise(body).expect(400);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(JSON.stringify(res.body).length).toBeLessThan(1000);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'input_limit_exceeded',
      status: 400,
      detail: `contacts must hold at most ${INPUT_LIMITS.arrayItems} items`,
      errors: [{ field: 'contacts', message: `contacts must hold at most ${INPUT_LIMITS.arrayItems} items` }],
    });
    expect(await count()).toBe(before);
  });

  it('answers JSON nested thousands of levels deep on login with a 400, not a 500', async () => {
    for (const levels of [2000, 5000, 10_000]) {
      const res = await t.http
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(`{"username":${nestedArrays(levels)},"password":"x"}`)
        .expect(400);
      expect(res.body.code).toBe('input_limit_exceeded');
      expect(res.body.detail).toMatch(new RegExp(`^username(\\.0)+ is nested more than ${INPUT_LIMITS.depth} levels deep$`));
    }
  });

  it('answers over-long strings and property names with a 400 before validation', async () => {
    const longText = await postEnterprise({ name: 'x'.repeat(INPUT_LIMITS.stringLength + 1), creditCode: validCreditCode(32) }).expect(400);
    expect(longText.body.errors).toEqual([{ field: 'name', message: `name must be at most ${INPUT_LIMITS.stringLength} characters` }]);
    const longKey = await postEnterprise({ name: '某企业', creditCode: validCreditCode(33), ['k'.repeat(100_000)]: 1 }).expect(400);
    expect(JSON.stringify(longKey.body).length).toBeLessThan(1000);
    expect(longKey.body.code).toBe('input_limit_exceeded');
  });

  it('refuses __proto__, constructor and prototype keys as unknown properties, in a body or a query', async () => {
    const before = await count();
    const valid = `"name":"原型企业","creditCode":"${validCreditCode(34)}"`;
    const top = await postEnterprise(`{${valid},"__proto__":{"isKey":true}}`).expect(400);
    expect(top.body).toMatchObject({ code: 'validation_failed', errors: [{ field: '__proto__', message: 'property __proto__ should not exist' }] });

    const nested = await postEnterprise(`{${valid},"contacts":[{"name":"王","constructor":{"prototype":{}}}]}`).expect(400);
    expect(nested.body.errors).toEqual([
      { field: 'contacts.0.constructor', message: 'property constructor should not exist' },
      { field: 'contacts.0.constructor.prototype', message: 'property prototype should not exist' },
    ]);
    expect(await count()).toBe(before);

    const query = await t.http.get('/api/v1/enterprises?limit=5&constructor=1&q[__proto__]=x').set('Authorization', liaison.auth).expect(400);
    expect(query.body.errors).toEqual([
      { field: 'constructor', message: 'property constructor should not exist' },
      { field: 'q.__proto__', message: 'property __proto__ should not exist' },
    ]);
  });

  it('checks a list over its size only as far as one item past it, and lists at most 50 field errors, saying how many', async () => {
    const res = await postEnterprise({ name: '某企业', creditCode: validCreditCode(35), contacts: Array(1000).fill({ phone: 1 }) }).expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(res.body.errors[0]).toEqual({ field: 'contacts', message: 'contacts must contain no more than 20 elements' });
    expect(res.body.errorsTruncated).toBe(true);
    // The size, then five faults (name: string, 1-100 characters; phone: string, a phone number) in each of 21 contacts.
    expect(res.body.errorCount).toBe(1 + 21 * 5);
    expect(res.body.detail).toMatch(new RegExp(`; and ${res.body.errorCount - MAX_LISTED_ERRORS} more$`));
    expect(JSON.stringify(res.body).length).toBeLessThan(16_000);

    const few = await postEnterprise({ name: '某企业', creditCode: validCreditCode(35), contacts: [{ phone: 1 }] }).expect(400);
    expect(few.body.errorsTruncated).toBeUndefined();
    expect(few.body.errorCount).toBeUndefined();
  });

  it('serves with timeouts that cut slow clients but outlast idle keep-alive clients', () => {
    const server = t.app.getHttpServer() as Server;
    expect([server.keepAliveTimeout, server.headersTimeout, server.requestTimeout]).toEqual([65_000, 66_000, 90_000]);
  });
});
