import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storedWorkCalendar } from '../src/calendar/stored-calendar';
import { overdueWorkingMs } from '../src/tickets/rounds';

/**
 * Figures that remember every round, and who owns a ticket now.
 *
 * A reopening starts a fresh clock at tier 1, so the columns the statistics read describe the
 * latest round only. What an earlier round leaves is kept on the ticket when it is reopened
 * (`earlier_max_tier`, `earlier_overdue`) and the working time past the final deadline is
 * added up at each resolution (`overdue_working_ms`): the statistics read plain columns, never
 * the timeline.
 *
 * `ticket_owners` says who holds a ticket now (the 1-2-3 rule's owner of its tier, as
 * src/sla/sla-owners.ts picks it): every ticket read computes it, and the `tickets_holders`
 * trigger adds the owners a change takes the ticket from to `holder_ids`, whoever makes the
 * change (actions, the SLA engine, the survey loop), for the list's `mine` filter.
 */
export class Rounds1795390000000 implements MigrationInterface {
  name = 'Rounds1795390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tickets
        ADD COLUMN earlier_max_tier smallint NOT NULL DEFAULT 0 CHECK (earlier_max_tier BETWEEN 0 AND 3),
        ADD COLUMN earlier_overdue boolean NOT NULL DEFAULT false,
        ADD COLUMN overdue_working_ms bigint NOT NULL DEFAULT 0 CHECK (overdue_working_ms >= 0),
        ADD COLUMN holder_ids uuid[] NOT NULL DEFAULT '{}'`);

    await q.query(`
      CREATE FUNCTION ticket_owners(
        p_status text, p_tier smallint, p_department_id uuid, p_assignee_id uuid, p_paired_leader_id uuid, p_tier2_owner text,
        OUT kind text, OUT user_ids uuid[])
      LANGUAGE plpgsql STABLE AS $$
      DECLARE
        deputy uuid;
        leader uuid;
      BEGIN
        -- Resolved or closed: nobody holds it (kind and user_ids stay null).
        IF p_status IN ('resolved', 'closed') THEN RETURN; END IF;
        IF p_tier = 1 THEN
          -- A demand handed back waits for the managers to route it, like an unrouted one.
          IF p_status <> 'returned' THEN
            SELECT array_agg(u.id ORDER BY u.created_at, u.id) INTO user_ids
            FROM users u WHERE u.active AND u.role = 'department_handler' AND u.department_id = p_department_id;
            IF user_ids IS NOT NULL THEN kind := 'department'; RETURN; END IF;
          END IF;
          kind := 'managers';
          SELECT coalesce(array_agg(u.id ORDER BY u.created_at, u.id), '{}') INTO user_ids FROM users u WHERE u.active AND u.role = 'manager';
          RETURN;
        END IF;
        IF p_tier = 2 THEN
          SELECT d.deputy_leader_id INTO deputy FROM departments d WHERE d.id = p_department_id;
          leader := p_assignee_id;
          IF leader IS NULL THEN
            -- Filed straight at tier 2 (no escalation set an assignee): the leader the policy names, if active.
            SELECT c.id INTO leader
            FROM (VALUES (deputy, CASE WHEN p_tier2_owner = 'paired_leader' THEN 2 ELSE 1 END),
                         (p_paired_leader_id, CASE WHEN p_tier2_owner = 'paired_leader' THEN 1 ELSE 2 END)) AS c(id, rank)
            JOIN users u ON u.id = c.id AND u.active
            ORDER BY c.rank LIMIT 1;
          END IF;
          IF leader IS NOT NULL THEN
            kind := CASE WHEN leader = p_paired_leader_id AND (p_tier2_owner = 'paired_leader' OR leader IS DISTINCT FROM deputy)
                         THEN 'paired_leader' ELSE 'deputy_leader' END;
            user_ids := ARRAY[leader];
            RETURN;
          END IF;
        END IF;
        kind := 'principal_leaders';
        SELECT coalesce(array_agg(u.id ORDER BY u.created_at, u.id), '{}') INTO user_ids FROM users u WHERE u.active AND u.role = 'principal_leader';
      END $$`);

    await q.query(`
      CREATE FUNCTION tickets_keep_holders() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        previous uuid[];
      BEGIN
        SELECT o.user_ids INTO previous
        FROM ticket_owners(OLD.status, OLD.tier, OLD.department_id, OLD.assignee_id, OLD.paired_leader_id, OLD.sla->>'tier2Owner') o;
        IF previous IS NOT NULL AND NOT NEW.holder_ids @> previous THEN
          NEW.holder_ids := ARRAY(SELECT DISTINCT h FROM unnest(NEW.holder_ids || previous) AS h);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER tickets_holders BEFORE UPDATE OF status, tier, department_id, assignee_id ON tickets
      FOR EACH ROW
      WHEN ((OLD.status, OLD.tier, OLD.department_id, OLD.assignee_id) IS DISTINCT FROM (NEW.status, NEW.tier, NEW.department_id, NEW.assignee_id))
      EXECUTE FUNCTION tickets_keep_holders()`);

    await this.backfill(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tickets_holders ON tickets`);
    await q.query(`DROP FUNCTION tickets_keep_holders()`);
    await q.query(`DROP FUNCTION ticket_owners(text, smallint, uuid, uuid, uuid, text)`);
    await q.query(`
      ALTER TABLE tickets
        DROP COLUMN holder_ids, DROP COLUMN overdue_working_ms, DROP COLUMN earlier_overdue, DROP COLUMN earlier_max_tier`);
  }

  /**
   * From the timeline, for tickets that existed before these columns: a round ends at a
   * `reopen` event, whose `before.tier` is the highest tier that round reached (tiers only rise
   * within a round); an earlier round went overdue when an `overdue` event precedes the last
   * reopening. Overdue working time: each earlier round from its `overdue` event's deadline to
   * its `resolve` event, the latest round from its columns. Past holders: the leaders the
   * `escalated` events assigned, and who resolved it. (An extension approved after a round
   * went overdue is not in the timeline's data, so such a round counts as overdue here.)
   */
  private async backfill(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE tickets t SET earlier_max_tier = r.max_tier, earlier_overdue = r.overdue
      FROM (
        SELECT e.ticket_id, max((e.before->>'tier')::smallint) AS max_tier,
               bool_or(EXISTS (SELECT 1 FROM ticket_events o WHERE o.ticket_id = e.ticket_id AND o.type = 'overdue' AND o.id < e.id)) AS overdue
        FROM ticket_events e WHERE e.type = 'reopen' GROUP BY e.ticket_id
      ) r
      WHERE t.id = r.ticket_id`);
    await q.query(`
      UPDATE tickets t SET holder_ids = h.ids
      FROM (
        SELECT t2.id, array_agg(DISTINCT x.id) AS ids
        FROM tickets t2
        JOIN LATERAL (
          SELECT (e.before->>'assigneeId')::uuid AS id FROM ticket_events e WHERE e.ticket_id = t2.id AND e.type = 'escalated'
          UNION SELECT (e.after->>'assigneeId')::uuid FROM ticket_events e WHERE e.ticket_id = t2.id AND e.type = 'escalated'
          UNION SELECT t2.resolved_by
        ) x ON x.id IS NOT NULL
        GROUP BY t2.id
      ) h
      WHERE t.id = h.id`);

    const calendar = await storedWorkCalendar((sql) => q.query(sql));
    const tickets: { id: string; status: string; tier3_due_at: Date | null; resolved_at: Date | null }[] = await q.query(`
      SELECT id, status, tier3_due_at, resolved_at FROM tickets t
      WHERE (status IN ('resolved', 'closed') AND resolved_at > tier3_due_at)
         OR EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'overdue')`);
    for (const ticket of tickets) {
      const events: { type: string; due: string | null; at: Date }[] = await q.query(
        `SELECT type, after->>'dueAt' AS due, created_at AS at FROM ticket_events
         WHERE ticket_id = $1 AND type IN ('overdue', 'resolve', 'reopen') ORDER BY id`,
        [ticket.id],
      );
      let total = 0;
      let due: Date | null = null;
      let resolvedAt: Date | null = null;
      for (const event of events) {
        if (event.type === 'overdue' && event.due) due = new Date(event.due);
        if (event.type === 'resolve') resolvedAt = event.at;
        if (event.type === 'reopen') {
          total += overdueWorkingMs(due, resolvedAt, calendar);
          due = null;
          resolvedAt = null;
        }
      }
      if (ticket.status === 'resolved' || ticket.status === 'closed') total += overdueWorkingMs(ticket.tier3_due_at, ticket.resolved_at, calendar);
      if (total > 0) await q.query(`UPDATE tickets SET overdue_working_ms = $2 WHERE id = $1`, [ticket.id, total]);
    }
  }
}

