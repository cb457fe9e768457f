import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../errors/domain-error';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Where a page ended: the sort timestamp in microseconds since the epoch (exact, unlike a JS Date) and the id. */
export interface CursorKey {
  micros: string;
  id: string;
}

const MICROS = /^-?\d{1,17}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.micros, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (Array.isArray(decoded) && decoded.length === 2) {
    const [micros, id] = decoded as unknown[];
    if (typeof micros === 'string' && MICROS.test(micros) && typeof id === 'string' && UUID.test(id)) {
      return { micros, id };
    }
  }
  const message = 'cursor must be a nextCursor returned by this list';
  throw new DomainError('validation_failed', message, { errors: [{ field: 'cursor', message }] });
}

export interface KeysetOptions {
  /** The query's main alias; the table must have an `id` column. */
  alias: string;
  /** The timestamptz sort column in SQL (`created_at`) and as entity property (`createdAt`). */
  column: string;
  property: string;
  /** The sort key as SQL when it is more than the column (a coalesce that puts nulls last); still a timestamptz. */
  sortSql?: string;
  descending: boolean;
  cursor?: string;
  limit: number;
}

/**
 * One page of a query ordered by (timestamp, id). The cursor holds the last row's key, so rows
 * inserted or removed meanwhile never make a page repeat or skip one.
 */
export async function keysetPage<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  options: KeysetOptions,
): Promise<Page<T>> {
  const { alias, property, descending, limit } = options;
  const direction = descending ? 'DESC' : 'ASC';
  if (options.cursor !== undefined) whereAfterKey(query, options, decodeCursor(options.cursor));
  const { entities, raw } = await query
    .addSelect(cursorMicrosSql(options), 'cursor_micros')
    .orderBy(options.sortSql ?? `${alias}.${property}`, direction)
    .addOrderBy(`${alias}.id`, direction)
    .limit(limit + 1)
    .getRawAndEntities<{ cursor_micros: string }>();
  if (entities.length <= limit) return { items: entities, nextCursor: null };
  const items = entities.slice(0, limit);
  return { items, nextCursor: encodeCursor({ micros: String(raw[limit - 1].cursor_micros), id: items[limit - 1].id }) };
}

/** The sort timestamp as exact microseconds, to select as a row's key (a JS Date would drop them). */
export function cursorMicrosSql(options: Pick<KeysetOptions, 'alias' | 'column' | 'sortSql'>): string {
  return `CAST(extract(epoch FROM ${sortKey(options)}) * 1000000 AS bigint)`;
}

const sortKey = (options: Pick<KeysetOptions, 'alias' | 'column' | 'sortSql'>) => options.sortSql ?? `${options.alias}.${options.column}`;

/** Rows strictly after `key` in the (timestamp, id) order. */
export function whereAfterKey<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  options: Pick<KeysetOptions, 'alias' | 'column' | 'sortSql' | 'descending'>,
  key: CursorKey,
): SelectQueryBuilder<T> {
  const { alias, descending } = options;
  return query.andWhere(
    `(${sortKey(options)}, ${alias}.id) ${descending ? '<' : '>'}
     (CAST('epoch' AS timestamptz) + CAST(:cursorMicros AS bigint) * interval '1 microsecond', CAST(:cursorId AS uuid))`,
    { cursorMicros: key.micros, cursorId: key.id },
  );
}
