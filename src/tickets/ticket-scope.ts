import type { AuthUser } from '../auth/current-user';
import { SEES_EVERYTHING } from '../users/entities/user.entity';

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Which tickets a user may see and act on, as a WHERE condition on tickets aliased `t`.
 * Null: no restriction. Every ticket query (list, read, write, export, stats) goes
 * through this, so a row outside the scope is simply not found.
 */
export function ticketScope(user: AuthUser, alias = 't'): SqlCondition | null {
  if (SEES_EVERYTHING.includes(user.role)) return null;
  const params = { scopeUserId: user.id, scopeDepartmentId: user.departmentId };
  switch (user.role) {
    case 'liaison_officer':
      return {
        sql: `(${alias}.created_by = :scopeUserId OR EXISTS (
          SELECT 1 FROM enterprises scope_e
          WHERE scope_e.id = ${alias}.enterprise_id AND scope_e.liaison_officer_id = :scopeUserId))`,
        params,
      };
    case 'department_handler':
      return { sql: `${alias}.department_id = :scopeDepartmentId`, params };
    case 'deputy_leader':
      return {
        sql: `(${alias}.paired_leader_id = :scopeUserId
          OR ${alias}.assignee_id = :scopeUserId
          OR ${alias}.created_by = :scopeUserId
          OR EXISTS (SELECT 1 FROM departments scope_d
                     WHERE scope_d.id = ${alias}.department_id AND scope_d.deputy_leader_id = :scopeUserId)
          OR EXISTS (SELECT 1 FROM pairings scope_p
                     WHERE scope_p.enterprise_id = ${alias}.enterprise_id AND scope_p.leader_id = :scopeUserId
                       AND scope_p.ended_on IS NULL))`,
        params,
      };
    default:
      // A role added later sees nothing until it is given a scope here.
      return { sql: 'false', params: {} };
  }
}
