import type { paths } from '../../../../clients/api';

export type QueueQuery = NonNullable<paths['/api/v1/tickets/queue']['get']['parameters']['query']>;
export type QueueView = NonNullable<QueueQuery['view']>;
export type QueueFilters = Omit<QueueQuery, 'view' | 'cursor' | 'limit'>;

export const VIEWS: { key: QueueView; label: string; count: 'open' | 'warned' | 'overdue' | 'awaitingSurvey' | 'handled' }[] = [
  { key: 'open', label: '待处理', count: 'open' },
  { key: 'warned', label: '已预警', count: 'warned' },
  { key: 'overdue', label: '已超期', count: 'overdue' },
  { key: 'awaiting_survey', label: '待评价', count: 'awaitingSurvey' },
  { key: 'handled', label: '我经手的', count: 'handled' },
];

const FILTER_KEYS = ['status', 'tier', 'category', 'enterpriseId', 'departmentId', 'q'] as const;

/** The view and filters live in the URL, so a reload or a return from sign-in keeps them. */
export function readQueueParams(params: URLSearchParams): { view: QueueView; filters: QueueFilters } {
  const view = VIEWS.some((v) => v.key === params.get('view')) ? (params.get('view') as QueueView) : 'open';
  const filters: Record<string, string | number> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = key === 'tier' ? Number(value) : value;
  }
  return { view, filters: filters as QueueFilters };
}

export function writeQueueParams(view: QueueView, filters: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (view !== 'open') params.set('view', view);
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return params;
}
