import { Card, Timeline } from 'antd';
import type { TicketEvent } from '../api/client';
import { EVENT_LABELS, labelOf, STATUS_LABELS, TIER_LABELS } from '../lib/labels';
import { shortTime } from '../lib/ticket-diff';

const COLORS: Record<string, string> = { resolve: 'green', close: 'green', escalated: 'orange', overdue: 'red', overdue_reminder: 'red', return: 'orange', reopen: 'red' };

/** What moved: the status or the tier before → after, from the event's recorded fields. */
function movement(event: TicketEvent): string | null {
  const before = event.before ?? {};
  const after = event.after ?? {};
  if (event.type === 'escalated' && typeof after.tier === 'number') return `升至${TIER_LABELS[after.tier as 1 | 2 | 3] ?? after.tier}`;
  if (typeof before.status === 'string' && typeof after.status === 'string' && before.status !== after.status) {
    return `${labelOf(STATUS_LABELS, before.status)} → ${labelOf(STATUS_LABELS, after.status)}`;
  }
  return null;
}

/** The timeline in Chinese: who did what, when, and why. */
export function TicketTimeline({ events }: { events: TicketEvent[] }) {
  return (
    <Card title="办理记录" size="small" className="section">
      <Timeline
        className="timeline"
        items={[...events].reverse().map((event) => ({
          key: event.id,
          color: COLORS[event.type] ?? 'blue',
          content: (
            <div className="tl-item">
              <div className="tl-head">
                <strong>{labelOf(EVENT_LABELS, event.type)}</strong>
                <span className="tl-actor">{event.actorName ?? '系统'}</span>
                <time className="tl-time">{shortTime(event.createdAt)}</time>
              </div>
              {movement(event) && <div className="tl-move">{movement(event)}</div>}
              {event.note && <div className="tl-note">{event.note}</div>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}
