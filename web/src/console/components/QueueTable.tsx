import { Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import type { Ticket } from '../api/client';
import { CATEGORY_LABELS, labelOf, STATUS_LABELS } from '../lib/labels';
import { TierTag } from './TierTag';
import { TimeLeft, urgencyOf } from './TimeLeft';

const COLUMNS: ColumnsType<Ticket> = [
  { title: '编号', dataIndex: 'number', width: 150, render: (number: string, t) => <Link to={`/tickets/${t.id}`}>{number}</Link> },
  {
    title: '诉求',
    dataIndex: 'title',
    ellipsis: true,
    render: (title: string, t) => (
      <Link to={`/tickets/${t.id}`} className="queue-title">
        {title}
      </Link>
    ),
  },
  { title: '企业', dataIndex: 'enterpriseName', ellipsis: true, width: 210 },
  { title: '承办部门', dataIndex: 'departmentName', width: 150, ellipsis: true, render: (name: string | null) => name ?? <span className="muted">待转派</span> },
  { title: '类别', dataIndex: 'category', width: 84, render: (c: string) => labelOf(CATEGORY_LABELS, c) },
  { title: '层级', dataIndex: 'tier', width: 70, render: (tier: 1 | 2 | 3) => <TierTag tier={tier} /> },
  { title: '状态', dataIndex: 'status', width: 104, render: (s: string) => <Tag variant="filled">{labelOf(STATUS_LABELS, s)}</Tag> },
  { title: '办理时限', key: 'left', width: 190, render: (_: unknown, t) => <TimeLeft ticket={t} /> },
];

/** The queue on a desktop: one dense row per demand, coloured by urgency. */
export function QueueTable({ tickets, loading }: { tickets: Ticket[]; loading: boolean }) {
  return (
    <Table<Ticket>
      className="queue-table"
      rowKey="id"
      size="small"
      columns={COLUMNS}
      dataSource={tickets}
      loading={loading}
      pagination={false}
      rowClassName={(t) => `row-${urgencyOf(t)}`}
      locale={{ emptyText: '暂无待办诉求' }}
    />
  );
}
