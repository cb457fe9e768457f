import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { NotificationsService } from '../notifications/notifications.service';
import type { WebhookEvent } from '../notifications/webhook-events';
import { Ticket } from '../tickets/entities/ticket.entity';
import { recordEvent } from '../tickets/ticket-events';
import { OPEN_STATUSES, type Tier } from '../tickets/ticket-status';
import { scheduleAfterCommit } from './sla-after-commit';
import { clockColumns, clockOf } from './sla-clock.service';
import { ownersOf, type TierOwners } from './sla-owners';

/** More than this many events due at once on one ticket means something is wrong: stop and log. */
const MAX_EVENTS_PER_RUN = 20;

interface Outcome {
  handled: boolean;
  deliveries: string[];
  /** The clock's next event once handled: when it is not due yet, there is nothing more to read. */
  nextEventAt?: Date | null;
}

/**
 * Acts on a ticket's due SLA event: warn, escalate to the next tier, mark overdue, remind.
 * Re-reads the ticket under a row lock and acts only when its stored next event is due,
 * so a duplicate, late or stale job is a no-op and each escalation happens exactly once.
 */
@Injectable()
export class SlaEngine {
  private readonly logger = new Logger('SlaEngine');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendars: CalendarService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /** Handles every event of the ticket that is due now; returns how many. */
  async processDue(ticketId: string): Promise<number> {
    let handled = 0;
    for (; handled < MAX_EVENTS_PER_RUN; handled++) {
      const outcome = await this.dataSource.transaction((manager) => this.handleOne(manager, ticketId));
      await this.notifications.enqueueDeliveries(outcome.deliveries);
      if (!outcome.handled) return handled;
      if (!outcome.nextEventAt || outcome.nextEventAt > this.clock.now()) return handled + 1;
    }
    this.logger.error(`Ticket ${ticketId} had over ${MAX_EVENTS_PER_RUN} SLA events due at once`);
    return handled;
  }

  private async handleOne(manager: EntityManager, ticketId: string): Promise<Outcome> {
    const ticket = await manager
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :ticketId', { ticketId })
      .getOne();
    const now = this.clock.now();
    if (!ticket?.nextEventAt || ticket.nextEventAt > now || !ticket.sla || !OPEN_STATUSES.includes(ticket.status)) {
      return { handled: false, deliveries: [] };
    }
    const calendar = await this.calendars.workCalendar(manager);
    const clock = clockOf(ticket);
    const tier = ticket.tier;
    const changes: Partial<Ticket> = {};
    let deliveries: string[] = [];

    switch (ticket.nextEvent) {
      case 'warning': {
        clock.warnedTier = tier;
        const due = clock.dueAt[tier - 1]!;
        // A warning found after its deadline (the queue was down) would only be noise.
        if (now < due) {
          const owners = await ownersOf(manager, ticket, tier);
          deliveries = await this.tell(manager, ticket, 'ticket.warned', owners.userIds, {
            title: `${ticket.number} 即将超时 / due soon`,
            body: `Tier ${tier} deadline ${due.toISOString()}: ${ticket.title}`,
            data: { tier, dueAt: due.toISOString() },
          });
        }
        break;
      }
      case 'breach': {
        if (tier < 3) {
          const previous = await ownersOf(manager, ticket, tier);
          const nextTier = (tier + 1) as Tier;
          changes.tier = nextTier;
          clock.tier = nextTier;
          const next = await ownersOf(manager, { ...ticket, tier: nextTier } as Ticket, nextTier);
          changes.assigneeId = next.assigneeId;
          changes.escalatedAt = now;
          deliveries = await this.escalate(manager, ticket, tier, nextTier, previous, next);
        } else {
          clock.overdueAt = now;
          await recordEvent(manager, {
            ticketId: ticket.id,
            actorId: null,
            type: 'overdue',
            before: { overdue: false },
            after: { overdue: true, dueAt: clock.dueAt[2]!.toISOString() },
          });
          // Overdue is everyone's business: the principal leaders, the leader who held it, the department.
          const principals = await ownersOf(manager, ticket, 3);
          const department = await ownersOf(manager, ticket, 1);
          const holders = [...principals.userIds, ...department.userIds, ...(ticket.assigneeId ? [ticket.assigneeId] : [])];
          deliveries = await this.tell(manager, ticket, 'ticket.overdue', holders, {
            title: `${ticket.number} 已超期 / overdue`,
            body: `Past its last deadline (${clock.dueAt[2]!.toISOString()}): ${ticket.title}`,
            data: { tier },
          });
        }
        break;
      }
      case 'reminder': {
        clock.lastRemindedAt = now;
        await recordEvent(manager, { ticketId: ticket.id, actorId: null, type: 'overdue_reminder', before: null, after: { remindedAt: now.toISOString() } });
        const principals = await ownersOf(manager, ticket, 3);
        deliveries = await this.tell(manager, ticket, 'ticket.reminded', [...principals.userIds, ...(ticket.assigneeId ? [ticket.assigneeId] : [])], {
          title: `${ticket.number} 仍未办结 / still overdue`,
          body: `Overdue since ${clock.overdueAt!.toISOString()}: ${ticket.title}`,
          data: { overdueAt: clock.overdueAt!.toISOString() },
        });
        break;
      }
      default:
        return { handled: false, deliveries: [] };
    }

    const columns = clockColumns(clock, ticket.sla, calendar);
    // Conditional on the clock we read: a concurrent pause or extension wins and this is dropped.
    const result = await manager
      .createQueryBuilder()
      .update(Ticket)
      .set({ ...changes, ...columns, version: () => 'version + 1' })
      .where('id = :id AND clock_version = :clockVersion AND next_event_at = :nextEventAt', {
        id: ticket.id,
        clockVersion: ticket.clockVersion,
        nextEventAt: ticket.nextEventAt,
      })
      .execute();
    if (result.affected !== 1) throw new Error(`SLA clock of ${ticket.id} changed under its lock`);
    scheduleAfterCommit(manager, { id: ticket.id, tier: clock.tier, nextEvent: columns.nextEvent, nextEventAt: columns.nextEventAt, clockVersion: ticket.clockVersion });
    return { handled: true, deliveries, nextEventAt: columns.nextEventAt };
  }

  private async escalate(
    manager: EntityManager,
    ticket: Ticket,
    from: Tier,
    to: Tier,
    previous: TierOwners,
    next: TierOwners,
  ): Promise<string[]> {
    await recordEvent(manager, {
      ticketId: ticket.id,
      actorId: null,
      type: 'escalated',
      before: { tier: from, owner: previous.owner, assigneeId: ticket.assigneeId },
      after: { tier: to, owner: next.owner, assigneeId: next.assigneeId },
    });
    const dueAt = [ticket.tier1DueAt, ticket.tier2DueAt, ticket.tier3DueAt][to - 1];
    return this.tell(manager, ticket, 'ticket.escalated', [...next.userIds, ...previous.userIds], {
      title: `${ticket.number} 升级至第${to}级 / escalated to tier ${to}`,
      body: `Tier ${from} deadline passed; now with ${next.owner.replace('_', ' ')} until ${dueAt?.toISOString()}: ${ticket.title}`,
      data: { fromTier: from, toTier: to, owner: next.owner, assigneeId: next.assigneeId, previousOwners: previous.userIds },
    });
  }

  private async tell(
    manager: EntityManager,
    ticket: Ticket,
    event: WebhookEvent,
    userIds: string[],
    message: { title: string; body: string; data: Record<string, unknown> },
  ): Promise<string[]> {
    await this.notifications.notifyUsers(userIds, { type: event, ticketId: ticket.id, ...message }, manager);
    return this.notifications.publishEvent(
      event,
      { ticketId: ticket.id, number: ticket.number, title: ticket.title, category: ticket.category, ...message.data },
      manager,
    );
  }
}
