import { describe, expect, it } from '@jest/globals';
import { ROLES } from '../users/entities/user.entity';
import { TICKET_STATUSES, type TicketStatus } from './ticket-status';
import {
  type ActionFacts,
  actionFacts,
  actionRefusal,
  allowedActions,
  type Actor,
  checkTransition,
  EXTENSION_APPROVERS,
  TICKET_ACTIONS,
  type TicketAction,
  WORKFLOW,
} from './ticket-workflow';

const ACTORS: Actor[] = [...ROLES, 'system'];

// The expected outcome of every (status, action) pair, written out independently of the table.
const ALLOWED_FROM: Record<string, string[]> = {
  route: ['new', 'returned'],
  start: ['assigned', 'reopened'],
  pause: ['assigned', 'in_progress', 'reopened'],
  resume: ['paused'],
  return: ['assigned', 'in_progress', 'reopened'],
  resolve: ['assigned', 'in_progress', 'reopened'],
  reopen: ['resolved'],
  close: ['resolved'],
  extend: ['assigned', 'in_progress', 'reopened', 'returned'],
};

describe('ticket workflow', () => {
  it('allows exactly the listed transitions across the full state × action × actor matrix', () => {
    let allowed = 0;
    for (const status of TICKET_STATUSES) {
      for (const action of TICKET_ACTIONS) {
        for (const actor of ACTORS) {
          const result = checkTransition(status, action, actor);
          const roleOk = WORKFLOW[action].by.includes(actor);
          const stateOk = ALLOWED_FROM[action].includes(status);
          expect({ status, action, actor, allowed: result.allowed }).toEqual({ status, action, actor, allowed: roleOk && stateOk });
          if (!result.allowed) expect(result.reason).toBe(roleOk ? 'state' : 'role');
          if (result.allowed) allowed += 1;
        }
      }
    }
    expect(allowed).toBeGreaterThan(0);
  });

  it('never lets anything leave closed, and never lets a liaison officer resolve', () => {
    for (const action of TICKET_ACTIONS) {
      for (const actor of ACTORS) expect(checkTransition('closed', action, actor).allowed).toBe(false);
    }
    expect(checkTransition('in_progress', 'resolve', 'liaison_officer')).toEqual({ allowed: false, reason: 'role' });
  });

  it('leads where the lifecycle says', () => {
    expect(checkTransition('assigned', 'start', 'department_handler')).toEqual({ allowed: true, to: 'in_progress' });
    expect(checkTransition('paused', 'resume', 'department_handler')).toEqual({ allowed: true, to: 'previous' });
    expect(checkTransition('resolved', 'reopen', 'system')).toEqual({ allowed: true, to: 'reopened' });
    expect(checkTransition('in_progress', 'extend', 'principal_leader')).toEqual({ allowed: true, to: 'same' });
  });
});

describe('allowedActions', () => {
  const ME = 'me';
  const facts = (status: TicketStatus, over: Partial<ActionFacts> = {}): ActionFacts => ({
    status,
    tier: 1,
    pairedLeaderId: ME,
    hasDeadline: true,
    ...over,
  });
  const offered = (f: ActionFacts, role: Actor) => allowedActions(f, { id: ME, role });

  // Every role × status on a tier-1 ticket with a running clock whose paired leader is the caller, written out by hand.
  const EXPECTED: Record<Actor, Partial<Record<TicketStatus, TicketAction[]>>> = {
    liaison_officer: { assigned: ['pause'], in_progress: ['pause'], paused: ['resume'], reopened: ['pause'] },
    department_handler: {
      assigned: ['start', 'pause', 'return', 'resolve'],
      in_progress: ['pause', 'return', 'resolve'],
      paused: ['resume'],
      reopened: ['start', 'pause', 'return', 'resolve'],
    },
    deputy_leader: {
      new: ['route'],
      assigned: ['start', 'pause', 'resolve', 'extend'],
      in_progress: ['pause', 'resolve', 'extend'],
      paused: ['resume'],
      returned: ['route', 'extend'],
      reopened: ['start', 'pause', 'resolve', 'extend'],
    },
    principal_leader: {
      new: ['route'],
      assigned: ['start', 'pause', 'resolve', 'extend'],
      in_progress: ['pause', 'resolve', 'extend'],
      paused: ['resume'],
      returned: ['route', 'extend'],
      reopened: ['start', 'pause', 'resolve', 'extend'],
    },
    manager: {
      new: ['route'],
      assigned: ['start', 'pause', 'return', 'resolve'],
      in_progress: ['pause', 'return', 'resolve'],
      paused: ['resume'],
      returned: ['route'],
      reopened: ['start', 'pause', 'return', 'resolve'],
    },
    admin: {
      new: ['route'],
      assigned: ['start', 'pause', 'return', 'resolve'],
      in_progress: ['pause', 'return', 'resolve'],
      paused: ['resume'],
      returned: ['route'],
      reopened: ['start', 'pause', 'return', 'resolve'],
    },
    system: { paused: ['resume'], resolved: ['reopen', 'close'] },
  };

  it('offers exactly the expected actions for every role × status', () => {
    for (const role of ACTORS) {
      for (const status of TICKET_STATUSES) {
        expect({ role, status, actions: offered(facts(status), role) }).toEqual({ role, status, actions: EXPECTED[role][status] ?? [] });
      }
    }
  });

  it('offers the actions the table allows, and refuses the rest with the table reason', () => {
    for (const role of ACTORS) {
      for (const status of TICKET_STATUSES) {
        for (const action of TICKET_ACTIONS) {
          const check = checkTransition(status, action, role);
          const refusal = actionRefusal(facts(status), action, { id: ME, role });
          if (!check.allowed) expect(refusal).toEqual({ reason: check.reason });
          expect(offered(facts(status), role).includes(action)).toBe(refusal === null);
        }
      }
    }
  });

  it('lets a deputy leader route only the demands they are paired with', () => {
    expect(offered(facts('new', { pairedLeaderId: 'someone else' }), 'deputy_leader')).not.toContain('route');
    expect(offered(facts('returned', { pairedLeaderId: null }), 'deputy_leader')).not.toContain('route');
    expect(actionRefusal(facts('new', { pairedLeaderId: null }), 'route', { id: ME, role: 'deputy_leader' })).toEqual({ reason: 'pairing' });
    // Principal leaders and managers route whatever the pairing.
    expect(offered(facts('new', { pairedLeaderId: 'someone else' }), 'principal_leader')).toContain('route');
    expect(offered(facts('new', { pairedLeaderId: null }), 'manager')).toContain('route');
  });

  it('offers an extension only to the tier\'s approvers', () => {
    expect(offered(facts('in_progress', { tier: 2 }), 'deputy_leader')).toContain('extend');
    expect(offered(facts('in_progress', { tier: 3 }), 'deputy_leader')).not.toContain('extend');
    expect(actionRefusal(facts('in_progress', { tier: 3 }), 'extend', { id: ME, role: 'deputy_leader' })).toEqual({
      reason: 'approver',
      approvers: EXTENSION_APPROVERS[3],
    });
    expect(offered(facts('in_progress', { tier: 3 }), 'principal_leader')).toContain('extend');
  });

  it('offers no extension without a deadline to move, nor while paused', () => {
    expect(offered(facts('in_progress', { hasDeadline: false }), 'principal_leader')).not.toContain('extend');
    expect(actionRefusal(facts('assigned', { hasDeadline: false }), 'extend', { id: ME, role: 'principal_leader' })).toEqual({ reason: 'no_clock' });
    expect(offered(facts('paused'), 'principal_leader')).toEqual(['resume']);
  });

  it('reads the facts off a stored ticket: the current tier decides whether there is a deadline', () => {
    const at = new Date('2026-05-12T02:00:00Z');
    const stored = { status: 'in_progress' as const, tier: 2 as const, pairedLeaderId: null, sla: {} as never, tier1DueAt: at, tier2DueAt: null, tier3DueAt: at };
    expect(actionFacts(stored)).toEqual({ status: 'in_progress', tier: 2, pairedLeaderId: null, hasDeadline: false });
    expect(actionFacts({ ...stored, tier2DueAt: at }).hasDeadline).toBe(true);
    expect(actionFacts({ ...stored, tier2DueAt: at, sla: null }).hasDeadline).toBe(false);
  });
});
