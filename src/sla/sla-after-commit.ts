import type { EntityManager } from 'typeorm';

const KEY = 'slaTicketsToSchedule';

/**
 * Remembers, on the transaction, tickets whose clock changed; `SlaCommitSubscriber` hands
 * them to the scheduler once the transaction commits (never before: a job must not wake
 * up for a row it cannot see yet).
 */
export function scheduleAfterCommit(manager: EntityManager, ticketId: string): void {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('scheduleAfterCommit needs a transactional EntityManager');
  const pending = (runner.data[KEY] as Set<string> | undefined) ?? new Set<string>();
  pending.add(ticketId);
  runner.data[KEY] = pending;
}

export function takeScheduled(data: Record<string, unknown>): string[] {
  const pending = data[KEY] as Set<string> | undefined;
  delete data[KEY];
  return pending ? [...pending] : [];
}
