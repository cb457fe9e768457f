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
