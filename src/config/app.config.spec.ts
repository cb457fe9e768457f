import { describe, expect, it } from '@jest/globals';
import { redisOptionsFromUrl } from './app.config';

describe('redisOptionsFromUrl', () => {
  it('reads host, port, credentials and database', () => {
    expect(redisOptionsFromUrl('redis://user:p%40ss@cache.local:6380/2')).toMatchObject({
      host: 'cache.local',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: undefined,
    });
  });

  it('defaults the port and database, and turns on TLS for rediss', () => {
    expect(redisOptionsFromUrl('rediss://127.0.0.1')).toMatchObject({ port: 6379, db: 0, tls: {} });
  });
});
