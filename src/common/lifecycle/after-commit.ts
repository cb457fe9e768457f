import type { DataSource, EntityManager } from 'typeorm';

/**
 * Remembers, on the transaction, `value` for `id` under `key` (a later value for the same id
 * replaces it); `afterCommit` hands the values to its handler once the transaction commits
 * (never before: a job must not wake up for a row it cannot see yet).
 */
export function rememberForCommit<T>(manager: EntityManager, key: string, id: string, value: T): void {
  const runner = manager.queryRunner;
  if (!runner) throw new Error(`${key}: needs a transactional EntityManager`);
  const pending = (runner.data[key] as Map<string, T> | undefined) ?? new Map<string, T>();
  pending.set(id, value);
  runner.data[key] = pending;
}

/** Calls `handler` (not awaited: the request that committed must not wait on Redis) with the values a committed transaction remembered under `key`. */
export function afterCommit<T>(dataSource: DataSource, key: string, handler: (values: T[]) => Promise<void>): void {
  dataSource.subscribers.push({
    afterTransactionCommit(event) {
      const data = event.queryRunner.data as Record<string, unknown>;
      const pending = data[key] as Map<string, T> | undefined;
      delete data[key];
      if (pending && pending.size > 0) void handler([...pending.values()]);
    },
  });
}
