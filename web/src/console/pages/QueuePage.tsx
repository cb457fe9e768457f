import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Grid, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { countsQuery, queueQuery } from '../api/queue-queries';
import { QueueCards } from '../components/QueueCards';
import { QueueFilterBar } from '../components/QueueFilterBar';
import { QueueTable } from '../components/QueueTable';
import { type QueueFilters, type QueueView, readQueueParams, VIEWS, writeQueueParams } from '../lib/queue-filters';

/** 我的待办: the tickets I own, by deadline, in tabs with counts. */
export function QueuePage() {
  const [params, setParams] = useSearchParams();
  const { view, filters } = readQueueParams(params);
  const desktop = Grid.useBreakpoint().md ?? true;

  const counts = useQuery(countsQuery(filters));
  const queue = useInfiniteQuery(queueQuery(view, filters));

  const tickets = queue.data?.pages.flatMap((page) => page.items) ?? [];
  const ready = queue.isSuccess && !queue.isPlaceholderData;
  const go = (nextView: QueueView, nextFilters: QueueFilters) => setParams(writeQueueParams(nextView, nextFilters), { replace: true });

  return (
    <div className="queue-page" data-queue-ready={ready ? 'true' : undefined}>
      <h1 className="page-title">我的待办</h1>
      <Tabs
        className="queue-tabs"
        activeKey={view}
        onChange={(key) => go(key as QueueView, filters)}
        items={VIEWS.map((v) => ({
          key: v.key,
          label: (
            <span className="tab-label" data-testid={`tab-${v.key}`}>
              <span>{v.label}</span>
              <span className={`tab-count${v.key === 'overdue' && counts.data?.overdue ? ' tab-count-alert' : ''}`}>{counts.data?.[v.count] ?? '·'}</span>
            </span>
          ),
        }))}
      />
      <QueueFilterBar filters={filters} onChange={(next) => go(view, next)} />
      {queue.isError && <Alert type="error" showIcon title="待办列表加载失败" description={queue.error.message} />}
      <div data-testid="queue-table" className="queue-list">
        {desktop ? <QueueTable tickets={tickets} loading={queue.isPending || queue.isPlaceholderData} /> : <QueueCards tickets={tickets} loading={queue.isPending} />}
      </div>
      <div className="queue-more">
        {queue.hasNextPage ? (
          <Button onClick={() => void queue.fetchNextPage()} loading={queue.isFetchingNextPage}>
            加载更多
          </Button>
        ) : (
          tickets.length > 0 && <span className="muted">已显示全部 {tickets.length} 条</span>
        )}
      </div>
    </div>
  );
}
