import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { PageQueryDto } from '../common/pagination/cursor-page-query.dto';
import { DEFAULT_PAGE_SIZE, keysetPage, type Page } from '../common/pagination/keyset';

/** One page of `rows` (aliased `alias`, with a `created_at` column), newest first. */
export function newestFirst<T extends ObjectLiteral & { id: string }>(
  rows: SelectQueryBuilder<T>,
  alias: string,
  page: PageQueryDto,
): Promise<Page<T>> {
  return keysetPage(rows, {
    alias,
    column: 'created_at',
    property: 'createdAt',
    descending: true,
    cursor: page.cursor,
    limit: page.limit ?? DEFAULT_PAGE_SIZE,
  });
}
