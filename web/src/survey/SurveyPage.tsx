import { type FormEvent, useEffect, useId, useState } from 'react';
import { pauseUnlessOnline, untilSettled } from './retry';
import type { PublicSurvey, SurveyAnswer, SurveyApi } from './survey-api';

const CHOICES: { value: SurveyAnswer; label: string; hint: string }[] = [
  { value: 'satisfied', label: '满意', hint: '问题已解决' },
  { value: 'basically_satisfied', label: '基本满意', hint: '问题基本解决' },
  { value: 'unsatisfied', label: '不满意', hint: '将重新交办处理' },
];

const COMMENT_MAX = 2000;

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const formatTime = (iso: string) => dateTime.format(new Date(iso));

type View =
  | { kind: 'loading' }
  | { kind: 'offline'; retry: number }
  | { kind: 'open'; survey: PublicSurvey }
  | { kind: 'done'; answer: SurveyAnswer }
  | { kind: 'used' | 'expired' | 'unknown' | 'rejected' };

type Sending = { state: 'idle' } | { state: 'sending' } | { state: 'retrying'; retry: number };

/** The enterprise's follow-up survey behind the link /s/{token}: no login, one answer. */
export function SurveyPage({ token, api }: { token: string; api: SurveyApi }) {
  const [view, setView] = useState<View>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    const set = (next: View) => live && setView(next);
    if (!token) {
      set({ kind: 'unknown' });
      return;
    }
    void untilSettled(
      () => api.view(token),
      (retry) => set({ kind: 'offline', retry }),
      pauseUnlessOnline,
    ).then(({ outcome }) => {
      if (outcome.kind === 'survey') set(outcome.survey.answered ? { kind: 'used' } : { kind: 'open', survey: outcome.survey });
      else if (outcome.kind !== 'transient') set({ kind: outcome.kind });
    });
    return () => {
      live = false;
    };
  }, [api, token]);

  return (
    <div className="page">
      <header className="band">
        <p className="zone">{view.kind === 'open' && view.survey.zone ? view.survey.zone : '企业诉求服务'}</p>
        <h1>诉求办理满意度回访</h1>
      </header>
      <main className="content">
        {view.kind === 'open' ? (
          <SurveyForm token={token} api={api} survey={view.survey} onSettled={setView} />
        ) : (
          <StateCard view={view} />
        )}
      </main>
    </div>
  );
}

const STATES: Record<Exclude<View['kind'], 'open'>, { title: string; text: string; tone: 'info' | 'good' | 'warn' }> = {
  loading: { title: '正在加载…', text: '正在读取您的诉求办理情况。', tone: 'info' },
  offline: { title: '网络连接中断', text: '暂时无法连接服务器，网络恢复后将自动重新加载，请勿关闭本页。', tone: 'warn' },
  done: { title: '提交成功，感谢您的评价', text: '', tone: 'good' },
  used: { title: '此回访已完成评价', text: '本链接已提交过评价，无需重复提交。感谢您的支持！', tone: 'info' },
  expired: { title: '回访链接已过期', text: '本次回访的评价时间已截止。如仍有问题，请联系为您服务的联络员。', tone: 'warn' },
  unknown: { title: '链接无效', text: '无法识别此回访链接。请确认链接完整无误，或联系为您服务的联络员重新发送。', tone: 'warn' },
  rejected: { title: '提交未成功', text: '您的评价未能提交，请刷新页面后重试。', tone: 'warn' },
};

const AFTER_ANSWER: Record<SurveyAnswer, string> = {
  satisfied: '本诉求已办结。我们将继续做好服务。',
  basically_satisfied: '本诉求已办结。我们会根据您的意见改进工作。',
  unsatisfied: '我们已将您的诉求重新交办，相关部门将尽快处理并与您联系。',
};

function StateCard({ view }: { view: Exclude<View, { kind: 'open' }> }) {
  const state = STATES[view.kind];
  const text = view.kind === 'done' ? AFTER_ANSWER[view.answer] : state.text;
  return (
    <section className={`card state state-${state.tone}`} role={view.kind === 'loading' ? undefined : 'status'} aria-live="polite">
      <h2>{state.title}</h2>
      <p>{text}</p>
      {view.kind === 'offline' && <p className="muted">已重试 {view.retry} 次</p>}
    </section>
  );
}

function SurveyForm({ token, api, survey, onSettled }: { token: string; api: SurveyApi; survey: PublicSurvey; onSettled: (view: View) => void }) {
  const [answer, setAnswer] = useState<SurveyAnswer | null>(null);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState<Sending>({ state: 'idle' });
  const commentId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!answer || sending.state !== 'idle') return;
    setSending({ state: 'sending' });
    const body = { answer, ...(comment.trim() ? { comment: comment.trim() } : {}) };
    const { outcome, tries } = await untilSettled(
      () => api.answer(token, body),
      (retry) => setSending({ state: 'retrying', retry }),
      pauseUnlessOnline,
    );
    // After a dropped connection, "already answered" means an earlier try of ours got through.
    if (outcome.kind === 'survey' || (outcome.kind === 'used' && tries > 1)) onSettled({ kind: 'done', answer });
    else if (outcome.kind !== 'transient') onSettled({ kind: outcome.kind });
  };

  return (
    <>
      <section className="card" aria-labelledby="demand-title">
        <p className="number">诉求编号 {survey.ticketNumber}</p>
        <h2 id="demand-title">{survey.title}</h2>
        <dl className="facts">
          <div>
            <dt>企业</dt>
            <dd>{survey.enterpriseName}</dd>
          </div>
          <div>
            <dt>办理结果</dt>
            <dd className="resolution">{survey.resolution}</dd>
          </div>
          {survey.resolvedBy && (
            <div>
              <dt>办理单位</dt>
              <dd>{survey.resolvedBy}</dd>
            </div>
          )}
          <div>
            <dt>办结时间</dt>
            <dd>{formatTime(survey.resolvedAt)}</dd>
          </div>
        </dl>
      </section>

      <form className="card" onSubmit={submit}>
        <fieldset className="choices" disabled={sending.state !== 'idle'}>
          <legend>您对本次诉求的办理结果是否满意？</legend>
          {CHOICES.map((choice) => (
            <label key={choice.value} className={`choice choice-${choice.value}`}>
              <input type="radio" name="answer" value={choice.value} checked={answer === choice.value} onChange={() => setAnswer(choice.value)} />
              <span className="choice-label">{choice.label}</span>
              <span className="choice-hint">{choice.hint}</span>
            </label>
          ))}
        </fieldset>

        <label className="comment-label" htmlFor={commentId}>
          意见或建议<span className="muted">（选填）</span>
        </label>
        <textarea
          id={commentId}
          value={comment}
          maxLength={COMMENT_MAX}
          rows={4}
          placeholder="请写下您的意见，帮助我们改进服务"
          disabled={sending.state !== 'idle'}
          onChange={(event) => setComment(event.target.value)}
        />
        <p className="muted counter">
          {comment.length} / {COMMENT_MAX}
        </p>

        {sending.state === 'retrying' && (
          <p className="notice" role="status">
            网络不稳定，您的评价已保留，正在自动重新提交（第 {sending.retry} 次重试）…
          </p>
        )}
        <button type="submit" className="submit" disabled={!answer || sending.state !== 'idle'}>
          {sending.state === 'idle' ? '提交评价' : '正在提交…'}
        </button>
        <p className="muted expires">请在 {formatTime(survey.expiresAt)} 前完成评价</p>
      </form>
    </>
  );
}
