import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Breadcrumb, Spin, Tag } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, type Ticket, unwrap } from '../api/client';
import { keys } from '../api/queries';
import { type ActionInput, performAction } from '../api/ticket-actions';
import { ActionDialog } from '../components/ActionDialog';
import { ConflictNotice } from '../components/ConflictNotice';
import { DeadlineLine } from '../components/DeadlineLine';
import { DemandCard } from '../components/DemandCard';
import { EnterpriseCard } from '../components/EnterpriseCard';
import { SurveyRounds } from '../components/SurveyRounds';
import { TicketActions } from '../components/TicketActions';
import { TicketTimeline } from '../components/TicketTimeline';
import { TierTag } from '../components/TierTag';
import { TimeLeft } from '../components/TimeLeft';
import { ACTION_LABELS, labelOf, STATUS_LABELS, type TicketAction } from '../lib/labels';
import { type Change, ticketChanges } from '../lib/ticket-diff';

async function fetchTicket(id: string): Promise<Ticket> {
  return unwrap(await api.GET('/api/v1/tickets/{id}', { params: { path: { id } } }));
}

/** One demand: what was asked, by whom, its deadlines, its history, and what I may do now. */
export function TicketPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [action, setAction] = useState<TicketAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<{ changes: Change[]; fresh: Ticket } | null>(null);

  // While a conflict is shown the page keeps the version it held: the reload is the user's choice.
  const ticket = useQuery({ queryKey: keys.ticket(id), queryFn: () => fetchTicket(id), enabled: conflict === null });
  const timeline = useQuery({
    queryKey: [...keys.ticket(id), 'timeline'],
    queryFn: async () => unwrap(await api.GET('/api/v1/tickets/{id}/timeline', { params: { path: { id } } })),
  });

  async function act(input: ActionInput) {
    if (!ticket.data || !action) return;
    const held = ticket.data;
    setBusy(true);
    try {
      const updated = await performAction(held, action, input);
      queryClient.setQueryData(keys.ticket(id), updated);
      void queryClient.invalidateQueries({ queryKey: keys.ticket(id) });
      void queryClient.invalidateQueries({ queryKey: keys.queue });
      void queryClient.invalidateQueries({ queryKey: keys.counts });
      message.success(`已${ACTION_LABELS[action]}`);
      setAction(null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.problem?.code === 'version_conflict') {
        const fresh = await fetchTicket(id);
        setConflict({ changes: ticketChanges(held, fresh), fresh });
        setAction(null);
      } else {
        message.error(error instanceof ApiError ? `操作未完成：${error.message}` : '网络连接失败，操作未提交，请重试。');
      }
    } finally {
      setBusy(false);
    }
  }

  function reload() {
    if (conflict) queryClient.setQueryData(keys.ticket(id), conflict.fresh);
    setConflict(null);
    void queryClient.invalidateQueries({ queryKey: keys.ticket(id) });
  }

  if (ticket.isPending) return <Spin className="page-spin" />;
  if (ticket.isError || !ticket.data) {
    const missing = ticket.error instanceof ApiError && ticket.error.status === 404;
    return <Alert type="error" showIcon title={missing ? '找不到该诉求，或您无权查看。' : '诉求加载失败，请刷新重试。'} />;
  }
  const t = ticket.data;

  return (
    <div className="ticket-page" data-version={t.version}>
      <Breadcrumb items={[{ title: <Link to="/">我的待办</Link> }, { title: t.number }]} />
      <header className="ticket-head">
        <h1 className="page-title">{t.title}</h1>
        <div className="ticket-tags">
          <TierTag tier={t.tier} />
          <Tag data-testid="ticket-status">
            {labelOf(STATUS_LABELS, t.status)}
          </Tag>
          <TimeLeft ticket={t} />
          <span className="muted">
            {t.departmentName ?? '待转派'} · {t.owner.users.map((u) => u.displayName).join('、') || '暂无责任人'}
          </span>
        </div>
      </header>
      {conflict && <ConflictNotice changes={conflict.changes} onReload={reload} />}
      {!conflict && <TicketActions ticket={t} onPick={setAction} />}
      <div className="ticket-grid">
        <div className="ticket-main">
          <DemandCard ticket={t} />
          <DeadlineLine ticket={t} events={timeline.data ?? []} />
          <TicketTimeline events={timeline.data ?? []} />
        </div>
        <aside className="ticket-side">
          <EnterpriseCard ticket={t} />
          <SurveyRounds ticketId={t.id} />
        </aside>
      </div>
      {action && <ActionDialog action={action} busy={busy} onSubmit={(input) => void act(input)} onCancel={() => setAction(null)} />}
    </div>
  );
}
