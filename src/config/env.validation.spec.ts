import { describe, expect, it } from '@jest/globals';
import { validateEnv } from './env.validation';

const SECRET = 'x'.repeat(32);

describe('validateEnv', () => {
  it('applies defaults and converts numbers', () => {
    const env = validateEnv({ JWT_SECRET: SECRET, PORT: '4000' });
    expect(env.PORT).toBe(4000);
    expect(env.APP_ROLE).toBe('all');
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\//);
  });

  it('names a missing variable', () => {
    expect(() => validateEnv({})).toThrow(/JWT_SECRET/);
  });

  it('names every malformed variable', () => {
    let message = '';
    try {
      validateEnv({ JWT_SECRET: SECRET, PORT: 'eighty', APP_ROLE: 'web', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/APP_ROLE/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).not.toMatch(/REDIS_URL/);
  });

  it('keeps the HTTP timeouts in the order Node needs: keep-alive < headers <= request', () => {
    const env = validateEnv({ JWT_SECRET: SECRET });
    expect([env.HTTP_KEEP_ALIVE_TIMEOUT_MS, env.HTTP_HEADERS_TIMEOUT_MS, env.HTTP_REQUEST_TIMEOUT_MS]).toEqual([65_000, 66_000, 90_000]);
    expect(() => validateEnv({ JWT_SECRET: SECRET, HTTP_KEEP_ALIVE_TIMEOUT_MS: '66000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS: must be greater than HTTP_KEEP_ALIVE_TIMEOUT_MS/,
    );
    expect(() => validateEnv({ JWT_SECRET: SECRET, HTTP_REQUEST_TIMEOUT_MS: '60000' })).toThrow(
      /HTTP_REQUEST_TIMEOUT_MS: must be at least HTTP_HEADERS_TIMEOUT_MS/,
    );
  });

  it('reads webhook target switches as true or false, and refuses loopback targets in production', () => {
    expect(validateEnv({ JWT_SECRET: SECRET })).toMatchObject({ WEBHOOK_ALLOW_PRIVATE: false, WEBHOOK_ALLOW_LOOPBACK: false });
    expect(validateEnv({ JWT_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_LOOPBACK: 'false' })).toMatchObject({
      WEBHOOK_ALLOW_PRIVATE: true,
      WEBHOOK_ALLOW_LOOPBACK: false,
    });
    expect(() => validateEnv({ JWT_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(validateEnv({ JWT_SECRET: SECRET, NODE_ENV: 'test', WEBHOOK_ALLOW_LOOPBACK: 'true' }).WEBHOOK_ALLOW_LOOPBACK).toBe(true);
    expect(() => validateEnv({ JWT_SECRET: SECRET, NODE_ENV: 'production', WEBHOOK_ALLOW_LOOPBACK: 'true' })).toThrow(
      /WEBHOOK_ALLOW_LOOPBACK/,
    );
  });

  it('bounds the survey spans', () => {
    expect(validateEnv({ JWT_SECRET: SECRET, SURVEY_REMINDERS: '1,3', SURVEY_WINDOW: 'PT4S' }).SURVEY_WINDOW).toBe('PT4S');
    expect(() => validateEnv({ JWT_SECRET: SECRET, SURVEY_WINDOW: 'P14285000W' })).toThrow(/SURVEY_WINDOW/);
    expect(() => validateEnv({ JWT_SECRET: SECRET, SURVEY_REMINDERS: '1,9999' })).toThrow(/SURVEY_REMINDERS/);
  });
});
