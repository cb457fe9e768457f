import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { redactUrl, REDACTED_HEADERS } from './logging.module';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdXJ2ZXkifQ.c2lnbmF0dXJl';

describe('redactUrl', () => {
  it('hides tokens in the query string and keeps the rest', () => {
    expect(redactUrl(`/api/v1/notifications/stream?access_token=${TOKEN}&x=1`)).toBe(
      '/api/v1/notifications/stream?access_token=[REDACTED]&x=1',
    );
    expect(redactUrl('/api/v1/tickets?a=1&token=secret')).toBe('/api/v1/tickets?a=1&token=[REDACTED]');
    expect(redactUrl('/x?refresh_token=a&client_secret=b&password=c&api_key=d&limit=5')).toBe(
      '/x?refresh_token=[REDACTED]&client_secret=[REDACTED]&password=[REDACTED]&api_key=[REDACTED]&limit=5',
    );
    expect(redactUrl('/health/live')).toBe('/health/live');
  });

  it('hides the survey token in the path, whatever its case or slashes', () => {
    expect(redactUrl(`/api/v1/surveys/${TOKEN}`)).toBe('/api/v1/surveys/[REDACTED]');
    expect(redactUrl(`/api/v1/surveys/${TOKEN}?lang=zh`)).toBe('/api/v1/surveys/[REDACTED]?lang=zh');
    expect(redactUrl(`/API/V1/Surveys/${TOKEN}/`)).toBe('/API/V1/Surveys/[REDACTED]/');
    expect(redactUrl(`/api/v1/surveys//${TOKEN}`)).toBe('/api/v1/surveys//[REDACTED]');
    expect(redactUrl(`/s/${TOKEN}`)).toBe('/s/[REDACTED]');
    expect(redactUrl(`/api/v1/surveys/${TOKEN}?access_token=${TOKEN}`)).not.toContain(TOKEN);
  });

  it('leaves other paths alone', () => {
    const id = '0b6f3a52-8d1e-4f7a-9c0e-2d5b7e9a1c34';
    expect(redactUrl(`/api/v1/tickets/${id}/surveys`)).toBe(`/api/v1/tickets/${id}/surveys`);
    expect(redactUrl(`/api/v1/tickets/${id}/survey-answer`)).toBe(`/api/v1/tickets/${id}/survey-answer`);
    expect(redactUrl('/api/v1/stats/summary?from=2026-01-01')).toBe('/api/v1/stats/summary?from=2026-01-01');
  });
});

describe('header redaction', () => {
  it('hides credential headers and keeps Idempotency-Key', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const logger = pino({ redact: { paths: REDACTED_HEADERS, censor: '[REDACTED]' } }, sink);
    logger.info({
      req: { headers: { authorization: `Bearer ${TOKEN}`, cookie: `s=${TOKEN}`, 'idempotency-key': 'k-1' } },
      res: { headers: { 'set-cookie': `s=${TOKEN}` } },
    });
    expect(lines.join('')).not.toContain(TOKEN);
    expect(lines.join('')).toContain('k-1');
  });
});
