import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createHttpApp } from '../../src/app.factory';
import { quoteIdent, testDatabaseNames, withAdminClient } from './databases';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  databaseUrl: string;
  queuePrefix: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Point the app at another Redis (for example a proxy a test can cut). */
  redisUrl?: string;
  env?: Record<string, string>;
}

/**
 * Boots the real app on a database cloned from the migrated template and on a queue
 * prefix of its own, so e2e files never see each other's rows or jobs.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { template, perFilePrefix, urlFor } = testDatabaseNames();
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const database = `${perFilePrefix}${suffix}`;
  await withAdminClient((client) =>
    client.query(`CREATE DATABASE ${quoteIdent(database)} TEMPLATE ${quoteIdent(template)}`),
  );
  const queuePrefix = `t_${suffix}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: urlFor(database),
    REDIS_URL: options.redisUrl ?? redisUrl,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: TEST_JWT_SECRET,
    ...options.env,
  });

  const app = await createHttpApp('all');
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    databaseUrl: urlFor(database),
    queuePrefix,
    async close() {
      await app.close();
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`));
      await deleteQueueKeys(redisUrl, queuePrefix);
    },
  };
}

async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
