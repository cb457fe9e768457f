import { describe, expect, it } from '@jest/globals';
import { calendar2026, shanghai } from '../calendar/calendar-2026.fixture';
import type { Ticket } from '../tickets/entities/ticket.entity';
import type { OrgDirectory } from './org-directory';
import { clockOf, deadlinesFrom, nextEvent, type SlaClock, type SlaSnapshot } from './sla-clock';
import { decide, type Decision, type TicketFacts } from './sla-decision';
import { LEGAL_1_2_3 } from './sla-snapshot.fixture';
import { whoHears } from './who-hears';

const calendar = calendar2026();
const legal = LEGAL_1_2_3;

/** Handlers h1, h2; deputy in charge `deputy`; principals p1, p2; manager m1; paired leader `paired`. */
const org: OrgDirectory = {
  handlers: ['h1', 'h2'],
  deputyInCharge: 'deputy',
  principals: ['p1', 'p2'],
  managers: ['m1'],
  pairedLeader: 'paired',
  tier2Holders: [],
};

const INTAKE = shanghai('2026-11-23T06:00:00');

/** A ticket as stored, filed by liaison officer `liaison` at Monday 06:00, its clock started. */
function filed(startingTier: 1 | 2 | 3 = 1, snapshot: SlaSnapshot = legal): Ticket {
  const clock: SlaClock = {
    tier: startingTier,
    startingTier,
    clockStartedAt: INTAKE,
    dueAt: deadlinesFrom(INTAKE, startingTier, snapshot, calendar),
    warnedTier: startingTier - 1,
    overdueAt: null,
    lastRemindedAt: null,
  };
  const next = nextEvent(clock, snapshot, calendar);
  return {
    id: 't1',
    number: '2026-000001',
    title: '扩建用地',
    status: 'assigned',
    createdBy: 'liaison',
    assigneeId: null,
    sla: snapshot,
    tier: startingTier,
    startingTier,
    clockStartedAt: INTAKE,
    tier1DueAt: clock.dueAt[0],
    tier2DueAt: clock.dueAt[1],
    tier3DueAt: clock.dueAt[2],
    warnedTier: clock.warnedTier,
    overdueAt: null,
    lastRemindedAt: null,
    nextEvent: next.kind,
    nextEventAt: next.at,
  } as Ticket;
}

/** The ticket once the engine wrote the decision. */
const applied = (ticket: Ticket, decision: Decision): Ticket => ({ ...ticket, ...decision.changes }) as Ticket;

/** Decides the ticket's stored next event at the instant it is due. */
function fire(ticket: Ticket, directory: OrgDirectory = org): Decision {
  const decision = decide(clockOf(ticket), ticket as TicketFacts, directory, ticket.nextEventAt!, calendar);
  if (!decision) throw new Error('nothing was due');
  return decision;
}

/** Fires events until the ticket's next one is `kind` at `tier`. */
function until(ticket: Ticket, kind: string, tier: number, directory: OrgDirectory = org): Ticket {
  let current = ticket;
  while (!(current.nextEvent === kind && current.tier === tier)) current = applied(current, fire(current, directory));
  return current;
}

describe('decide: the 1-2-3 rule with fixed clocks', () => {
  it('does nothing early, when paused, or once resolved', () => {
    const ticket = filed();
    expect(decide(clockOf(ticket), ticket as TicketFacts, org, new Date(ticket.nextEventAt!.getTime() - 1), calendar)).toBeNull();
    expect(decide(clockOf(ticket), { ...ticket, nextEventAt: null } as TicketFacts, org, ticket.tier3DueAt!, calendar)).toBeNull();
    expect(decide(clockOf(ticket), { ...ticket, status: 'resolved' } as TicketFacts, org, ticket.tier3DueAt!, calendar)).toBeNull();
  });

  it('runs a Monday 06:00 demand through warnings, escalations, overdue and reminders at the legal instants', () => {
    const seen: string[] = [];
    let ticket = filed();
    for (let i = 0; i < 8; i++) {
      const at = ticket.nextEventAt!;
      seen.push(`${ticket.nextEvent} ${ticket.tier} ${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16)}`);
      ticket = applied(ticket, fire(ticket));
    }
    expect(seen).toEqual([
      'warning 1 2026-11-24T13:30', // 75% of Monday 06:00 → Tuesday 24:00
      'breach 1 2026-11-25T00:00', // Tuesday 24:00
      'warning 2 2026-11-25T18:00',
      'breach 2 2026-11-26T00:00', // Wednesday 24:00
      'warning 3 2026-11-26T18:00',
      'breach 3 2026-11-27T00:00', // Thursday 24:00: overdue, which is Friday's notice
      'reminder 3 2026-11-30T00:00', // then every working day: Monday, past the weekend…
      'reminder 3 2026-12-01T00:00', // …Tuesday
    ]);
    expect(ticket).toMatchObject({ tier: 3, assigneeId: null, overdueAt: shanghai('2026-11-27T00:00:00') });
  });

  describe('who hears what (each person once)', () => {
    it('warning: the current owner', () => {
      expect(fire(filed()).notices.map((n) => [n.event, n.recipients])).toEqual([['ticket.warned', ['h1', 'h2']]]);
      expect(fire(until(filed(), 'warning', 2)).notices[0].recipients).toEqual(['deputy']);
      expect(fire(until(filed(), 'warning', 3)).notices[0].recipients).toEqual(['p1', 'p2']);
    });

    it('a warning found after its deadline tells nobody and moves on to the breach', () => {
      const ticket = filed();
      const late = decide(clockOf(ticket), ticket as TicketFacts, org, ticket.tier1DueAt!, calendar)!;
      expect(late.notices).toEqual([]);
      expect(late.changes).toMatchObject({ warnedTier: 1, nextEvent: 'breach', nextEventAt: ticket.tier1DueAt });
    });

    it('1 → 2: the deputy in charge (new owner), the department, the paired leader and the liaison officer', () => {
      const decision = fire(until(filed(), 'breach', 1));
      expect(decision.notices).toHaveLength(1);
      expect(decision.notices[0]).toMatchObject({
        event: 'ticket.escalated',
        recipients: ['deputy', 'h1', 'h2', 'paired', 'liaison'],
        data: { fromTier: 1, toTier: 2, owner: 'deputy_leader', assigneeId: 'deputy', previousOwners: ['h1', 'h2'] },
      });
      expect(decision.changes).toMatchObject({ tier: 2, assigneeId: 'deputy', escalatedAt: shanghai('2026-11-25T00:00:00'), nextEvent: 'warning' });
      expect(decision.timelineEvents).toEqual([
        {
          type: 'escalated',
          before: { tier: 1, owner: 'department', assigneeId: null },
          after: { tier: 2, owner: 'deputy_leader', assigneeId: 'deputy' },
        },
      ]);
    });

    it('2 → 3: the principal leaders, the tier-2 holder, the paired leader and the department', () => {
      const decision = fire(until(filed(), 'breach', 2));
      expect(decision.notices[0].recipients).toEqual(['p1', 'p2', 'deputy', 'paired', 'h1', 'h2']);
      // Tier 3 belongs to the principal leaders together: no single assignee, as before.
      expect(decision.changes).toMatchObject({ tier: 3, assigneeId: null });
      expect(decision.timelineEvents[0]).toMatchObject({ before: { tier: 2, assigneeId: 'deputy' }, after: { tier: 3, owner: 'principal_leaders', assigneeId: null } });
    });

    it('2 → 3 of a demand filed at tier 2: its holder is the tier-2 owner by the rule', () => {
      const decision = fire(until(filed(2), 'breach', 2));
      expect(decision.notices[0].recipients).toEqual(['p1', 'p2', 'deputy', 'paired', 'h1', 'h2']);
      expect(decision.timelineEvents[0].before).toEqual({ tier: 2, owner: 'deputy_leader', assigneeId: 'deputy' });
    });

    it('overdue and each reminder: the principal leaders, every leader who held it, the department, the paired leader', () => {
      // The deputy held tier 2, then another leader did (tier 2 changed hands); the directory knows both.
      const held = { ...org, tier2Holders: ['deputy', 'deputy-b'] };
      const atTier3 = until(filed(), 'breach', 3, held);
      const overdue = fire(atTier3, held);
      expect(overdue.notices.map((n) => [n.event, n.recipients])).toEqual([['ticket.overdue', ['p1', 'p2', 'deputy', 'deputy-b', 'h1', 'h2', 'paired']]]);
      expect(overdue.timelineEvents).toEqual([{ type: 'overdue', before: { overdue: false }, after: { overdue: true, dueAt: atTier3.tier3DueAt!.toISOString() } }]);
      const reminder = fire(applied(atTier3, overdue), held);
      expect(reminder.notices.map((n) => [n.event, n.recipients])).toEqual([['ticket.reminded', ['p1', 'p2', 'deputy', 'deputy-b', 'h1', 'h2', 'paired']]]);
      expect(reminder.timelineEvents[0].type).toBe('overdue_reminder');
    });

    it('one notice per person, whatever roles they combine', () => {
      // The paired leader is also the deputy in charge; the liaison officer also handles the department.
      const combined = { ...org, pairedLeader: 'deputy', handlers: ['h1', 'liaison'] };
      const decision = fire(until(filed(), 'breach', 1, combined), combined);
      expect(decision.notices).toHaveLength(1);
      expect(decision.notices[0].recipients).toEqual(['deputy', 'h1', 'liaison']);
    });

    it('resolved: the liaison officer and the paired leader; reopened: the owner and the paired leader', () => {
      const reopened = { ...filed(), tier: 1 as const };
      expect(whoHears('resolved', filed(), org)).toEqual(['liaison', 'paired']);
      expect(whoHears('reopened', reopened, org)).toEqual(['h1', 'h2', 'paired']);
      expect(whoHears('resolved', filed(), { ...org, pairedLeader: null })).toEqual(['liaison']);
    });
  });

  describe('who owns a tier', () => {
    it('tier 2 goes to the paired leader when the policy says so', () => {
      const ticket = filed(1, { ...legal, tier2Owner: 'paired_leader' });
      expect(fire(until(ticket, 'breach', 1)).changes).toMatchObject({ tier: 2, assigneeId: 'paired' });
    });

    it('a missing owner falls through to the next one up', () => {
      const bare = { ...org, handlers: [], deputyInCharge: null, pairedLeader: null };
      expect(fire(filed(), bare).notices[0].recipients).toEqual(['m1']);
      const escalated = fire(until(filed(), 'breach', 1, bare), bare);
      expect(escalated.changes).toMatchObject({ tier: 2, assigneeId: null });
      expect(escalated.timelineEvents[0].after).toEqual({ tier: 2, owner: 'principal_leaders', assigneeId: null });
      expect(escalated.notices[0].recipients).toEqual(['p1', 'p2', 'm1', 'liaison']);
    });
  });
});
