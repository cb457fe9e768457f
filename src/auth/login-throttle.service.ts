import { Injectable } from '@nestjs/common';
import { type FixedWindow, RateLimits } from '../common/rate-limit/fixed-window';

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
 * Counts failed logins in Redis (shared by every API process) three ways, each a fixed window:
 * per address and username, per address, and per username. A username locked by failures from
 * many addresses stays open to the addresses it signed in from before, so an attacker cannot
 * lock its owner out of their usual office. A success clears only its own pair's count: the
 * other two would otherwise be reset by an attacker holding one valid account. When Redis is
 * away, logins are not throttled rather than refused (the windows' own rule).
 */
@Injectable()
export class LoginThrottleService {
  private readonly pairs: FixedWindow;
  private readonly addresses: FixedWindow;
  private readonly usernames: FixedWindow;
  /** One count per successful sign-in of a username from an address: "known" while it lasts. */
  private readonly known: FixedWindow;

  constructor(limits: RateLimits) {
    this.pairs = limits.window({ name: 'login-failures', limit: LOGIN_FAILURES_ALLOWED, windowSeconds: LOGIN_LOCK_SECONDS });
    this.addresses = limits.window({ name: 'login-failures-address', limit: ADDRESS_FAILURES_ALLOWED, windowSeconds: LOGIN_LOCK_SECONDS });
    this.usernames = limits.window({ name: 'login-failures-username', limit: USERNAME_FAILURES_ALLOWED, windowSeconds: LOGIN_LOCK_SECONDS });
    this.known = limits.window({ name: 'login-known', limit: 1, windowSeconds: KNOWN_ADDRESS_SECONDS });
  }

  async assertAllowed(ip: string, username: string): Promise<void> {
    const name = username.toLowerCase();
    const [pair, address, user, isKnown] = await Promise.all([
      this.pairs.refusalFor(`${ip}|${name}`, 'Too many failed logins for this username from this address'),
      this.addresses.refusalFor(ip, 'Too many failed logins from this address'),
      this.usernames.refusalFor(name, 'Too many failed logins for this username; it is open only to addresses it signed in from before'),
      // "Refused" by this window means: signed in from here before.
      this.known.refusalFor(`${name}|${ip}`, 'known'),
    ]);
    const refusal = pair ?? address ?? (isKnown ? null : user);
    if (refusal) throw refusal;
  }

  async recordFailure(ip: string, username: string): Promise<void> {
    const name = username.toLowerCase();
    await Promise.all([this.pairs.record(`${ip}|${name}`), this.addresses.record(ip), this.usernames.record(name)]);
  }

  async recordSuccess(ip: string, username: string): Promise<void> {
    const name = username.toLowerCase();
    await Promise.all([this.pairs.clear(`${ip}|${name}`), this.known.record(`${name}|${ip}`)]);
  }
}
