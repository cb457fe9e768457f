import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { CalendarService } from '../calendar/calendar.service';
import { workingTimeBetween } from '../calendar/working-time';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { type EmittedEvent, EventBus } from '../events/event-bus.service';
import type { TransitionEvent } from '../events/event-map';
import { SlaClockService } from '../sla/sla-clock.service';
import { loadOrgDirectory } from '../sla/org-directory';
import { ownerOf } from '../sla/sla-owners';
import { type Occasion, whoHears } from '../sla/who-hears';
import type { ExtendDto, OptionalNoteDto, ReasonDto, ResolveDto, RouteDto } from './dto/ticket-action.dto';
import { type TicketDto, toTicketDto } from './dto/ticket.dto';
import { Ticket } from './entities/ticket.entity';
import { assertExisting } from './references';
import { closeRound, overdueWorkingMs } from './rounds';
import { pick, recordEvent, type TrackedField } from './ticket-events';
import { ticketScope } from './ticket-scope';
import { type Actor, checkTransition, EXTENSION_APPROVERS, type TicketAction } from './ticket-workflow';
import { expectedVersion, versionConflict } from './versioning';

interface Step {
  /** Column changes besides status and version. */
  changes?: Partial<Ticket>;
  /** Clock work inside the same transaction. */
  clock?: (manager: EntityManager, ticket: Ticket) => Promise<unknown>;
  note?: string | null;
  /** Who hears about it in their inbox; every action is emitted on the event bus either way. */
  notify?: (manager: EntityManager, ticket: Ticket) => Promise<string[]>;
}

type Plan = (manager: EntityManager, ticket: Ticket) => Promise<Step>;

/** Each action's event on the bus (the inbox notification's type, the webhook's event). */
const ACTION_EVENTS: Record<TicketAction, TransitionEvent> = {
  route: 'ticket.routed',
  start: 'ticket.started',
  pause: 'ticket.paused',
  resume: 'ticket.resumed',
  return: 'ticket.returned',
  resolve: 'ticket.resolved',
  reopen: 'ticket.reopened',
  close: 'ticket.closed',
  extend: 'ticket.extended',
};

const MAX_EXTENSION_MS = 366 * 24 * 3600_000;

/** Who hears a resolution or reopening: the same table as the SLA engine's (src/sla/who-hears.ts). */
const hearing = (occasion: Occasion) => async (manager: EntityManager, ticket: Ticket) =>
  whoHears(occasion, ticket, await loadOrgDirectory(manager, ticket));

/** The owners of a tier (or of the ticket's current one) under the 1-2-3 rule. */
const owners = (tier: 1 | 'current') => async (manager: EntityManager, ticket: Ticket) =>
  ownerOf(await loadOrgDirectory(manager, ticket), ticket.sla?.tier2Owner, tier === 'current' ? ticket.tier : tier).userIds;

/** The survey loop and timers acting on their own: no scope, no actor id on the timeline. */
const SYSTEM = { id: null, role: 'system' } as const;

/**
 * Moves tickets through the lifecycle table in ticket-workflow.ts: checks role, scope,
 * state and version under a row lock, applies the change with its clock effect, writes the
 * timeline, and tells the people concerned.
 */
@Injectable()
export class TicketWorkflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sla: SlaClockService,
    private readonly calendar: CalendarService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {
    // In the survey's transaction: the answer and the ticket's close or reopening commit together.
    bus.inTransaction('close-loop', ['survey.answered', 'survey.no_response'], (manager, event) => this.closeLoop(manager, event));
  }

  /**
   * The survey loop closing or reopening a resolved ticket as `system`. Someone may have closed
   * or reopened it by hand meanwhile: the answer still counts, and the ticket stays as it is.
   */
  private async closeLoop(manager: EntityManager, event: EmittedEvent<'survey.answered' | 'survey.no_response'>): Promise<void> {
    const { ticketId } = event.payload;
    const current = await manager.getRepository(Ticket).findOne({ select: { id: true, status: true }, where: { id: ticketId } });
    if (current?.status !== 'resolved') return;
    if (event.name === 'survey.no_response') {
      await this.closeOrReopen(manager, ticketId, 'close', '回访无应答 (no response within the survey window)');
      return;
    }
    const { answer, comment } = event.payload;
    const unsatisfied = answer === 'unsatisfied';
    const note = unsatisfied ? `回访不满意 (unsatisfied)${comment ? `: ${comment}` : ''}` : `回访${answer === 'satisfied' ? '满意' : '基本满意'} (${answer})`;
    await this.closeOrReopen(manager, ticketId, unsatisfied ? 'reopen' : 'close', note);
  }

  private async closeOrReopen(manager: EntityManager, id: string, action: 'close' | 'reopen', note: string): Promise<void> {
    const now = this.clock.now();
    const plan: Plan =
      action === 'close'
        ? async () => ({ changes: { closedAt: now }, note })
        : async (_m, ticket) => ({
            changes: { assigneeId: null, closedAt: null, reopenCount: ticket.reopenCount + 1, ...closeRound(ticket) },
            // Back to its department with a fresh tier-1 clock; the round's resolution stays on its survey.
            clock: (m, t) => this.sla.start(m, t, now, 1),
            note,
            notify: hearing('reopened'),
          });
    await this.apply(manager, SYSTEM, id, action, null, plan);
  }

  route(user: AuthUser, id: string, input: RouteDto, ifMatch?: string): Promise<TicketDto> {
    return this.act(user, id, 'route', input.version, ifMatch, async (manager, ticket) => {
      await assertExisting(manager, 'department', [input.departmentId], 'departmentId');
      if (user.role === 'deputy_leader' && ticket.pairedLeaderId !== user.id) {
        throw new DomainError('forbidden', 'Only the paired leader, a principal leader or a manager may re-route this demand');
      }
      return {
        changes: { departmentId: input.departmentId },
        note: input.note ?? null,
        notify: owners(1),
      };
    });
  }

  start(user: AuthUser, id: string, input: OptionalNoteDto, ifMatch?: string): Promise<TicketDto> {
    return this.act(user, id, 'start', input.version, ifMatch, async () => ({ note: input.note ?? null }));
  }

  pause(user: AuthUser, id: string, input: ReasonDto, ifMatch?: string): Promise<TicketDto> {
    return this.act(user, id, 'pause', input.version, ifMatch, async (_manager, ticket) => ({
      changes: { statusBeforePause: ticket.status },
      clock: (m, t) => this.sla.pause(m, t, this.clock.now()),
      note: input.reason,
    }));
  }

  resume(user: AuthUser, id: string, input: OptionalNoteDto, ifMatch?: string): Promise<TicketDto> {
    return this.act(user, id, 'resume', input.version, ifMatch, async () => ({
      changes: { statusBeforePause: null },
      clock: (m, t) => this.sla.resume(m, t, this.clock.now()),
      note: input.note ?? null,
    }));
  }

  return(user: AuthUser, id: string, input: ReasonDto, ifMatch?: string): Promise<TicketDto> {
    return this.act(user, id, 'return', input.version, ifMatch, async () => ({
      note: input.reason,
      notify: async (manager, ticket) => {
        const managers = await manager.query<{ id: string }[]>(`SELECT id FROM users WHERE active AND role = 'manager'`);
        return [...managers.map((m) => m.id), ...(ticket.pairedLeaderId ? [ticket.pairedLeaderId] : [])];
      },
    }));
  }

  resolve(user: AuthUser, id: string, input: ResolveDto, ifMatch?: string): Promise<TicketDto> {
    return this.act(user, id, 'resolve', input.version, ifMatch, async (manager, ticket) => {
      const resolvedAt = this.clock.now();
      const calendar = await this.calendar.workCalendar(manager);
      return {
        changes: {
          resolution: input.resolution,
          resolutionAttachments: input.attachments ?? [],
          resolvedAt,
          resolvedBy: user.id,
          resolvedTier: ticket.tier,
          resolveWorkingMs: workingTimeBetween(ticket.createdAt, resolvedAt, calendar),
          overdueWorkingMs: ticket.overdueWorkingMs + overdueWorkingMs(ticket.tier3DueAt, resolvedAt, calendar),
        },
        // The survey loop starts in this transaction: an in-transaction hook of `ticket.resolved`.
        clock: (m, t) => this.sla.stop(m, t),
        note: input.resolution,
        notify: hearing('resolved'),
      };
    });
  }

  extend(user: AuthUser, id: string, input: ExtendDto, ifMatch?: string): Promise<TicketDto> {
    return this.act(user, id, 'extend', input.version, ifMatch, async (_manager, ticket) => {
      if (!EXTENSION_APPROVERS[ticket.tier].includes(user.role)) {
        throw new DomainError('forbidden', `A tier-${ticket.tier} deadline is extended by ${EXTENSION_APPROVERS[ticket.tier].join(' or ')}`);
      }
      const newDue = new Date(input.newDeadline);
      const currentDue = [ticket.tier1DueAt, ticket.tier2DueAt, ticket.tier3DueAt][ticket.tier - 1];
      if (!ticket.sla || !currentDue) throw new DomainError('conflict', 'This ticket has no running SLA clock');
      if (newDue <= currentDue || newDue <= this.clock.now()) {
        const message = `newDeadline must be later than the current deadline (${currentDue.toISOString()}) and than now`;
        throw new DomainError('validation_failed', message, { errors: [{ field: 'newDeadline', message }] });
      }
      // The working-time arithmetic scans a bounded number of days; an extension is not meant to park a demand for years.
      if (newDue.getTime() - this.clock.now().getTime() > MAX_EXTENSION_MS) {
        const message = 'newDeadline must be within a year from now';
        throw new DomainError('validation_failed', message, { errors: [{ field: 'newDeadline', message }] });
      }
      return {
        clock: (m, t) => this.sla.extend(m, t, newDue),
        note: input.reason,
        notify: owners('current'),
      };
    });
  }

  private async act(
    user: AuthUser,
    id: string,
    action: TicketAction,
    bodyVersion: number | undefined,
    ifMatch: string | undefined,
    plan: Plan,
  ): Promise<TicketDto> {
    const expected = bodyVersion === undefined && ifMatch === undefined ? null : expectedVersion(ifMatch, bodyVersion);
    return this.dataSource.transaction((manager) => this.apply(manager, user, id, action, expected, plan));
  }

  private async apply(
    manager: EntityManager,
    user: AuthUser | typeof SYSTEM,
    id: string,
    action: TicketAction,
    expected: number | null,
    plan: Plan,
  ): Promise<TicketDto> {
    const ticket = await this.lockVisible(manager, user, id);
    const check = checkTransition(ticket.status, action, user.role as Actor);
    // A role that may never take the action is told so, whatever version it sent.
    if (!check.allowed && check.reason === 'role') throw new DomainError('forbidden', `A ${user.role} cannot ${action} a ticket`);
    if (expected !== null && ticket.version !== expected) throw versionConflict(ticket.version);
    if (!check.allowed) {
      throw new DomainError('conflict', `Cannot ${action} a ticket that is ${ticket.status}`, { currentStatus: ticket.status });
    }
    const step = await plan(manager, ticket);
    const before = pick(ticket, TRACKED_BY_ACTIONS);
    const status = check.to === 'previous' ? ticket.statusBeforePause ?? 'assigned' : check.to === 'same' ? ticket.status : check.to;
    Object.assign(ticket, step.changes, { status });
    await manager.getRepository(Ticket).update({ id }, { ...step.changes, status, version: () => 'version + 1' });
    if (step.clock) await step.clock(manager, ticket);
    const updated = await manager.getRepository(Ticket).findOneByOrFail({ id });
    await recordEvent(manager, {
      ticketId: id,
      actorId: user.id,
      type: action,
      before,
      after: pick(updated, TRACKED_BY_ACTIONS),
      note: step.note ?? null,
    });
    const notice = step.notify && {
      recipients: (await step.notify(manager, updated)).filter((userId) => userId !== user.id),
      title: `${updated.number}: ${action}`,
      body: step.note ?? updated.title,
    };
    const payload = { ticketId: id, number: updated.number, status: updated.status, note: step.note ?? null };
    await this.bus.emit(manager, ACTION_EVENTS[action], payload, notice || undefined);
    return toTicketDto(updated);
  }

  /** The ticket under a row lock, if the caller's scope includes it (the system sees all); otherwise a 404. */
  private async lockVisible(manager: EntityManager, user: AuthUser | typeof SYSTEM, id: string): Promise<Ticket> {
    const query = manager.getRepository(Ticket).createQueryBuilder('t').setLock('pessimistic_write').where('t.id = :id', { id });
    const scope = user.id === null ? null : ticketScope(user);
    if (scope) query.andWhere(scope.sql, scope.params);
    const ticket = await query.getOne();
    if (!ticket) throw new DomainError('not_found', `No ticket ${id}`);
    return ticket;
  }
}

const TRACKED_BY_ACTIONS: TrackedField[] = ['status', 'tier', 'departmentId'];
