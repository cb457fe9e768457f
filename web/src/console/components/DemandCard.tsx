import { Card, Descriptions } from 'antd';
import type { Ticket } from '../api/client';
import { CATEGORY_LABELS, CHANNEL_LABELS, labelOf } from '../lib/labels';
import { shortTime } from '../lib/ticket-diff';
import { AttachmentLinks } from './AttachmentLinks';

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
        <Descriptions.Item label="附件" span={2}>
          <AttachmentLinks attachments={ticket.attachments} />
        </Descriptions.Item>
        {ticket.resolution && (
          <Descriptions.Item label="办理情况" span={2}>
            <div className="resolution">{ticket.resolution}</div>
            {ticket.resolutionAttachments.length > 0 && <AttachmentLinks attachments={ticket.resolutionAttachments} />}
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
