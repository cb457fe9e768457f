import type { Ticket } from '../api/client';
import { useWorkingHours } from '../api/queries';
import { timeLeftText, workingDayMs } from '../lib/time-left';

type Clock = Pick<Ticket, 'workingMsLeft' | 'warned' | 'status'>;

export type Urgency = 'overdue' | 'warned' | 'normal' | 'none';

export function urgencyOf(ticket: Clock): Urgency {
  if (ticket.workingMsLeft === null) return 'none';
  if (ticket.workingMsLeft < 0) return 'overdue';
  return ticket.warned ? 'warned' : 'normal';
}

/** "剩余 3 小时" / "已超期 2 天", amber when warned, red when overdue. */
export function TimeLeft({ ticket }: { ticket: Clock }) {
  const hours = useWorkingHours();
  const urgency = urgencyOf(ticket);
  if (ticket.workingMsLeft === null) return <span className="time-left time-none">—</span>;
  return (
    <span className={`time-left time-${urgency}`} data-urgency={urgency}>
      {timeLeftText(ticket.workingMsLeft, workingDayMs(hours.data))}
      {ticket.status === 'paused' && <span className="time-paused">（已暂停）</span>}
    </span>
  );
}
