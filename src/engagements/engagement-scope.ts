import type { AuthUser } from '../auth/current-user';
import type { SqlCondition } from '../tickets/ticket-scope';
import { SEES_EVERYTHING } from '../users/entities/user.entity';

/**
 * Which engagements a user may see, as a WHERE condition on engagements aliased `e`
 * (null: no restriction). Every engagement query goes through this, so a row outside the
 * scope is simply not found.
 */
export function engagementScope(user: AuthUser, alias = 'e'): SqlCondition | null {
  if (SEES_EVERYTHING.includes(user.role)) return null;
  const params = { scopeUserId: user.id, scopeDepartmentId: user.departmentId };
  switch (user.role) {
    case 'liaison_officer':
      return {
        sql: `(${alias}.created_by = :scopeUserId OR :scopeUserId = ANY(${alias}.official_ids)
          OR EXISTS (SELECT 1 FROM engagement_enterprises scope_ee
                     JOIN enterprises scope_e ON scope_e.id = scope_ee.enterprise_id
                     WHERE scope_ee.engagement_id = ${alias}.id AND scope_e.liaison_officer_id = :scopeUserId))`,
        params,
      };
    case 'department_handler':
      return {
        sql: `EXISTS (SELECT 1 FROM tickets scope_t
                      WHERE scope_t.engagement_id = ${alias}.id AND scope_t.department_id = :scopeDepartmentId)`,
        params,
      };
    case 'deputy_leader':
      return {
        sql: `(:scopeUserId = ANY(${alias}.official_ids)
          OR ${alias}.created_by = :scopeUserId
          OR EXISTS (SELECT 1 FROM engagement_enterprises scope_ee
                     JOIN pairings scope_p ON scope_p.enterprise_id = scope_ee.enterprise_id
                     WHERE scope_ee.engagement_id = ${alias}.id AND scope_p.leader_id = :scopeUserId
                       AND scope_p.ended_on IS NULL)
          OR EXISTS (SELECT 1 FROM tickets scope_t
                     JOIN departments scope_d ON scope_d.id = scope_t.department_id
                     WHERE scope_t.engagement_id = ${alias}.id AND scope_d.deputy_leader_id = :scopeUserId))`,
        params,
      };
    default:
      // A role added later sees nothing until it is given a scope here.
      return { sql: 'false', params: {} };
  }
}
