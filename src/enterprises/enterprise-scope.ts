import type { AuthUser } from '../auth/current-user';
import type { SqlCondition } from '../tickets/ticket-scope';
import type { Role } from '../users/entities/user.entity';

/**
 * Who manages enterprises: edits any of them and decides who follows each (liaisonOfficerId),
 * which moves the enterprise's tickets and engagements between liaison officers' scopes.
 */
export const MANAGES_ENTERPRISES: readonly Role[] = ['manager', 'admin'];

/**
 * Which enterprises a user may edit, as a WHERE condition on enterprises aliased `e` (null: any).
 * Every enterprise is readable by everyone, but a liaison officer edits only those they follow.
 */
export function enterpriseEditScope(user: AuthUser, alias = 'e'): SqlCondition | null {
  if (MANAGES_ENTERPRISES.includes(user.role)) return null;
  if (user.role === 'liaison_officer') return { sql: `${alias}.liaison_officer_id = :scopeUserId`, params: { scopeUserId: user.id } };
  return { sql: 'false', params: {} };
}

/**
 * Whether `user` may send `requested` as the follower of `enterprise` (absent: one being
 * registered; `requested` undefined: not sent). Managers assign anyone; a liaison officer may
 * name only themselves, when registering, and never reassign an enterprise.
 */
export function mayAssignLiaisonOfficer(
  user: AuthUser,
  requested: string | null | undefined,
  enterprise?: { liaisonOfficerId: string | null },
): boolean {
  if (requested === undefined || MANAGES_ENTERPRISES.includes(user.role)) return true;
  if (!enterprise) return requested === null || requested === user.id;
  return requested === enterprise.liaisonOfficerId;
}
