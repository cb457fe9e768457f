import { Injectable } from '@nestjs/common';
import { type FixedWindow, RateLimits } from '../common/rate-limit/fixed-window';

export const LOGIN_FAILURES_ALLOWED = 5;
export const LOGIN_LOCK_SECONDS = 15 * 60;

/**
 * Counts failed logins per client address and username in Redis (shared by every API
 * process). Successful logins clear the count; one user cannot lock out a shared office IP.
 * When Redis is away, logins are not throttled rather than refused.
 */
@Injectable()
export class LoginThrottleService {
  private readonly failures: FixedWindow;

  constructor(limits: RateLimits) {
    this.failures = limits.window({ name: 'login-failures', limit: LOGIN_FAILURES_ALLOWED, windowSeconds: LOGIN_LOCK_SECONDS });
  }

  assertAllowed(ip: string, username: string): Promise<void> {
    return this.failures.assertAllowed(this.key(ip, username), 'Too many failed logins');
  }

  async recordFailure(ip: string, username: string): Promise<void> {
    await this.failures.record(this.key(ip, username));
  }

  clear(ip: string, username: string): Promise<void> {
    return this.failures.clear(this.key(ip, username));
  }

  private key(ip: string, username: string): string {
    return `${ip}|${username.toLowerCase()}`;
  }
}
