import type { Role } from '../users/entities/user.entity';
import type { Ticket } from './entities/ticket.entity';
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
  // The survey loop's: dissatisfaction reopens, any other answer (or none in time) closes. A phone answer
  // recorded by a liaison officer or manager (POST …/survey-answer) goes through the survey too; no route takes these.
  reopen: { from: ['resolved'], to: 'reopened', by: ['system'] },
  close: { from: ['resolved'], to: 'closed', by: ['system'] },
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

/** What decides whether an action is open to a caller, beyond the table: read off the stored ticket. */
export interface ActionFacts {
  status: TicketStatus;
  tier: 1 | 2 | 3;
  pairedLeaderId: string | null;
  /** The ticket has an SLA clock with a deadline for its current tier (an extension moves it). */
  hasDeadline: boolean;
}

export interface ActionCaller {
  id: string | null;
  role: Actor;
}

/**
 * Why `caller` may not take `action` now, or null when they may: the one rule both the
 * offered buttons (allowedActions) and the workflow's refusals follow. Scope is the query's job.
 */
export type ActionRefusal =
  | { reason: 'role' | 'state' }
  /** A deputy leader routes only the demands of enterprises they are paired with. */
  | { reason: 'pairing' }
  /** An extension at this tier needs a leader of EXTENSION_APPROVERS. */
  | { reason: 'approver'; approvers: readonly Role[] }
  | { reason: 'no_clock' };

export function actionRefusal(facts: ActionFacts, action: TicketAction, caller: ActionCaller): ActionRefusal | null {
  const check = checkTransition(facts.status, action, caller.role);
  if (!check.allowed) return { reason: check.reason };
  if (action === 'route' && caller.role === 'deputy_leader' && facts.pairedLeaderId !== caller.id) return { reason: 'pairing' };
  if (action === 'extend') {
    const approvers = EXTENSION_APPROVERS[facts.tier];
    if (!approvers.includes(caller.role as Role)) return { reason: 'approver', approvers };
    if (!facts.hasDeadline) return { reason: 'no_clock' };
  }
  return null;
}

/** The actions `caller` may take on a ticket within their scope, in the table's order. */
export function allowedActions(facts: ActionFacts, caller: ActionCaller): TicketAction[] {
  return TICKET_ACTIONS.filter((action) => actionRefusal(facts, action, caller) === null);
}

/** The facts of a stored ticket. */
export function actionFacts(ticket: Pick<Ticket, 'status' | 'tier' | 'pairedLeaderId' | 'sla' | 'tier1DueAt' | 'tier2DueAt' | 'tier3DueAt'>): ActionFacts {
  const currentDue = [ticket.tier1DueAt, ticket.tier2DueAt, ticket.tier3DueAt][ticket.tier - 1];
  return { status: ticket.status, tier: ticket.tier, pairedLeaderId: ticket.pairedLeaderId, hasDeadline: ticket.sla !== null && currentDue !== null };
}
