import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { ApiError, handleUnauthorized } from './api/client';
import { countsQuery, queueQuery } from './api/queue-queries';
import { currentToken } from './api/session';
import { AppLayout } from './components/AppLayout';
import { PageLoading } from './components/PageLoading';
import { readQueueParams } from './lib/queue-filters';
import { SignInPage } from './pages/SignInPage';

// Each page loads with its own components (the table, the date picker…): the first load stays small.
const queuePage = () => import('./pages/QueuePage');
const QueuePage = lazy(() => queuePage().then((m) => ({ default: m.QueuePage })));
const TicketPage = lazy(() => import('./pages/TicketPage').then((m) => ({ default: m.TicketPage })));
const InboxPage = lazy(() => import('./pages/InboxPage').then((m) => ({ default: m.InboxPage })));
const page = (element: ReactNode) => <Suspense fallback={<PageLoading />}>{element}</Suspense>;

dayjs.locale('zh-cn');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 401 already sent the user to sign in, and a 4xx will not change by asking again.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

const router = createBrowserRouter([
  { path: '/login', element: <SignInPage /> },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: page(<QueuePage />) },
      { path: 'tickets/:id', element: page(<TicketPage />) },
      { path: 'inbox', element: page(<InboxPage />) },
    ],
  },
]);

// Landing on 我的待办 signed in: its code and its first page of data are asked for at once,
// side by side, not one after the other.
if (currentToken() && window.location.pathname === '/') {
  void queuePage();
  const { view, filters } = readQueueParams(new URLSearchParams(window.location.search));
  void queryClient.prefetchInfiniteQuery(queueQuery(view, filters));
  void queryClient.prefetchQuery(countsQuery(filters));
}

/** The session ended (revoked, expired): sign in again, then come back here. */
handleUnauthorized(() => {
  const { pathname, search } = window.location;
  if (pathname === '/login') return;
  queryClient.clear();
  void router.navigate(`/login?next=${encodeURIComponent(pathname + search)}&expired=1`, { replace: true });
});

/**
 * Government-office look: a sober blue, compact on desktop. Secondary text is darker than
 * antd's default (45 % black), which fails WCAG AA contrast on white; so is the hovered and
 * pressed primary (antd derives a lighter one), which a phone keeps after a tap.
 */
const THEME = {
  token: {
    colorPrimary: '#1f5fae',
    colorPrimaryHover: '#2b6cb8',
    colorPrimaryActive: '#184d8f',
    colorLink: '#1f5fae',
    colorInfo: '#1f5fae',
    borderRadius: 4,
    colorTextDescription: '#5c6b7a',
    colorTextTertiary: '#5c6b7a',
    colorTextPlaceholder: '#66727f',
    fontFamily: "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
  },
};

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
