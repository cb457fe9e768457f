import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createHttpApp } from '../../src/app.factory';
import { contractCheckedAgent } from './contract';
import { cloneTemplateDatabase } from './databases';

// Read once at load: startTestApp may point REDIS_URL at a proxy afterwards.
const DEFAULT_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

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
  /** `api` runs no queue workers: a process that schedules jobs but never takes them. */
  role?: 'api' | 'all';
  /** Join another test app's database and queues (a second process of the same deployment). */
  joining?: TestApp;
}

/**
 * Boots the real app on a database cloned from the migrated template and on a queue
 * prefix of its own, so e2e files never see each other's rows or jobs.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const clone = options.joining ? undefined : await cloneTemplateDatabase();
  const databaseUrl = options.joining?.databaseUrl ?? clone!.url;
  const queuePrefix = options.joining?.queuePrefix ?? `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL: options.redisUrl ?? DEFAULT_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: TEST_JWT_SECRET,
    // Test receivers listen on 127.0.0.1; the refusal of loopback targets has its own tests.
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    // process.env outlives this app: a test's own setting must not leak into the next file's.
    TRUST_PROXY: 'false',
    ...options.env,
  });

  const app = await createHttpApp(options.role ?? 'all');
  await app.init();
  return {
    app,
    http: contractCheckedAgent(request(app.getHttpServer())),
    databaseUrl,
    queuePrefix,
    async close() {
      await app.close();
      if (!clone) return;
      await clone.drop();
      await deleteQueueKeys(queuePrefix);
    },
  };
}

/** Everything BullMQ (and the login throttle) keep under a prefix: what a Redis flush loses. */
export async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(DEFAULT_REDIS_URL, { lazyConnect: true });
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
