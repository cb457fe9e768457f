import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { DepartmentsService } from '../departments/departments.service';
import { scheduleAfterCommit } from '../sla/sla-after-commit';
import { newTicketClock, SlaClockService } from '../sla/sla-clock.service';
import type { Role } from '../users/entities/user.entity';
import type { DemandDto } from './dto/ticket.dto';
import { Ticket } from './entities/ticket.entity';
import { missingReference } from './references';
import { hydrate, insertColumns } from '../database/entity-rows';
import { pick } from './ticket-events';
import type { TicketChannel } from './ticket-status';

/** Who may log engagements and file demands (department handlers only work them). */
export const INTAKE_ROLES: Role[] = ['liaison_officer', 'deputy_leader', 'principal_leader', 'manager', 'admin'];

interface IntakeContext {
  now: Date;
  enterprise_exists: boolean;
  department_exists: boolean;
  leader_id: string | null;
}

/** A demand whose owning department is settled: the one given, or the owner of its category. */
export type RoutedDemand<D extends DemandDto = DemandDto> = D & { owner: string | null };

export interface IntakeDemand extends RoutedDemand {
  channel: TicketChannel;
  engagementId: string | null;
}

/**
 * Files demands: the one place a ticket is born, for direct demands and for those raised at an
 * engagement. `route` each demand first, then `intake` it: inside the caller's transaction, so
 * an engagement and its demands are written all or nothing, or, for one direct demand, without
 * one: its reads come first and its writes are a single statement.
 */
@Injectable()
export class TicketIntakeService {
  constructor(
    private readonly departments: DepartmentsService,
    private readonly sla: SlaClockService,
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
    const clock = await this.sla.prepare(manager, demand.category);
    // One round trip for every other read. Its now() is written as created_at, where the 1-2-3
    // clock starts, so the instant is the same with or without a transaction around intake.
    const [context] = await manager.query<IntakeContext[]>(
      `SELECT now() AS now,
              EXISTS (SELECT 1 FROM enterprises WHERE id = $1) AS enterprise_exists,
              $2::uuid IS NULL OR EXISTS (SELECT 1 FROM departments WHERE id = $2) AS department_exists,
              (SELECT leader_id FROM pairings WHERE enterprise_id = $1 AND ended_on IS NULL) AS leader_id`,
      [demand.enterpriseId, demand.departmentId ?? null],
    );
    if (!context.enterprise_exists) throw missingReference('enterprise', [demand.enterpriseId], `${field}enterpriseId`);
    if (!context.department_exists) throw missingReference('department', [demand.departmentId!], `${field}departmentId`);
    const { now, leader_id: pairedLeaderId } = context;
    const ticket = manager.getRepository(Ticket).create({
      id: randomUUID(),
      enterpriseId: demand.enterpriseId,
      engagementId: demand.engagementId,
      channel: demand.channel,
      category: demand.category,
      title: demand.title,
      description: demand.description ?? '',
      attachments: demand.attachments ?? [],
      departmentId: demand.owner,
      pairedLeaderId,
      status: demand.owner ? 'assigned' : 'new',
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
      ...newTicketClock(clock, now, demand.startingTier ?? 1),
    });
    await this.insertNumbered(manager, actor, ticket);
    scheduleAfterCommit(manager, ticket);
    return ticket;
  }

  /**
   * Takes the number (`2026-000123`: the year of created_at in Asia/Shanghai and a per-year
   * counter) and inserts the ticket and its `created` event, all in one statement. The counter
   * row stays locked until commit, so numbers are unique and a rolled-back intake gives its
   * number back; one statement leaves only the commit for concurrent intakes to wait on.
   */
  private async insertNumbered(manager: EntityManager, actor: AuthUser, ticket: Ticket): Promise<void> {
    const { names, values } = insertColumns(manager, Ticket, ticket);
    const event = values.length;
    const [row] = await manager.query<Record<string, unknown>[]>(
      `WITH counter AS (
         INSERT INTO ticket_number_counters (year, last_value)
         VALUES (CAST(extract(year FROM $${event + 4}::timestamptz AT TIME ZONE 'Asia/Shanghai') AS integer), 1)
         ON CONFLICT (year) DO UPDATE SET last_value = ticket_number_counters.last_value + 1
         RETURNING year, last_value::text AS serial
       ), next_number AS (
         SELECT year || '-' || lpad(serial, greatest(6, length(serial)), '0') AS number FROM counter
       ), created_event AS (
         INSERT INTO ticket_events (ticket_id, actor_id, type, before, after, created_at)
         VALUES ($${event + 1}, $${event + 2}, 'created', NULL, $${event + 3}::jsonb || jsonb_build_object('number', (SELECT number FROM next_number)), $${event + 4})
       )
       INSERT INTO tickets (number, ${names.join(', ')})
       VALUES ((SELECT number FROM next_number), ${values.map((_, i) => `$${i + 1}`).join(', ')})
       RETURNING *`,
      [...values, ticket.id, actor.id, JSON.stringify(pick(ticket)), ticket.createdAt],
    );
    hydrate(manager, Ticket, row, ticket);
  }
}
