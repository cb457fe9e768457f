import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { Clock } from '../common/clock';
import { isForeignKeyViolation } from '../common/errors/constraint-violation';
import { hydrate, insertColumns } from '../database/entity-rows';
import { DepartmentsService } from '../departments/departments.service';
import { EventBus, type RecordedEvent } from '../events/event-bus.service';
import type { TicketCreatedPayload } from '../events/event-map';
import { scheduleAfterCommit } from '../sla/sla-after-commit';
import { newTicketClock, SlaClockService } from '../sla/sla-clock.service';
import type { Role } from '../users/entities/user.entity';
import type { DemandDto } from './dto/ticket.dto';
import { Ticket } from './entities/ticket.entity';
import { missingReference } from './references';
import { pick } from './ticket-events';
import { ownerSelect } from './ticket-owner';
import type { TicketChannel } from './ticket-status';

/** Who may log engagements and file demands (department handlers only work them). */
export const INTAKE_ROLES: Role[] = ['liaison_officer', 'deputy_leader', 'principal_leader', 'manager', 'admin'];

/** A demand whose owning department is settled: the one given, or the owner of its category. */
export type RoutedDemand<D extends DemandDto = DemandDto> = D & { owner: string | null };

export interface IntakeDemand extends RoutedDemand {
  /** The new ticket's id (see CreationIds). */
  id: string;
  channel: TicketChannel;
  engagementId: string | null;
}

/**
 * Files demands: the one place a ticket is born, for direct demands and for those raised at an
 * engagement. `route` each demand first, then `intake` it: inside the caller's transaction, so
 * an engagement and its demands are written all or nothing, or, for one direct demand, without
 * one: intake is a single statement.
 */
@Injectable()
export class TicketIntakeService {
  constructor(
    private readonly departments: DepartmentsService,
    private readonly sla: SlaClockService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs before the transaction opens: routing only reads, and a query on a second pooled
   * connection from inside a transaction can starve the pool under load.
   */
  async route<D extends DemandDto>(demand: D): Promise<RoutedDemand<D>> {
    const owner = demand.departmentId ?? (await this.departments.routeOf(demand.category));
    return { ...demand, owner };
  }

  /** `field` prefixes the names of invalid fields in errors, e.g. `demands.2.`. */
  async intake(manager: EntityManager, actor: AuthUser, demand: IntakeDemand, field = ''): Promise<Ticket> {
    const plan = await this.sla.prepare(manager, demand.category);
    // The 1-2-3 clock starts at intake: created_at.
    const now = this.clock.now();
    const ticket = manager.getRepository(Ticket).create({
      id: demand.id,
      enterpriseId: demand.enterpriseId,
      engagementId: demand.engagementId,
      channel: demand.channel,
      category: demand.category,
      title: demand.title,
      description: demand.description ?? '',
      attachments: demand.attachments ?? [],
      departmentId: demand.owner,
      status: demand.owner ? 'assigned' : 'new',
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
      ...newTicketClock(plan, now, demand.startingTier ?? 1),
    });
    let recorded: RecordedEvent | null;
    try {
      recorded = await this.insertNumbered(manager, actor, ticket);
    } catch (error) {
      // The foreign keys check the references, in the same statement: no read before it.
      if (isForeignKeyViolation(error, 'tickets_enterprise_id_fkey')) throw missingReference('enterprise', [demand.enterpriseId], `${field}enterpriseId`);
      if (isForeignKeyViolation(error, 'tickets_department_id_fkey')) throw missingReference('department', [demand.owner!], `${field}departmentId`);
      throw error;
    }
    scheduleAfterCommit(manager, ticket);
    if (recorded) this.bus.afterCommitOf(manager, [recorded]);
    return ticket;
  }

  /**
   * One statement: takes the number (`2026-000123`: the year of created_at in Asia/Shanghai and
   * a per-year counter), looks up the enterprise's paired leader, inserts the ticket and its
   * `created` event, and records `ticket.created` in the event bus's outbox (nothing when no
   * subscriber wants it; returns the row). The counter row stays locked until commit, so numbers are unique and a
   * rolled-back intake gives its number back; one statement leaves only the commit for
   * concurrent intakes to wait on.
   */
  private async insertNumbered(manager: EntityManager, actor: AuthUser, ticket: Ticket): Promise<RecordedEvent | null> {
    const { names, values } = insertColumns(manager, Ticket, ticket);
    // The ticket's values are $1…$n; the statement's own parameters follow them.
    const n = values.length;
    const [row] = await manager.query<Record<string, unknown>[]>(
      `WITH counter AS (
         INSERT INTO ticket_number_counters (year, last_value)
         VALUES (CAST(extract(year FROM $${n + 1}::timestamptz AT TIME ZONE 'Asia/Shanghai') AS integer), 1)
         ON CONFLICT (year) DO UPDATE SET last_value = ticket_number_counters.last_value + 1
         RETURNING year, last_value::text AS serial
       ), next_number AS (
         SELECT year || '-' || lpad(serial, greatest(6, length(serial)), '0') AS number FROM counter
       ), pairing AS (
         SELECT (SELECT leader_id FROM pairings WHERE enterprise_id = $${n + 2} AND ended_on IS NULL) AS leader_id
       ), created_event AS (
         INSERT INTO ticket_events (ticket_id, actor_id, type, before, after, created_at)
         VALUES ($${n + 3}, $${n + 4}, 'created', NULL,
                 $${n + 5}::jsonb || jsonb_build_object('number', (SELECT number FROM next_number), 'pairedLeaderId', (SELECT leader_id FROM pairing)),
                 $${n + 1})
       ), outbox AS (
         ${this.bus.outboxSql('ticket.created', `'ticket.created'`, `$${n + 6}::jsonb || jsonb_build_object('number', (SELECT number FROM next_number), 'pairedLeaderId', (SELECT leader_id FROM pairing))`)}
       )
       INSERT INTO tickets (number, paired_leader_id, ${names.join(', ')})
       VALUES ((SELECT number FROM next_number), (SELECT leader_id FROM pairing), ${values.map((_, i) => `$${i + 1}`).join(', ')})
       RETURNING *, (${ownerSelect('tickets')}) AS owner, (SELECT to_jsonb(o) FROM outbox o) AS outbox`,
      [...values, ticket.createdAt, ticket.enterpriseId, ticket.id, actor.id, JSON.stringify(pick(ticket)), JSON.stringify(createdPayload(ticket))],
    );
    hydrate(manager, Ticket, row, ticket);
    return row.outbox as RecordedEvent | null;
  }
}

/** The `ticket.created` payload, but for the number and paired leader the statement adds. */
function createdPayload(ticket: Ticket): Omit<TicketCreatedPayload, 'number' | 'pairedLeaderId'> {
  return {
    ticketId: ticket.id,
    title: ticket.title,
    category: ticket.category,
    channel: ticket.channel,
    enterpriseId: ticket.enterpriseId,
    engagementId: ticket.engagementId,
    departmentId: ticket.departmentId,
    status: ticket.status,
    tier: ticket.tier,
    createdBy: ticket.createdBy,
    createdAt: ticket.createdAt.toISOString(),
  };
}
