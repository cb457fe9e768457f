import type { EntityManager } from 'typeorm';
import { rememberForCommit } from '../common/lifecycle/after-commit';
import type { Ticket } from '../tickets/entities/ticket.entity';
import type { ScheduledEvent } from './sla-scheduler.service';

export const SLA_AFTER_COMMIT_KEY = 'slaTicketsToSchedule';

export type WrittenClock = Pick<Ticket, 'id' | 'tier' | 'nextEvent' | 'nextEventAt' | 'clockVersion'>;

/**
 * Remembers a ticket's clock as this transaction wrote it; `SlaCommitSubscriber` queues its
 * job after commit, without reading the ticket back. Should another transaction change the
 * clock meanwhile, this job is stale but harmless: the handler re-reads the ticket and does
 * nothing, and the other transaction queues its own. A stopped clock queues nothing.
 */
export function scheduleAfterCommit(manager: EntityManager, clock: WrittenClock): void {
  const event: ScheduledEvent | null =
    clock.nextEvent && clock.nextEventAt
      ? { id: clock.id, tier: clock.tier, next_event: clock.nextEvent, next_event_at: clock.nextEventAt, clock_version: clock.clockVersion }
      : null;
  rememberForCommit(manager, SLA_AFTER_COMMIT_KEY, clock.id, event);
}
