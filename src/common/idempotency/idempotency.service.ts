import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
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

@Injectable()
export class IdempotencyService {
  constructor(@InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>) {}

  /**
   * Claims the key for this request (null: go ahead and run it), or returns the response the
   * first request with this key answered. The primary key (user_id, key) makes the claim
   * atomic across API processes.
   */
  async claim(request: IdempotencyRequest): Promise<StoredResponse | null> {
    const { userId, key, route, requestHash } = request;
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      // A key older than the retention period is claimed afresh, in the same statement.
      const claimed: unknown[] = await this.keys.query(
        `INSERT INTO idempotency_keys (user_id, key, route, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, key) DO UPDATE
           SET route = EXCLUDED.route, request_hash = EXCLUDED.request_hash,
               response_status = NULL, response_body = NULL, created_at = now()
           WHERE idempotency_keys.created_at < now() - make_interval(hours => $5)
         RETURNING key`,
        [userId, key, route, requestHash, IDEMPOTENCY_RETENTION_HOURS],
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

  /** Remembers the answer so a retry replays it. */
  async complete(scope: IdempotencyScope, response: StoredResponse): Promise<void> {
    await this.keys.query(
      'UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE user_id = $1 AND key = $2',
      [scope.userId, scope.key, response.status, JSON.stringify(response.body ?? null)],
    );
  }

  /** Frees the key after a failed request, so the client's retry runs for real. */
  async release(scope: IdempotencyScope): Promise<void> {
    await this.keys.delete({ ...scope, responseStatus: IsNull() });
  }
}
