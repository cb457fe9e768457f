import type { EntityManager } from 'typeorm';
import { rememberForCommit } from '../common/lifecycle/after-commit';

export const SLA_AFTER_COMMIT_KEY = 'slaTicketsToSchedule';

/** Remembers a ticket whose clock changed; `SlaCommitSubscriber` queues its job after commit. */
export function scheduleAfterCommit(manager: EntityManager, ticketId: string): void {
  rememberForCommit(manager, SLA_AFTER_COMMIT_KEY, ticketId);
}
