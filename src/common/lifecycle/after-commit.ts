import type { DataSource, EntityManager } from 'typeorm';

/**
 * Remembers, on the transaction, ids under `key`; `afterCommit` hands them to its handler once
 * the transaction commits (never before: a job must not wake up for a row it cannot see yet).
 */
export function rememberForCommit(manager: EntityManager, key: string, id: string): void {
  const runner = manager.queryRunner;
  if (!runner) throw new Error(`${key}: needs a transactional EntityManager`);
  const pending = (runner.data[key] as Set<string> | undefined) ?? new Set<string>();
  pending.add(id);
  runner.data[key] = pending;
}

/** Calls `handler` (not awaited: the request that committed must not wait on Redis) with the ids a committed transaction remembered under `key`. */
export function afterCommit(dataSource: DataSource, key: string, handler: (ids: string[]) => Promise<void>): void {
  dataSource.subscribers.push({
    afterTransactionCommit(event) {
      const data = event.queryRunner.data as Record<string, unknown>;
      const pending = data[key] as Set<string> | undefined;
      delete data[key];
      if (pending && pending.size > 0) void handler([...pending]);
    },
  });
}
