import { Button, Space } from 'antd';
import { CONSOLE_ACTIONS } from '../api/ticket-actions';
import type { Ticket } from '../api/client';
import { ACTION_LABELS, type TicketAction } from '../lib/labels';

const PRIMARY: TicketAction[] = ['start', 'resolve', 'resume'];

/** Only the actions the API says this user may take on this ticket now. */
export function TicketActions({ ticket, onPick }: { ticket: Ticket; onPick: (action: TicketAction) => void }) {
  const actions = CONSOLE_ACTIONS.filter((action) => ticket.allowedActions.includes(action));
  if (actions.length === 0) return null;
  return (
    <Space wrap className="ticket-actions" data-testid="ticket-actions">
      {actions.map((action) => (
        <Button key={action} type={PRIMARY.includes(action) ? 'primary' : 'default'} onClick={() => onPick(action)} data-action={action}>
          {action === 'route' && ticket.departmentId ? '转派' : action === 'route' ? '分派' : ACTION_LABELS[action]}
        </Button>
      ))}
    </Space>
  );
}
