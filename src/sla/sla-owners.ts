import type { Tier } from '../tickets/ticket-status';
import type { Tier2Owner } from './entities/sla-policy.entity';
import type { OrgDirectory } from './org-directory';

export interface TierOwners {
  /** Who is told: the owner(s) of the tier. */
  userIds: string[];
  /** The one leader who owns tier 2; null at tier 1 (a department) and tier 3 (the principal leaders). */
  assigneeId: string | null;
  /** For the timeline: what kind of owner holds the tier. */
  owner: 'department' | 'deputy_leader' | 'paired_leader' | 'principal_leaders' | 'managers';
}

/**
 * Who owns a tier of a ticket under the 1-2-3 rule: the department's handlers, then the
 * deputy leader in charge (or the paired leader, as the policy says), then the principal
 * leaders. A missing owner falls through to the next one up, so nobody is silently skipped.
 */
export function ownerOf(org: OrgDirectory, tier2Owner: Tier2Owner | undefined, tier: Tier): TierOwners {
  if (tier === 1) {
    if (org.handlers.length > 0) return { userIds: org.handlers, assigneeId: null, owner: 'department' };
    // Unrouted demand or an empty department: the managers route it.
    return { userIds: org.managers, assigneeId: null, owner: 'managers' };
  }
  if (tier === 2) {
    const candidates: [string | null, TierOwners['owner']][] =
      tier2Owner === 'paired_leader'
        ? [[org.pairedLeader, 'paired_leader'], [org.deputyInCharge, 'deputy_leader']]
        : [[org.deputyInCharge, 'deputy_leader'], [org.pairedLeader, 'paired_leader']];
    for (const [id, owner] of candidates) {
      if (id) return { userIds: [id], assigneeId: id, owner };
    }
  }
  return { userIds: org.principals, assigneeId: null, owner: 'principal_leaders' };
}
