import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { DepartmentsService } from '../departments/departments.service';
import { scheduleAfterCommit } from '../sla/sla-after-commit';
import { newTicketClock, SlaClockService } from '../sla/sla-clock.service';
import type { Role } from '../users/entities/user.entity';
import type { DemandDto } from './dto/ticket.dto';
import { Ticket } from './entities/ticket.entity';
import { assertExisting } from './references';
import { pick, recordEvent } from './ticket-events';
import type { TicketChannel } from './ticket-status';

/** Who may log engagements and file demands (department handlers only work them). */
export const INTAKE_ROLES: Role[] = ['liaison_officer', 'deputy_leader', 'principal_leader', 'manager', 'admin'];

/** A demand whose owning department is settled: the one given, or the owner of its category. */
export type RoutedDemand<D extends DemandDto = DemandDto> = D & { owner: string | null };

export interface IntakeDemand extends RoutedDemand {
  channel: TicketChannel;
  engagementId: string | null;
}

/**
 * Files demands: the one place a ticket is born, for direct demands and for those raised at an
 * engagement. `route` each demand first, then `intake` it inside the caller's transaction, so
 * an engagement and its demands are written all or nothing. The caller has checked that the
 * enterprise exists.
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
    const owner = demand.departmentId ?? (await this.departments.ownerOf(demand.category))?.id ?? null;
    return { ...demand, owner };
  }

  /** `field` prefixes the names of invalid fields in errors, e.g. `demands.2.`. */
  async intake(manager: EntityManager, actor: AuthUser, demand: IntakeDemand, field = ''): Promise<Ticket> {
    if (demand.departmentId) await assertExisting(manager, 'department', [demand.departmentId], `${field}departmentId`);
    const [pairing] = await manager.query<{ leader_id: string }[]>(
      'SELECT leader_id FROM pairings WHERE enterprise_id = $1 AND ended_on IS NULL',
      [demand.enterpriseId],
    );
    const clock = await this.sla.prepare(manager, demand.category);
    // Every read is done: the number's counter row stays locked until commit, and every
    // statement after it makes concurrent intakes wait that much longer.
    const { number, now } = await this.nextNumber(manager);
    const tier = demand.startingTier ?? 1;
    const tickets = manager.getRepository(Ticket);
    const ticket = await tickets.save(
      tickets.create({
        number,
        enterpriseId: demand.enterpriseId,
        engagementId: demand.engagementId,
        channel: demand.channel,
        category: demand.category,
        title: demand.title,
        description: demand.description ?? '',
        attachments: demand.attachments ?? [],
        departmentId: demand.owner,
        pairedLeaderId: pairing?.leader_id ?? null,
        status: demand.owner ? 'assigned' : 'new',
        createdBy: actor.id,
        // The 1-2-3 clock starts at intake: created_at, the transaction's now().
        ...newTicketClock(clock, now, tier),
      }),
    );
    scheduleAfterCommit(manager, ticket.id);
    await recordEvent(manager, { ticketId: ticket.id, actorId: actor.id, type: 'created', before: null, after: pick(ticket) });
    return ticket;
  }

  /**
   * `2026-000123`: the year of the transaction's now() in Asia/Shanghai (the same instant as
   * created_at) and a per-year counter. The counter row stays locked until commit, so numbers
   * are unique and a rolled-back intake gives its number back. That now() comes back too.
   */
  private async nextNumber(manager: EntityManager): Promise<{ number: string; now: Date }> {
    const [counter] = await manager.query<{ year: number; last_value: number; now: Date }[]>(
      `INSERT INTO ticket_number_counters (year, last_value)
       VALUES (CAST(extract(year FROM now() AT TIME ZONE 'Asia/Shanghai') AS integer), 1)
       ON CONFLICT (year) DO UPDATE SET last_value = ticket_number_counters.last_value + 1
       RETURNING year, last_value, now()`,
    );
    return { number: `${counter.year}-${String(counter.last_value).padStart(6, '0')}`, now: counter.now };
  }
}
