import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import type { EnvironmentVariables } from '../../config/env.validation';
import { REDIS } from '../../redis/redis.module';
import { DomainError } from '../errors/domain-error';

export interface WindowLimit {
  /** What is counted, in Redis keys and in the log (`login-failures`, `survey-token`). */
  name: string;
  /** Events allowed per window; the next one is refused until the window ends. */
  limit: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters in Redis, shared by every API process: the first event of a key opens
 * a window of `windowSeconds`; once `limit` events are counted in it, callers are refused with
 * a 429 and `Retry-After` until it ends. When Redis is away nothing is refused: a limiter must
 * not turn a Redis outage into an outage of what it protects.
 */
export class FixedWindow {
  private readonly logger: Logger;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly window: WindowLimit,
  ) {
    this.logger = new Logger(`RateLimit:${window.name}`);
  }

  /** Refuses (429) when `key` has used up its window, without counting this call. */
  async assertAllowed(key: string, detail: string): Promise<void> {
    const refusal = await this.refusalFor(key, detail);
    if (refusal) throw refusal;
  }

  /** The 429 `key` would get now, or null while its window has room; counts nothing. */
  async refusalFor(key: string, detail: string): Promise<DomainError | null> {
    const k = this.key(key);
    const [count, ttl] = await this.tolerant(() => Promise.all([this.redis.get(k), this.redis.ttl(k)]), [null, -1] as const);
    return Number(count ?? 0) >= this.window.limit ? this.refusal(detail, ttl) : null;
  }

  /** Counts one event of `key`; returns how many the window holds now. */
  async record(key: string): Promise<number> {
    const k = this.key(key);
    const result = await this.tolerant(() => this.redis.multi().incr(k).expire(k, this.window.windowSeconds, 'NX').exec(), null);
    return Number(result?.[0]?.[1] ?? 0);
  }

  /** Counts one event of `key` and refuses (429) it when it goes over the limit. */
  async consume(key: string, detail: string): Promise<void> {
    if ((await this.record(key)) <= this.window.limit) return;
    throw this.refusal(detail, await this.tolerant(() => this.redis.ttl(this.key(key)), -1));
  }

  async clear(key: string): Promise<void> {
    await this.tolerant(() => this.redis.del(this.key(key)), 0);
  }

  private refusal(detail: string, ttl: number): DomainError {
    const retryAfterSeconds = Math.max(ttl, 1);
    return new DomainError('too_many_requests', `${detail}; retry in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
  }

  private key(key: string): string {
    return `${this.prefix}:${this.window.name}:${key}`;
  }

  private async tolerant<T>(command: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await command();
    } catch (error) {
      this.logger.warn(`Redis unavailable, not limited: ${(error as Error).message}`);
      return fallback;
    }
  }
}

/** Makes fixed windows on the app's Redis, under the deployment's QUEUE_PREFIX. */
@Injectable()
export class RateLimits {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
  }

  window(limit: WindowLimit): FixedWindow {
    return new FixedWindow(this.redis, this.prefix, limit);
  }
}
