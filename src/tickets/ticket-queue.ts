import type { AuthUser } from '../auth/current-user';
import type { KeysetOptions } from '../common/pagination/keyset';
import type { QueueView } from './dto/ticket.dto';
import { overdueSql, warnedSql } from './sla-standing';
import { heldNowSql } from './ticket-owner';
import type { SqlCondition } from './ticket-scope';

/**
 * The work queue's views (我的待办) as conditions on tickets aliased `t`, narrowing the list's
 * scoped and filtered query. `:standingNow` is the clock's now.
 */
export function queueViewSql(user: Pick<AuthUser, 'id' | 'role' | 'departmentId'>, view: QueueView): SqlCondition {
  const held = heldNowSql(user);
  const params = { ...held.params, queueUserId: user.id };
  const heldBefore = `t.holder_ids @> ARRAY[CAST(:queueUserId AS uuid)]`;
  switch (view) {
    case 'open':
      return { sql: held.sql, params };
    case 'warned':
      return { sql: `${held.sql} AND ${warnedSql('t')} AND NOT ${overdueSql('t')}`, params };
    case 'overdue':
      return { sql: `${held.sql} AND ${overdueSql('t')}`, params };
    case 'awaiting_survey':
      return { sql: `(t.status = 'resolved' AND (t.resolved_by = :queueUserId OR ${heldBefore}))`, params };
    case 'handled':
      // Held before (the trigger's holder_ids), resolved it, or holds it now.
      return { sql: `(${heldBefore} OR t.resolved_by = :queueUserId OR ${held.sql})`, params };
  }
}

/** Far past any deadline: open tickets without one sort last. */
const NO_DEADLINE = `CAST('3000-01-01T00:00:00Z' AS timestamptz)`;

export const QUEUE_ORDER: Record<QueueView, Omit<KeysetOptions, 'cursor' | 'limit'>> = {
  open: { alias: 't', column: 'due_at', property: 'dueAt', sortSql: `coalesce(t.due_at, ${NO_DEADLINE})`, descending: false },
  warned: { alias: 't', column: 'due_at', property: 'dueAt', sortSql: `coalesce(t.due_at, ${NO_DEADLINE})`, descending: false },
  overdue: { alias: 't', column: 'due_at', property: 'dueAt', sortSql: `coalesce(t.due_at, ${NO_DEADLINE})`, descending: false },
  awaiting_survey: { alias: 't', column: 'resolved_at', property: 'resolvedAt', descending: false },
  handled: { alias: 't', column: 'updated_at', property: 'updatedAt', descending: true },
};
