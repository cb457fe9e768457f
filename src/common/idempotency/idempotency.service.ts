import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { isDependencyUnavailable } from '../errors/dependency-unavailable';
import { DomainError } from '../errors/domain-error';
import { IdempotencyKey } from './idempotency-key.entity';

/** How long a key is remembered; after that the same key starts afresh. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

export interface IdempotencyScope {
  userId: string;
  key: string;
}

export interface IdempotencyRequest extends IdempotencyScope {
  route: string;
  requestHash: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** Claiming twice in a row can only miss when the first holder released the key in between. */
const CLAIM_ATTEMPTS = 3;
/**
 * Retries of a key's completion or release while Postgres is away: 0.5 s doubling to 2 s, for
 * about 10 minutes. Until then the key answers "in progress", so the cap is how long clients
 * wait after Postgres is back; a retry that fails costs one refused connection.
 */
const SETTLE_FIRST_DELAY_MS = 500;
const SETTLE_MAX_DELAY_MS = 2_000;
const SETTLE_GIVE_UP_MS = 10 * 60_000;

@Injectable()
export class IdempotencyService implements OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private readonly pendingRetries = new Set<NodeJS.Timeout>();

  constructor(@InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>) {}

  /**
   * Claims the key for this request (null: go ahead and run it), or returns the response the
   * first request with this key answered. The primary key (user_id, key) makes the claim
   * atomic across API processes.
   */
  async claim(request: IdempotencyRequest): Promise<StoredResponse | null> {
    const { userId, key, route, requestHash } = request;
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const claimToken = randomUUID();
      // A key older than the retention period is claimed afresh, in the same statement.
      const claimed: unknown[] = await this.settleOnLoss({ userId, key }, claimToken, () =>
        this.keys.query(
          `INSERT INTO idempotency_keys (user_id, key, route, request_hash, claim_token) VALUES ($1, $2, $3, $4, $6)
           ON CONFLICT (user_id, key) DO UPDATE
             SET route = EXCLUDED.route, request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token,
                 response_status = NULL, response_body = NULL, created_at = now()
             WHERE idempotency_keys.created_at < now() - make_interval(hours => $5)
           RETURNING key`,
          [userId, key, route, requestHash, IDEMPOTENCY_RETENTION_HOURS, claimToken],
        ),
      );
      if (claimed.length > 0) return null;

      const first = await this.keys.findOneBy({ userId, key });
      if (!first) continue;
      if (first.route !== route || first.requestHash !== requestHash) {
        throw new DomainError(
          'idempotency_key_reused',
          `Idempotency-Key ${key} was first used with another request; use a new key for a new request`,
        );
      }
      if (first.responseStatus === null) {
        throw new DomainError('idempotency_in_progress', 'The first request with this Idempotency-Key is still running; retry shortly');
      }
      return { status: first.responseStatus, body: first.responseBody };
    }
    throw new DomainError('idempotency_in_progress', 'Another request with this Idempotency-Key is running; retry shortly');
  }

  /**
   * Remembers the answer so a retry replays it. The work is already committed: if Postgres
   * went away meanwhile the answer is still given, and stored as soon as Postgres is back.
   */
  async complete(scope: IdempotencyScope, response: StoredResponse): Promise<void> {
    await this.settle(scope, 'store the response of', () =>
      this.keys.query('UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE user_id = $1 AND key = $2', [
        scope.userId,
        scope.key,
        response.status,
        JSON.stringify(response.body ?? null),
      ]),
    );
  }

  /**
   * Frees the key after a failed request, so the client's retry runs for real. When the
   * failure was Postgres going away, this is retried until it is back: otherwise the key would
   * answer "in progress" to every retry for the whole retention period.
   */
  async release(scope: IdempotencyScope): Promise<void> {
    await this.settle(scope, 'release', () => this.keys.delete({ ...scope, responseStatus: IsNull() }));
  }

  /**
   * Runs a claim. When Postgres goes away during it, the claim may have committed without
   * anyone hearing so: that claim (and only it, by its token) is released once Postgres is
   * back, else the key would answer "in progress" to every retry for the whole retention period.
   */
  private async settleOnLoss<T>(scope: IdempotencyScope, claimToken: string, claim: () => Promise<T>): Promise<T> {
    try {
      return await claim();
    } catch (error) {
      if (isDependencyUnavailable(error)) {
        const releaseThisClaim = () =>
          this.keys.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND claim_token = $3 AND response_status IS NULL', [
            scope.userId,
            scope.key,
            claimToken,
          ]);
        this.retryLater(scope, 'release a lost claim of', releaseThisClaim, SETTLE_FIRST_DELAY_MS, Date.now() + SETTLE_GIVE_UP_MS);
      }
      throw error;
    }
  }

  onApplicationShutdown(): void {
    for (const timer of this.pendingRetries) clearTimeout(timer);
    if (this.pendingRetries.size > 0) this.logger.warn(`${this.pendingRetries.size} Idempotency-Keys left unsettled at shutdown`);
    this.pendingRetries.clear();
  }

  /** Runs `write` now; if Postgres is unreachable, keeps retrying it in the background instead of failing. */
  private async settle(scope: IdempotencyScope, what: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isDependencyUnavailable(error)) throw error;
      this.retryLater(scope, what, write, SETTLE_FIRST_DELAY_MS, Date.now() + SETTLE_GIVE_UP_MS);
    }
  }

  private retryLater(scope: IdempotencyScope, what: string, write: () => Promise<unknown>, delayMs: number, giveUpAt: number): void {
    const timer = setTimeout(() => {
      this.pendingRetries.delete(timer);
      write().catch((error: unknown) => {
        if (isDependencyUnavailable(error) && Date.now() + delayMs < giveUpAt) {
          this.retryLater(scope, what, write, Math.min(delayMs * 2, SETTLE_MAX_DELAY_MS), giveUpAt);
        } else {
          this.logger.error(`Could not ${what} Idempotency-Key ${scope.key} of user ${scope.userId}: ${String(error)}`);
        }
      });
    }, delayMs);
    timer.unref();
    this.pendingRetries.add(timer);
  }
}
