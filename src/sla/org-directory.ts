import type { EntityManager } from 'typeorm';
import type { Ticket } from '../tickets/entities/ticket.entity';

/**
 * The people around one ticket that the 1-2-3 rule may name, active accounts only. Plain data,
 * so who owns a tier and who hears what are pure functions of it (sla-owners.ts, who-hears.ts).
 */
export interface OrgDirectory {
  /** Handlers of the ticket's department, oldest account first. */
  handlers: string[];
  /** The deputy leader in charge of the ticket's department. */
  deputyInCharge: string | null;
  principals: string[];
  managers: string[];
  /** The enterprise's paired leader (包联领导): its current pairing, else the one recorded at intake. */
  pairedLeader: string | null;
  /** Leaders who held the ticket at tier 2, first holder first, from its escalation events. */
  tier2Holders: string[];
}

type DirectoryRow = { handlers: string[]; deputy: string | null; principals: string[]; managers: string[]; paired: string | null; holders: string[] };

/** The directory for `ticket`, in one round trip. */
export async function loadOrgDirectory(
  manager: EntityManager,
  ticket: Pick<Ticket, 'id' | 'departmentId' | 'enterpriseId' | 'pairedLeaderId'>,
): Promise<OrgDirectory> {
  const [row] = await manager.query<DirectoryRow[]>(
    `SELECT
       ARRAY(SELECT id FROM users WHERE active AND role = 'department_handler' AND department_id = $1::uuid ORDER BY created_at) AS handlers,
       (SELECT u.id FROM departments d JOIN users u ON u.id = d.deputy_leader_id AND u.active WHERE d.id = $1::uuid) AS deputy,
       ARRAY(SELECT id FROM users WHERE active AND role = 'principal_leader' ORDER BY created_at) AS principals,
       ARRAY(SELECT id FROM users WHERE active AND role = 'manager' ORDER BY created_at) AS managers,
       COALESCE(
         (SELECT u.id FROM pairings p JOIN users u ON u.id = p.leader_id AND u.active
           WHERE p.enterprise_id = $2::uuid AND p.ended_on IS NULL),
         (SELECT id FROM users WHERE id = $3::uuid AND active)) AS paired,
       ARRAY(SELECT u.id FROM (
               SELECT h.id, min(e.id) AS first_event
                 FROM ticket_events e
                 CROSS JOIN LATERAL (VALUES ((e.before->>'assigneeId')::uuid), ((e.after->>'assigneeId')::uuid)) AS h(id)
                WHERE e.ticket_id = $4::uuid AND e.type = 'escalated' AND h.id IS NOT NULL
                GROUP BY h.id) held
             JOIN users u ON u.id = held.id AND u.active
             ORDER BY held.first_event) AS holders`,
    [ticket.departmentId, ticket.enterpriseId, ticket.pairedLeaderId, ticket.id],
  );
  return {
    handlers: row.handlers,
    deputyInCharge: row.deputy,
    principals: row.principals,
    managers: row.managers,
    pairedLeader: row.paired,
    tier2Holders: row.holders,
  };
}
