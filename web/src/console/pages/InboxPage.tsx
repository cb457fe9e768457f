import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Empty, List, Segmented, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { keys } from '../api/queries';
import { chineseTitle, labelOf, NOTIFICATION_LABELS } from '../lib/labels';
import { notificationText } from '../lib/notification-text';
import { shortTime } from '../lib/ticket-diff';

/** 消息: my notifications, newest first, live; opening one marks it read. */
export function InboxPage() {
  const queryClient = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const inbox = useInfiniteQuery({
    queryKey: [...keys.notifications, 'list', unreadOnly],
    queryFn: async ({ pageParam }) => unwrap(await api.GET('/api/v1/notifications', { params: { query: { cursor: pageParam, limit: 30, unread: unreadOnly || undefined } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.notifications });
  const markRead = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSettled: refresh,
  });
  const readAll = useMutation({ mutationFn: async () => unwrap(await api.POST('/api/v1/notifications/read-all')), onSettled: refresh });
  const items = inbox.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="inbox-page">
      <div className="inbox-head">
        <h1 className="page-title">消息</h1>
        <Segmented
          aria-label="显示"
          options={[
            { value: 'all', label: '全部' },
            { value: 'unread', label: '未读' },
          ]}
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(value) => setUnreadOnly(value === 'unread')}
        />
        <Button onClick={() => readAll.mutate()} loading={readAll.isPending}>
          全部标为已读
        </Button>
      </div>
      {items.length === 0 && !inbox.isPending ? (
        <Empty description="暂无消息" />
      ) : (
        <List
          className="inbox-list"
          loading={inbox.isPending}
          dataSource={items}
          renderItem={(n) => (
            <List.Item
              className={n.readAt ? 'inbox-item' : 'inbox-item inbox-unread'}
              actions={n.readAt ? [] : [<Button key="read" size="small" type="link" onClick={() => markRead.mutate(n.id)}>标为已读</Button>]}
            >
              <List.Item.Meta
                title={
                  <span className="inbox-title">
                    <Tag color={n.readAt ? 'default' : 'blue'}>{labelOf(NOTIFICATION_LABELS, n.type)}</Tag>
                    {n.ticketId ? (
                      <Link to={`/tickets/${n.ticketId}`} onClick={() => !n.readAt && markRead.mutate(n.id)}>
                        {chineseTitle(n.title)}
                      </Link>
                    ) : (
                      chineseTitle(n.title)
                    )}
                  </span>
                }
                description={
                  <>
                    <span className="inbox-body">{notificationText(n)}</span>
                    <time className="inbox-time">{shortTime(n.createdAt)}</time>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {inbox.hasNextPage && (
        <div className="queue-more">
          <Button onClick={() => void inbox.fetchNextPage()} loading={inbox.isFetchingNextPage}>
            加载更多
          </Button>
        </div>
      )}
    </div>
  );
}
