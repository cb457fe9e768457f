import type { WorkCalendar } from '../calendar/working-time';
import type { DeadlinePayload, EventPayloads } from '../events/event-map';
import type { Ticket } from '../tickets/entities/ticket.entity';
import { OPEN_STATUSES, type Tier } from '../tickets/ticket-status';
import type { OrgDirectory } from './org-directory';
import { clockColumns, type ClockColumns, type SlaClock } from './sla-clock';
import { ownerOf, type TierOwners } from './sla-owners';
import { type AudienceFacts, tier2Holder, whoHears } from './who-hears';

/** What the engine knows of a ticket when its SLA event comes due. */
export type TicketFacts = AudienceFacts & Pick<Ticket, 'number' | 'title' | 'status' | 'nextEvent' | 'nextEventAt' | 'sla'>;

export interface TimelineEntry {
  type: 'escalated' | 'overdue' | 'overdue_reminder';
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
}

type SlaEvent = 'ticket.warned' | 'ticket.escalated' | 'ticket.overdue' | 'ticket.reminded';

/** One event the engine emits: `data` is its payload beyond the ticket's own facts, also shown in the inbox. */
export type Notice = {
  [E in SlaEvent]: {
    event: E;
    /** Inbox recipients, each once. */
    recipients: string[];
    title: string;
    body: string;
    data: Omit<EventPayloads[E], keyof DeadlinePayload>;
  };
}[SlaEvent];

export interface Decision {
  changes: ClockColumns & Partial<Pick<Ticket, 'tier' | 'assigneeId' | 'escalatedAt'>>;
  timelineEvents: TimelineEntry[];
  notices: Notice[];
}

/** Whether the ticket's stored next event is due: a stale, early or duplicate wake-up is not. */
export function isDue(ticket: Pick<Ticket, 'sla' | 'status' | 'nextEventAt'>, now: Date): boolean {
  return !!ticket.sla && !!ticket.nextEventAt && ticket.nextEventAt <= now && OPEN_STATUSES.includes(ticket.status);
}

/**
 * The 1-2-3 rule acting on a ticket's due event: warn, escalate, mark overdue, remind. Pure:
 * the clock, the ticket, the people around it, `now` and the calendar are passed in; the
 * engine writes what comes back. Null when nothing is due.
 */
export function decide(clock: SlaClock, ticket: TicketFacts, org: OrgDirectory, now: Date, calendar: WorkCalendar): Decision | null {
  if (!isDue(ticket, now) || !ticket.sla) return null;
  const sla = ticket.sla;
  const next: SlaClock = { ...clock, dueAt: [...clock.dueAt] };
  const tier = clock.tier;
  const owner = (t: Tier) => ownerOf(org, sla.tier2Owner, t);
  const done = (rest: Omit<Decision, 'changes'>, changes: Partial<Decision['changes']> = {}): Decision => ({
    changes: { ...changes, ...clockColumns(next, sla, calendar) },
    ...rest,
  });

  switch (ticket.nextEvent) {
    case 'warning': {
      next.warnedTier = tier;
      const due = clock.dueAt[tier - 1]!;
      // A warning found after its deadline (the queue was down) would only be noise.
      if (now >= due) return done({ timelineEvents: [], notices: [] });
      const notice: Notice = {
        event: 'ticket.warned',
        recipients: whoHears('warning', ticket, org),
        title: `${ticket.number} 即将超时 / due soon`,
        body: `Tier ${tier} deadline ${due.toISOString()}: ${ticket.title}`,
        data: { tier, dueAt: due.toISOString() },
      };
      return done({ timelineEvents: [], notices: [notice] });
    }
    case 'breach': {
      if (tier < 3) {
        const to = (tier + 1) as Tier;
        next.tier = to;
        const holder = tier === 2 ? tier2Holder(ticket, org) : null;
        const previous: TierOwners = holder ? { ...owner(2), userIds: [holder], assigneeId: holder } : owner(tier);
        const taking = owner(to);
        return done(
          {
            timelineEvents: [
              {
                type: 'escalated',
                before: { tier, owner: previous.owner, assigneeId: previous.assigneeId },
                after: { tier: to, owner: taking.owner, assigneeId: taking.assigneeId },
              },
            ],
            notices: [
              {
                event: 'ticket.escalated',
                recipients: whoHears(tier === 1 ? 'escalated_1_2' : 'escalated_2_3', ticket, org),
                title: `${ticket.number} 升级至第${to}级 / escalated to tier ${to}`,
                body: `Tier ${tier} deadline passed; now with ${taking.owner.replace('_', ' ')} until ${clock.dueAt[to - 1]?.toISOString()}: ${ticket.title}`,
                data: { fromTier: tier, toTier: to, owner: taking.owner, assigneeId: taking.assigneeId, previousOwners: previous.userIds },
              },
            ],
          },
          { tier: to, assigneeId: taking.assigneeId, escalatedAt: now },
        );
      }
      next.overdueAt = now;
      const due = clock.dueAt[2]!.toISOString();
      return done({
        timelineEvents: [{ type: 'overdue', before: { overdue: false }, after: { overdue: true, dueAt: due } }],
        notices: [
          {
            event: 'ticket.overdue',
            recipients: whoHears('overdue', ticket, org),
            title: `${ticket.number} 已超期 / overdue`,
            body: `Past its last deadline (${due}): ${ticket.title}`,
            data: { tier },
          },
        ],
      });
    }
    case 'reminder': {
      next.lastRemindedAt = now;
      const since = clock.overdueAt!.toISOString();
      return done({
        timelineEvents: [{ type: 'overdue_reminder', before: null, after: { remindedAt: now.toISOString() } }],
        notices: [
          {
            event: 'ticket.reminded',
            recipients: whoHears('reminder', ticket, org),
            title: `${ticket.number} 仍未办结 / still overdue`,
            body: `Overdue since ${since}: ${ticket.title}`,
            data: { overdueAt: since },
          },
        ],
      });
    }
    default:
      return null;
  }
}
