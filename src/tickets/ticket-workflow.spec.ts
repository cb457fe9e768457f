import { describe, expect, it } from '@jest/globals';
import { ROLES } from '../users/entities/user.entity';
import { TICKET_STATUSES } from './ticket-status';
import { type Actor, checkTransition, TICKET_ACTIONS, WORKFLOW } from './ticket-workflow';

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
