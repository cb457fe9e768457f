import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Tag } from 'antd';
import { api, type Ticket, unwrap } from '../api/client';
import { useUsers } from '../api/queries';
import { CHANNEL_LABELS, labelOf } from '../lib/labels';
import { shortTime } from '../lib/ticket-diff';

/** The enterprise, its paired leader (包联领导) and the engagement the demand was raised at. */
export function EnterpriseCard({ ticket }: { ticket: Ticket }) {
  const enterprise = useQuery({
    queryKey: ['enterprise', ticket.enterpriseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/enterprises/{id}', { params: { path: { id: ticket.enterpriseId } } })),
    staleTime: 5 * 60_000,
  });
  const engagement = useQuery({
    queryKey: ['engagement', ticket.engagementId],
    queryFn: async () => unwrap(await api.GET('/api/v1/engagements/{id}', { params: { path: { id: ticket.engagementId! } } })),
    enabled: ticket.engagementId !== null,
    staleTime: 5 * 60_000,
  });
  const users = useUsers();
  const leader = ticket.pairedLeaderId ? users.data?.find((u) => u.id === ticket.pairedLeaderId) : undefined;
  const e = enterprise.data;

  return (
    <Card title="企业与来源" size="small" className="section">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label="企业">
          {ticket.enterpriseName}
          {e?.isKey && (
            <Tag className="key-tag">
              重点企业
            </Tag>
          )}
        </Descriptions.Item>
        {e?.park && <Descriptions.Item label="园区">{e.park}</Descriptions.Item>}
        {e && e.contacts.length > 0 && (
          <Descriptions.Item label="联系人">{e.contacts.map((c) => `${c.name} ${c.phone}${c.role ? `（${c.role}）` : ''}`).join('；')}</Descriptions.Item>
        )}
        <Descriptions.Item label="包联领导">{ticket.pairedLeaderId ? (leader?.displayName ?? '…') : '未包联'}</Descriptions.Item>
        <Descriptions.Item label="来源">
          {engagement.data ? (
            <span data-testid="engagement">
              {labelOf(CHANNEL_LABELS, engagement.data.type)} · {shortTime(engagement.data.occurredAt)}
              {engagement.data.place ? ` · ${engagement.data.place}` : ''}
              {engagement.data.tickets.length > 1 ? `（同场另有 ${engagement.data.tickets.length - 1} 项诉求）` : ''}
            </span>
          ) : ticket.engagementId ? (
            '…'
          ) : (
            `${labelOf(CHANNEL_LABELS, ticket.channel)}（直接登记）`
          )}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
