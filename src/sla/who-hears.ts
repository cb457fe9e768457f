import type { Ticket } from '../tickets/entities/ticket.entity';
import type { OrgDirectory } from './org-directory';
import { ownerOf } from './sla-owners';

/** The moments of a demand's life that tell people, SLA engine and ticket workflow alike. */
export type Occasion = 'warning' | 'escalated_1_2' | 'escalated_2_3' | 'overdue' | 'reminder' | 'resolved' | 'reopened';

export type AudienceFacts = Pick<Ticket, 'tier' | 'assigneeId' | 'createdBy'> & { sla: Pick<NonNullable<Ticket['sla']>, 'tier2Owner'> | null };

/** The leader who holds tier 2 now: the assignee, else (filed straight at tier 2) its owner by the rule. */
export function tier2Holder(ticket: AudienceFacts, org: OrgDirectory): string | null {
  return ticket.assigneeId ?? ownerOf(org, ticket.sla?.tier2Owner, 2).assigneeId;
}

/**
 * Who hears what (the README's table, one row each). `ticket` is as it was when the moment came
 * (before an escalation's changes; after a reopening's). Each person once, in table order.
 */
export function whoHears(occasion: Occasion, ticket: AudienceFacts, org: OrgDirectory): string[] {
  const owner = (tier: 1 | 2 | 3) => ownerOf(org, ticket.sla?.tier2Owner, tier).userIds;
  const department = owner(1);
  const paired = org.pairedLeader ? [org.pairedLeader] : [];
  const stillOpen = () => [...org.principals, ...org.tier2Holders, ticket.assigneeId, ...department, ...paired];
  const rows: Record<Occasion, () => (string | null)[]> = {
    warning: () => owner(ticket.tier),
    escalated_1_2: () => [...owner(2), ...department, ...paired, ticket.createdBy],
    escalated_2_3: () => [...org.principals, tier2Holder(ticket, org), ...paired, ...department],
    overdue: stillOpen,
    reminder: stillOpen,
    resolved: () => [ticket.createdBy, ...paired],
    reopened: () => [...owner(1), ...paired],
  };
  return [...new Set(rows[occasion]().filter((id): id is string => id !== null))];
}
