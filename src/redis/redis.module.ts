import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BullModule } from '@nestjs/bullmq';
import { Redis } from 'ioredis';
import { AppConfigService, redisOptionsFromUrl } from '../config/app.config';

export const REDIS = Symbol('REDIS');

/**
 * A plain client for health checks and small reads. It fails fast while Redis is
 * down (no offline queue) and keeps reconnecting, so readiness recovers by itself.
 */
@Injectable()
class RedisClientCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfigService) => ({
        prefix: config.get('QUEUE_PREFIX', { infer: true }),
        connection: {
          ...redisOptionsFromUrl(config.get('REDIS_URL', { infer: true })),
          maxRetriesPerRequest: null,
        },
      }),
    }),
  ],
  providers: [
    {
      provide: REDIS,
      inject: [ConfigService],
      useFactory: (config: AppConfigService) =>
        new Redis({
          ...redisOptionsFromUrl(config.get('REDIS_URL', { infer: true })),
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 2000,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
        }),
    },
    RedisClientCloser,
  ],
  exports: [REDIS, BullModule],
})
export class RedisModule {}
