import { BellOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { Link } from 'react-router';
import { useUnreadCount } from '../api/queries';

/** The bell: unread notifications, kept current by the live stream. */
export function NotificationBell() {
  const unread = useUnreadCount();
  const count = unread.data ?? 0;
  return (
    <Link to="/inbox" className="bell" aria-label={`消息，${count} 条未读`} data-testid="bell" data-unread={count}>
      <Badge count={count} size="small" overflowCount={99}>
        <BellOutlined className="bell-icon" />
      </Badge>
    </Link>
  );
}
