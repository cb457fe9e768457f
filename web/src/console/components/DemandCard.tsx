import { Card, Descriptions } from 'antd';
import type { Ticket } from '../api/client';
import { CATEGORY_LABELS, CHANNEL_LABELS, labelOf } from '../lib/labels';
import { shortTime } from '../lib/ticket-diff';

/** The demand as the enterprise raised it. */
export function DemandCard({ ticket }: { ticket: Ticket }) {
  return (
    <Card title="诉求内容" size="small" className="section">
      <p className="demand-text">{ticket.description || '（未填写详细描述）'}</p>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label="诉求编号">{ticket.number}</Descriptions.Item>
        <Descriptions.Item label="类别">{labelOf(CATEGORY_LABELS, ticket.category)}</Descriptions.Item>
        <Descriptions.Item label="来源渠道">{labelOf(CHANNEL_LABELS, ticket.channel)}</Descriptions.Item>
        <Descriptions.Item label="登记时间">{shortTime(ticket.createdAt)}</Descriptions.Item>
        {ticket.resolution && (
          <Descriptions.Item label="办理情况" span={2}>
            {ticket.resolution}
          </Descriptions.Item>
        )}
        <Descriptions.Item label="附件" span={2}>
          {ticket.attachments.length === 0 ? (
            '无'
          ) : (
            <ul className="attachments">
              {ticket.attachments.map((a) => (
                <li key={`${a.name}-${a.url ?? ''}`}>
                  {a.url ? (
                    <a href={a.url} target="_blank" rel="noreferrer noopener">
                      {a.name}
                    </a>
                  ) : (
                    a.name
                  )}
                </li>
              ))}
            </ul>
          )}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
