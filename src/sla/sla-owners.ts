import type { EntityManager } from 'typeorm';
import type { Ticket } from '../tickets/entities/ticket.entity';
import type { Tier } from '../tickets/ticket-status';

export interface TierOwners {
  /** Who is told: the owner(s) of the tier. */
  userIds: string[];
  /** The one leader who owns tier 2; null at tier 1 (a department) and tier 3 (the principal leaders). */
  assigneeId: string | null;
  /** For the timeline: what kind of owner holds the tier. */
  owner: 'department' | 'deputy_leader' | 'paired_leader' | 'principal_leaders' | 'managers';
}

async function activeIds(manager: EntityManager, where: string, params: unknown[]): Promise<string[]> {
  const rows = await manager.query<{ id: string }[]>(`SELECT id FROM users WHERE active AND ${where} ORDER BY created_at`, params);
  return rows.map((r) => r.id);
}

const principals = (manager: EntityManager) => activeIds(manager, `role = 'principal_leader'`, []);

/**
 * Who owns a tier of a ticket under the 1-2-3 rule: the department's handlers, then the
 * deputy leader in charge (or the paired leader, as the policy says), then the principal
 * leaders. A missing owner falls through to the next one up, so nobody is silently skipped.
 */
export async function ownersOf(manager: EntityManager, ticket: Ticket, tier: Tier): Promise<TierOwners> {
  if (tier === 1) {
    const handlers = ticket.departmentId
      ? await activeIds(manager, `role = 'department_handler' AND department_id = $1`, [ticket.departmentId])
      : [];
    if (handlers.length > 0) return { userIds: handlers, assigneeId: null, owner: 'department' };
    // Unrouted demand or an empty department: the managers route it.
    return { userIds: await activeIds(manager, `role = 'manager'`, []), assigneeId: null, owner: 'managers' };
  }
  if (tier === 2) {
    const [department] = ticket.departmentId
      ? await manager.query<{ deputy_leader_id: string | null }[]>('SELECT deputy_leader_id FROM departments WHERE id = $1', [ticket.departmentId])
      : [];
    const deputy = department?.deputy_leader_id ?? null;
    const candidates: [string | null, TierOwners['owner']][] =
      ticket.sla?.tier2Owner === 'paired_leader'
        ? [[ticket.pairedLeaderId, 'paired_leader'], [deputy, 'deputy_leader']]
        : [[deputy, 'deputy_leader'], [ticket.pairedLeaderId, 'paired_leader']];
    for (const [id, owner] of candidates) {
      if (id && (await activeIds(manager, 'id = $1', [id])).length > 0) return { userIds: [id], assigneeId: id, owner };
    }
  }
  return { userIds: await principals(manager), assigneeId: null, owner: 'principal_leaders' };
}
