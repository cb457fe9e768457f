import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { ApiError, handleUnauthorized } from './api/client';
import { AppLayout } from './components/AppLayout';
import { InboxPage } from './pages/InboxPage';
import { QueuePage } from './pages/QueuePage';
import { SignInPage } from './pages/SignInPage';
import { TicketPage } from './pages/TicketPage';

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
      { index: true, element: <QueuePage /> },
      { path: 'tickets/:id', element: <TicketPage /> },
      { path: 'inbox', element: <InboxPage /> },
    ],
  },
]);

/** The session ended (revoked, expired): sign in again, then come back here. */
handleUnauthorized(() => {
  const { pathname, search } = window.location;
  if (pathname === '/login') return;
  queryClient.clear();
  void router.navigate(`/login?next=${encodeURIComponent(pathname + search)}&expired=1`, { replace: true });
});

/** Government-office look: a sober blue, compact on desktop. */
const THEME = { token: { colorPrimary: '#1f5fae', borderRadius: 4, fontFamily: "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif" } };

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={THEME}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
