import { createHash, randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { IDEMPOTENCY_RETENTION_HOURS, type IdempotencyRequest } from './idempotency.service';

/** What IdempotencyInterceptor leaves on a request it claimed a key for. */
export type ClaimedRequest = { idempotency?: Omit<IdempotencyRequest, 'route'> };

/** The id of one thing a POST creates, named by `parts` (e.g. `'ticket'`, or `'demand', 2`). */
export type CreationIds = (...parts: (string | number)[]) => string;

/** Random ids, as for a request without an Idempotency-Key. */
export const randomIds: CreationIds = () => randomUUID();

/**
 * Whether a row that a derived id already names is this key's own: written within the key's
 * retention, by the first attempt of the request being retried. Past it, the key has started
 * afresh (see IdempotencyService.claim) and the new request needs `randomIds`.
 */
export function writtenUnderThisKey(writtenAt: Date, now: Date): boolean {
  return now.getTime() - writtenAt.getTime() < IDEMPOTENCY_RETENTION_HOURS * 3_600_000;
}

/**
 * A UUID (version 8, RFC 9562) from a SHA-256 of `parts`: the same parts give the same id.
 */
export function derivedUuid(parts: readonly (string | number)[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Ids for what a POST creates. With an Idempotency-Key they are derived from the caller, the
 * key and the body, so a retry whose first attempt committed unseen (Postgres went away before
 * answering, and the key was freed) collides with what that attempt wrote instead of writing
 * it twice; without a key they are random.
 */
export const CreationIds = createParamDecorator((_data: unknown, context: ExecutionContext): CreationIds => {
  const claimed = context.switchToHttp().getRequest<ClaimedRequest>().idempotency;
  if (!claimed) return randomIds;
  return (...parts) => derivedUuid([claimed.userId, claimed.key, claimed.requestHash, ...parts]);
});
