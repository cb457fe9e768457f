import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'antd';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useMe } from '../api/queries';
import { currentToken, setToken } from '../api/session';
import { labelOf, ROLE_LABELS } from '../lib/labels';
import { useNotificationStream } from '../lib/use-notification-stream';
import { NotificationBell } from './NotificationBell';

/** The signed-in frame: header (name, role, nav, bell, sign-out) around every page but sign-in. */
export function AppLayout() {
  const location = useLocation();
  const token = currentToken();
  if (!token) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <SignedIn token={token} />;
}

function SignedIn({ token }: { token: string }) {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useNotificationStream(token);

  function signOut() {
    setToken(null);
    queryClient.clear();
    navigate('/login', { replace: true });
  }

  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar-row">
          <NavLink to="/" className="brand">
            企业诉求服务平台
          </NavLink>
          <nav className="mainnav" aria-label="主导航">
            <NavLink to="/" end>
              我的待办
            </NavLink>
            <NavLink to="/inbox">消息</NavLink>
          </nav>
          <div className="topbar-user">
            <NotificationBell />
            {me.data && (
              <span className="who" data-testid="current-user">
                <span className="who-name">{me.data.displayName}</span>
                <span className="who-role">{labelOf(ROLE_LABELS, me.data.role)}</span>
              </span>
            )}
            <Button size="small" onClick={signOut}>
              退出
            </Button>
          </div>
        </div>
      </header>
      {/* The page does not wait for /me: only the header needs it. */}
      <main className="page">
        <Outlet />
      </main>
    </div>
  );
}
