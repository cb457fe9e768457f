import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { EventBus } from '../events/event-bus.service';
import type { EventPayloads } from '../events/event-map';
import { Ticket } from '../tickets/entities/ticket.entity';
import { recordEvent } from '../tickets/ticket-events';
import { loadOrgDirectory } from './org-directory';
import { scheduleAfterCommit } from './sla-after-commit';
import { clockOf } from './sla-clock';
import { decide, isDue, type Notice } from './sla-decision';

/** More than this many events due at once on one ticket means something is wrong: stop and log. */
const MAX_EVENTS_PER_RUN = 20;

interface Outcome {
  handled: boolean;
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
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  /** Handles every event of the ticket that is due now; returns how many. */
  async processDue(ticketId: string): Promise<number> {
    let handled = 0;
    for (; handled < MAX_EVENTS_PER_RUN; handled++) {
      const outcome = await this.dataSource.transaction((manager) => this.handleOne(manager, ticketId));
      if (!outcome.handled) return handled;
      if (!outcome.nextEventAt || outcome.nextEventAt > this.clock.now()) return handled + 1;
    }
    this.logger.error(`Ticket ${ticketId} had over ${MAX_EVENTS_PER_RUN} SLA events due at once`);
    return handled;
  }

  /** Locks and loads the ticket and the people around it, lets `decide` rule, writes what it decided. */
  private async handleOne(manager: EntityManager, ticketId: string): Promise<Outcome> {
    const ticket = await manager
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.id = :ticketId', { ticketId })
      .getOne();
    const now = this.clock.now();
    // Checked before loading anything else: most stale or duplicate wake-ups stop here.
    if (!ticket || !isDue(ticket, now)) return { handled: false };
    const calendar = await this.calendars.workCalendar(manager);
    const org = await loadOrgDirectory(manager, ticket);
    const decision = decide(clockOf(ticket), ticket, org, now, calendar);
    if (!decision) return { handled: false };

    for (const event of decision.timelineEvents) await recordEvent(manager, { ticketId, actorId: null, ...event });
    for (const notice of decision.notices) await this.tell(manager, ticket, notice);
    const { changes } = decision;
    // Conditional on the clock we read: a concurrent pause or extension wins and this is dropped.
    const result = await manager
      .createQueryBuilder()
      .update(Ticket)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id AND clock_version = :clockVersion AND next_event_at = :nextEventAt', {
        id: ticket.id,
        clockVersion: ticket.clockVersion,
        nextEventAt: ticket.nextEventAt,
      })
      .execute();
    if (result.affected !== 1) throw new Error(`SLA clock of ${ticket.id} changed under its lock`);
    const tier = changes.tier ?? ticket.tier;
    scheduleAfterCommit(manager, { id: ticket.id, tier, nextEvent: changes.nextEvent, nextEventAt: changes.nextEventAt, clockVersion: ticket.clockVersion });
    return { handled: true, nextEventAt: changes.nextEventAt };
  }

  /** The notice's event on the bus: its payload for subscribers, its people for the inbox. */
  private async tell(manager: EntityManager, ticket: Ticket, { event, recipients, title, body, data }: Notice): Promise<void> {
    // `decide` types `data` per event (Notice); TypeScript cannot follow the spread back to the union member.
    const payload = { ticketId: ticket.id, number: ticket.number, title: ticket.title, category: ticket.category, ...data } as EventPayloads[typeof event];
    await this.bus.emit(manager, event, payload, { recipients, title, body, data });
  }
}
