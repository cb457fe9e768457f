import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SURVEY_ADDRESS_LIMIT, SURVEY_TOKEN_LIMIT } from '../src/surveys/survey-rate-limit.guard';
import { startTestApp, type TestApp } from './support/test-app';

/** Garbled tokens are enough: the limit counts every request, before the token is read. */
describe('the public survey endpoint rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  const expectLimited = (res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) => {
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ status: 429, code: 'too_many_requests' });
  };

  it('refuses a link asked for too often, GET and POST alike, with Retry-After', async () => {
    const token = 'garbled.link.one';
    for (let i = 0; i < SURVEY_TOKEN_LIMIT.limit; i++) {
      const res = i % 2 ? await t.http.get(`/api/v1/surveys/${token}`) : await t.http.post(`/api/v1/surveys/${token}`).send({ answer: 'satisfied' });
      expect(res.status).toBe(404);
    }
    expectLimited(await t.http.get(`/api/v1/surveys/${token}`));
    expectLimited(await t.http.post(`/api/v1/surveys/${token}`).send({ answer: 'satisfied' }));
    // Another link from the same address is still served.
    await t.http.get('/api/v1/surveys/garbled.link.two').expect(404);
  });

  it('refuses an address that asks for too many links', async () => {
    // The first test used SURVEY_TOKEN_LIMIT + 3 of this address's window.
    const left = SURVEY_ADDRESS_LIMIT.limit - SURVEY_TOKEN_LIMIT.limit - 3;
    for (let i = 0; i < left; i++) await t.http.get(`/api/v1/surveys/guess-${i}`).expect(404);
    expectLimited(await t.http.get('/api/v1/surveys/guess-next'));
  });
});
