import type { Role } from '../users/entities/user.entity';
import type { TicketStatus } from './ticket-status';

/**
 * The ticket lifecycle as one table: for each action, the statuses it may start from, the
 * status it leads to, and who may take it. Anything not in the table is refused with a
 * 409 naming the current status. Row-level scope is checked separately (ticketScope).
 *
 *   new ─route→ assigned ─start→ in_progress ─resolve→ resolved ─close→ closed
 *                  │  ↖reroute─ returned ←return─┘         │
 *                  └─pause→ paused ─resume→ (back)         └─reopen→ reopened ─start→ …
 */
export const TICKET_ACTIONS = ['route', 'start', 'pause', 'resume', 'return', 'resolve', 'reopen', 'close', 'extend'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** `system` is the survey loop and the SLA engine acting on their own. */
export type Actor = Role | 'system';

interface Transition {
  from: readonly TicketStatus[];
  /** `previous`: back to the status before the pause. `same`: the status does not change. */
  to: TicketStatus | 'previous' | 'same';
  by: readonly Actor[];
}

const WORKERS: readonly Actor[] = ['department_handler', 'deputy_leader', 'principal_leader', 'manager', 'admin'];
const ROUTERS: readonly Actor[] = ['deputy_leader', 'principal_leader', 'manager', 'admin'];
const RUNNING: readonly TicketStatus[] = ['assigned', 'in_progress', 'reopened', 'returned'];

export const WORKFLOW: Record<TicketAction, Transition> = {
  // A manager or leader routes an unrouted or handed-back demand to a department.
  route: { from: ['new', 'returned'], to: 'assigned', by: ROUTERS },
  start: { from: ['assigned', 'reopened'], to: 'in_progress', by: WORKERS },
  // Waiting on the enterprise (待企业补充材料): the clock stops. Liaison officers talk to the enterprise, so they may too.
  pause: { from: ['assigned', 'in_progress', 'reopened'], to: 'paused', by: [...WORKERS, 'liaison_officer'] },
  resume: { from: ['paused'], to: 'previous', by: [...WORKERS, 'liaison_officer', 'system'] },
  // A department hands back a misrouted demand; the clock keeps running.
  return: { from: ['assigned', 'in_progress', 'reopened'], to: 'returned', by: ['department_handler', 'manager', 'admin'] },
  resolve: { from: ['assigned', 'in_progress', 'reopened'], to: 'resolved', by: WORKERS },
  // Dissatisfaction reopens (the survey, or a manager recording it); closing follows the survey.
  reopen: { from: ['resolved'], to: 'reopened', by: ['system', 'manager', 'admin'] },
  close: { from: ['resolved'], to: 'closed', by: ['system', 'manager', 'admin'] },
  // An approved extension moves the deadline, not the status; who may approve depends on the tier.
  extend: { from: RUNNING, to: 'same', by: ['deputy_leader', 'principal_leader'] },
};

export type TransitionCheck =
  | { allowed: true; to: TicketStatus | 'previous' | 'same' }
  | { allowed: false; reason: 'role' | 'state' };

/** Whether `actor` may take `action` on a ticket in `status` (scope aside). */
export function checkTransition(status: TicketStatus, action: TicketAction, actor: Actor): TransitionCheck {
  const transition = WORKFLOW[action];
  if (!transition.by.includes(actor)) return { allowed: false, reason: 'role' };
  if (!transition.from.includes(status)) return { allowed: false, reason: 'state' };
  return { allowed: true, to: transition.to };
}

/** Leaders who may approve an extension at each tier: the tier's own leader or one above. */
export const EXTENSION_APPROVERS: Record<1 | 2 | 3, readonly Role[]> = {
  1: ['deputy_leader', 'principal_leader'],
  2: ['deputy_leader', 'principal_leader'],
  3: ['principal_leader'],
};
