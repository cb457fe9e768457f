import { Card } from 'antd';
import type { Ticket, TicketEvent } from '../api/client';
import { deadlineLine, positionOf } from '../lib/deadline-line';
import { TIER_LABELS, TIER_OWNERS } from '../lib/labels';
import { shortTime } from '../lib/ticket-diff';

/**
 * The three tier deadlines on one line, with now, the paused spans and the extensions. The
 * dates are a legend under the line, so marks close together (a short drill policy) never
 * print over each other.
 */
export function DeadlineLine({ ticket, events }: { ticket: Ticket; events: TicketEvent[] }) {
  const model = deadlineLine(ticket, events, Date.now());
  const at = (time: number) => ({ left: `${positionOf(model, time)}%` });
  const done = ticket.resolvedAt !== null;

  return (
    <Card title="办理时限" size="small" className="section">
      <div className="dl" role="img" aria-label={`办理时限：${model.deadlines.map((d) => `${TIER_LABELS[d.tier]} ${shortTime(d.at ? new Date(d.at).toISOString() : null)}`).join('，')}`}>
        <div className="dl-track">
          <div className="dl-elapsed" style={{ width: `${positionOf(model, model.now)}%` }} />
          {model.paused.map((span) => (
            <div key={span.from} className="dl-paused" style={{ ...at(span.from), width: `${Math.max(0.8, positionOf(model, span.to) - positionOf(model, span.from))}%` }} title="暂停计时" />
          ))}
          {model.deadlines.map((d) => d.at !== null && <div key={d.tier} className={`dl-mark dl-tier${d.tier}${d.tier === ticket.tier && !done ? ' dl-current' : ''}`} style={at(d.at)} />)}
          {model.extensions.map((x) => (
            <div key={x.at} className="dl-extension" style={at(x.at)} title={`延期：${x.note ?? ''}`} />
          ))}
          <div className="dl-now" style={at(model.now)}>
            <span>{done ? '办结' : '现在'}</span>
          </div>
        </div>
      </div>
      <ol className="dl-legend">
        {model.deadlines.map((d) => (
          <li key={d.tier} className={d.tier === ticket.tier && !done ? 'dl-legend-current' : undefined}>
            <span className={`dl-dot dl-tier${d.tier}`} />
            <span className="dl-legend-label">
              {TIER_LABELS[d.tier]}·{TIER_OWNERS[d.tier]}
            </span>
            <span className="dl-legend-time">{d.at ? shortTime(new Date(d.at).toISOString()) : '未设定'}</span>
          </li>
        ))}
        {model.paused.length > 0 && (
          <li>
            <span className="dl-dot dl-paused-dot" />
            <span className="dl-legend-label">暂停 {model.paused.length} 次</span>
          </li>
        )}
        {model.extensions.length > 0 && (
          <li>
            <span className="dl-dot dl-extension-dot" />
            <span className="dl-legend-label">延期 {model.extensions.length} 次</span>
          </li>
        )}
      </ol>
    </Card>
  );
}
