import type { AuthUser } from '../auth/current-user';
import type { SqlCondition } from './ticket-scope';

/**
 * Who holds a ticket now, computed by Postgres in every ticket read: the function
 * `ticket_owners` (migration 1795390000000-Rounds) applies the 1-2-3 rule's owners to the
 * row's status, tier, department and assignee, so a list page costs no query per ticket.
 */

export const OWNER_KINDS = ['department', 'deputy_leader', 'paired_leader', 'principal_leaders', 'managers'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

export interface TicketOwner {
  tier: number;
  /** Null once resolved or closed: nobody holds it. */
  kind: OwnerKind | null;
  departmentId: string | null;
  users: { id: string; displayName: string }[];
}

/** The owners row (kind, user_ids) of the ticket whose table or alias is `alias`. */
export const ownersCall = (alias: string) =>
  `ticket_owners(${alias}.status, ${alias}.tier, ${alias}.department_id, ${alias}.assignee_id, ${alias}.paired_leader_id, ${alias}.sla->>'tier2Owner')`;

/** A SELECT of the ticket's `TicketOwner` as JSON, users in the order the rule lists them. */
export const ownerSelect = (alias: string) => `SELECT json_build_object(
    'tier', ${alias}.tier, 'kind', o.kind, 'departmentId', ${alias}.department_id,
    'users', coalesce((SELECT json_agg(json_build_object('id', u.id, 'displayName', u.display_name) ORDER BY array_position(o.user_ids, u.id))
                       FROM users u WHERE u.id = ANY(o.user_ids)), '[]'::json))
  FROM ${ownersCall(alias)} o`;

/** The owners' display names, comma-separated, for the ledger; null when nobody holds it. */
export const ownerNamesSelect = (alias: string) =>
  `SELECT string_agg(u.display_name, '、' ORDER BY array_position(o.user_ids, u.id)) FROM ${ownersCall(alias)} o JOIN users u ON u.id = ANY(o.user_ids)`;

/**
 * `user` holds the ticket aliased `alias` now (is among `ticket_owners`' users), as a condition.
 * The function reads users and departments per row, so no index serves it and calling it on
 * thousands of rows costs tens of milliseconds. So, by role: where the function's branch is
 * certain to name the caller (an active user, as every authenticated one is), the columns alone
 * decide; elsewhere a necessary condition on indexed columns picks the rows first and the
 * function decides on those. test/queue.e2e-spec.ts holds this to `owner.users` over every
 * branch of the function.
 */
export function heldNowSql(user: Pick<AuthUser, 'id' | 'role' | 'departmentId'>, alias = 't'): SqlCondition {
  const t = alias;
  // Tier 2: the assigned leader, else the policy's (the department's deputy or the paired leader), else the principal leaders.
  const maybe = [
    `(${t}.tier = 2 AND (${t}.assignee_id = :holderId OR (${t}.assignee_id IS NULL AND (${t}.paired_leader_id = :holderId
        OR ${t}.department_id = ANY(ARRAY(SELECT held_d.id FROM departments held_d WHERE held_d.deputy_leader_id = :holderId))))))`,
  ];
  const certain: string[] = [];
  switch (user.role) {
    case 'department_handler':
      // Tier 1 belongs to the department's active handlers unless handed back.
      if (user.departmentId) certain.push(`(${t}.tier = 1 AND ${t}.status <> 'returned' AND ${t}.department_id = :holderDepartmentId)`);
      break;
    case 'manager':
      // Tier 1 falls to the managers when handed back, unrouted, or the department has no active handler.
      maybe.push(`(${t}.tier = 1 AND (${t}.status = 'returned' OR ${t}.department_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM users held_u WHERE held_u.active AND held_u.role = 'department_handler' AND held_u.department_id = ${t}.department_id)))`);
      break;
    case 'principal_leader':
      certain.push(`${t}.tier = 3`);
      maybe.push(`(${t}.tier = 2 AND ${t}.assignee_id IS NULL)`);
      break;
  }
  const decided = `((${maybe.join(' OR ')}) AND :holderId = ANY((${ownersCall(alias)}).user_ids))`;
  return {
    sql: `(${t}.status NOT IN ('resolved', 'closed') AND (${[...certain, decided].join(' OR ')}))`,
    params: { holderId: user.id, holderDepartmentId: user.departmentId },
  };
}
