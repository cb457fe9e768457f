import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { QueueFilters, QueueView } from '../lib/queue-filters';
import { api, unwrap } from './client';
import { keys } from './queries';

/** Rows per page: one screen on a desktop; more come with 加载更多, never the whole queue. */
const PAGE_SIZE = 30;

/**
 * One view of 我的待办 in keyset pages: refetching after a notification asks again with the
 * same cursors, so rows whose deadline did not change neither repeat nor vanish.
 */
export const queueQuery = (view: QueueView, filters: QueueFilters) =>
  infiniteQueryOptions({
    queryKey: [...keys.queue, view, filters],
    queryFn: async ({ pageParam }) => unwrap(await api.GET('/api/v1/tickets/queue', { params: { query: { ...filters, view, limit: PAGE_SIZE, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

/** The tabs' counts under the same filters. */
export const countsQuery = (filters: QueueFilters) =>
  queryOptions({
    queryKey: [...keys.counts, filters],
    queryFn: async () => unwrap(await api.GET('/api/v1/tickets/queue/counts', { params: { query: filters } })),
    placeholderData: keepPreviousData,
  });
