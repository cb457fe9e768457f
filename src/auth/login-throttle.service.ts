import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { DomainError } from '../common/errors/domain-error';
import type { EnvironmentVariables } from '../config/env.validation';
import { REDIS } from '../redis/redis.module';

/** Failures of one username from one address before that pair is locked. */
export const LOGIN_FAILURES_ALLOWED = 5;
/** Failures from one address, whatever the usernames, before the address is locked (password spraying). */
export const ADDRESS_FAILURES_ALLOWED = 20;
/** Failures of one username, whatever the addresses, before it is locked to unknown addresses (a botnet). */
export const USERNAME_FAILURES_ALLOWED = 10;
/** Every count starts with its first failure and is forgotten this long after it. */
export const LOGIN_LOCK_SECONDS = 15 * 60;
/** How long an address a user signed in from stays known, and so passes that user's lock. */
export const KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600;

/**
 * Counts failed logins in Redis (shared by every API process) three ways: per address and
 * username, per address, and per username. A username locked by failures from many addresses
 * stays open to the addresses it signed in from before, so an attacker cannot lock its owner
 * out of their usual office. A success clears only its own pair's count: the other two would
 * otherwise be reset by an attacker holding one valid account. When Redis is away, logins are
 * not throttled rather than refused.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger('LoginThrottle');
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.prefix = `${config.get('QUEUE_PREFIX', { infer: true })}:login`;
  }

  async assertAllowed(ip: string, username: string): Promise<void> {
    const keys = this.keys(ip, username);
    const read = this.redis.pipeline();
    for (const key of [keys.pair, keys.address, keys.username]) read.get(key).ttl(key);
    read.exists(keys.known);
    const replies = await this.tolerant(async () => (await read.exec())?.map(([error, value]) => (error ? null : value)), undefined);
    if (!replies) return;
    const [pair, pairTtl, address, addressTtl, user, userTtl, known] = replies.map(Number);
    if (pair >= LOGIN_FAILURES_ALLOWED) throw locked('Too many failed logins for this username from this address', pairTtl);
    if (address >= ADDRESS_FAILURES_ALLOWED) throw locked('Too many failed logins from this address', addressTtl);
    if (user >= USERNAME_FAILURES_ALLOWED && known !== 1) {
      throw locked('Too many failed logins for this username; it is open only to addresses it signed in from before', userTtl);
    }
  }

  async recordFailure(ip: string, username: string): Promise<void> {
    const keys = this.keys(ip, username);
    const write = this.redis.multi();
    for (const key of [keys.pair, keys.address, keys.username]) write.incr(key).expire(key, LOGIN_LOCK_SECONDS, 'NX');
    await this.tolerant(() => write.exec(), null);
  }

  async recordSuccess(ip: string, username: string): Promise<void> {
    const keys = this.keys(ip, username);
    await this.tolerant(() => this.redis.multi().del(keys.pair).set(keys.known, '1', 'EX', KNOWN_ADDRESS_SECONDS).exec(), null);
  }

  private keys(ip: string, username: string) {
    const name = username.toLowerCase();
    return {
      pair: `${this.prefix}:failures:pair:${ip}|${name}`,
      address: `${this.prefix}:failures:address:${ip}`,
      username: `${this.prefix}:failures:username:${name}`,
      known: `${this.prefix}:known:${name}|${ip}`,
    };
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

function locked(reason: string, ttl: number): DomainError {
  const seconds = Math.max(ttl, 1);
  return new DomainError('too_many_requests', `${reason}; retry in ${seconds} seconds`, { retryAfterSeconds: seconds });
}
