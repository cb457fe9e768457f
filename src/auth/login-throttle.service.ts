import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { DomainError } from '../common/errors/domain-error';
import type { EnvironmentVariables } from '../config/env.validation';
import { REDIS } from '../redis/redis.module';

export const LOGIN_FAILURES_ALLOWED = 5;
export const LOGIN_LOCK_SECONDS = 15 * 60;

/**
 * Counts failed logins per client address and username in Redis (shared by every API
 * process). Successful logins clear the count; one user cannot lock out a shared office IP.
 * When Redis is away, logins are not throttled rather than refused.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger('LoginThrottle');
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.prefix = `${config.get('QUEUE_PREFIX', { infer: true })}:login-failures`;
  }

  async assertAllowed(ip: string, username: string): Promise<void> {
    const key = this.key(ip, username);
    const [failures, ttl] = await this.tolerant(() => Promise.all([this.redis.get(key), this.redis.ttl(key)]), [null, -1]);
    if (Number(failures ?? 0) >= LOGIN_FAILURES_ALLOWED) {
      throw new DomainError('too_many_requests', `Too many failed logins; retry in ${Math.max(ttl, 1)} seconds`, {
        retryAfterSeconds: Math.max(ttl, 1),
      });
    }
  }

  async recordFailure(ip: string, username: string): Promise<void> {
    const key = this.key(ip, username);
    await this.tolerant(() => this.redis.multi().incr(key).expire(key, LOGIN_LOCK_SECONDS, 'NX').exec(), null);
  }

  async clear(ip: string, username: string): Promise<void> {
    await this.tolerant(() => this.redis.del(this.key(ip, username)), 0);
  }

  private key(ip: string, username: string): string {
    return `${this.prefix}:${ip}|${username.toLowerCase()}`;
  }

  private async tolerant<T>(command: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await command();
    } catch (error) {
      this.logger.warn(`Redis unavailable, login throttling skipped: ${(error as Error).message}`);
      return fallback;
    }
  }
}
