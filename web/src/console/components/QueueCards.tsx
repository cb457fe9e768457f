import { Empty, Spin, Tag } from 'antd';
import { Link } from 'react-router';
import type { Ticket } from '../api/client';
import { CATEGORY_LABELS, labelOf, STATUS_LABELS } from '../lib/labels';
import { TierTag } from './TierTag';
import { TimeLeft, urgencyOf } from './TimeLeft';

/** The queue on a phone: one card per demand, the whole card a link. */
export function QueueCards({ tickets, loading }: { tickets: Ticket[]; loading: boolean }) {
  if (loading && tickets.length === 0) return <Spin className="page-spin" />;
  if (tickets.length === 0) return <Empty description="暂无待办诉求" />;
  return (
    <ul className="queue-cards">
      {tickets.map((t) => (
        <li key={t.id} className={`queue-card card-${urgencyOf(t)}`}>
          <Link to={`/tickets/${t.id}`} className="queue-card-link">
            <div className="queue-card-top">
              <TierTag tier={t.tier} />
              <span className="queue-card-number">{t.number}</span>
              <TimeLeft ticket={t} />
            </div>
            <div className="queue-card-title">{t.title}</div>
            <div className="queue-card-meta">
              <span>{t.enterpriseName}</span>
              <span>{t.departmentName ?? '待转派'}</span>
            </div>
            <div className="queue-card-meta">
              <Tag variant="filled">{labelOf(STATUS_LABELS, t.status)}</Tag>
              <span>{labelOf(CATEGORY_LABELS, t.category)}</span>
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}
