import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Tag } from 'antd';
import { api, unwrap } from '../api/client';
import { keys } from '../api/queries';
import { labelOf, SURVEY_ANSWER_LABELS, SURVEY_CHANNEL_LABELS, SURVEY_STATUS_LABELS } from '../lib/labels';
import { shortTime } from '../lib/ticket-diff';

const ANSWER_COLORS: Record<string, string> = { satisfied: '#237804', basically_satisfied: '#1f5fae', unsatisfied: '#a8071a' };

/** Each follow-up round (回访): when it went out and what the enterprise answered. */
export function SurveyRounds({ ticketId }: { ticketId: string }) {
  const rounds = useQuery({
    queryKey: [...keys.ticket(ticketId), 'surveys'],
    queryFn: async () => unwrap(await api.GET('/api/v1/tickets/{id}/surveys', { params: { path: { id: ticketId } } })),
  });
  return (
    <Card title="回访评价" size="small" className="section">
      {rounds.data?.length ? (
        <ul className="rounds">
          {rounds.data.map((r) => (
            <li key={r.id} className="round">
              <div className="round-head">
                <strong>第 {r.round} 轮</strong>
                <Tag>{labelOf(SURVEY_STATUS_LABELS, r.status)}</Tag>
                {r.answer && <Tag color={ANSWER_COLORS[r.answer]}>{labelOf(SURVEY_ANSWER_LABELS, r.answer)}</Tag>}
              </div>
              <div className="muted">
                发送 {shortTime(r.sentAt)}
                {r.answeredAt && ` · ${labelOf(SURVEY_CHANNEL_LABELS, r.channel)}回复 ${shortTime(r.answeredAt)}`}
              </div>
              {r.comment && <div className="round-comment">“{r.comment}”</div>}
            </li>
          ))}
        </ul>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={rounds.isPending ? '加载中…' : '尚未回访'} />
      )}
    </Card>
  );
}
