import { describe, expect, it } from '@jest/globals';
import { redactUrl } from './logging.module';

describe('redactUrl', () => {
  it('hides tokens in the query string and keeps the rest', () => {
    expect(redactUrl('/api/v1/notifications/stream?access_token=eyJ.abc.def&x=1')).toBe(
      '/api/v1/notifications/stream?access_token=[REDACTED]&x=1',
    );
    expect(redactUrl('/api/v1/surveys/x?a=1&token=secret')).toBe('/api/v1/surveys/x?a=1&token=[REDACTED]');
    expect(redactUrl('/health/live')).toBe('/health/live');
  });
});
