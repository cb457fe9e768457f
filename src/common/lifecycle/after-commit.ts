import type { DataSource, EntityManager } from 'typeorm';

type Handler = (values: never[]) => Promise<void>;

/** Each data source's after-commit handlers, by key. */
const handlers = new WeakMap<DataSource, Map<string, Handler>>();

/**
 * Remembers, on the transaction, `value` for `id` under `key` (a later value for the same id
 * replaces it); `afterCommit` hands the values to its handler once the transaction commits
 * (never before: a job must not wake up for a row it cannot see yet). Outside a transaction
 * the caller's write has committed already, so the handler gets the value at once.
 */
export function rememberForCommit<T>(manager: EntityManager, key: string, id: string, value: T): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    const handler = handlers.get(manager.dataSource)?.get(key) as ((values: T[]) => Promise<void>) | undefined;
    if (!handler) throw new Error(`${key}: no afterCommit handler is registered`);
    void handler([value]);
    return;
  }
  const pending = (runner.data[key] as Map<string, T> | undefined) ?? new Map<string, T>();
  pending.set(id, value);
  runner.data[key] = pending;
}

/** Calls `handler` (not awaited: the request that committed must not wait on Redis) with the values a committed transaction remembered under `key`. */
export function afterCommit<T>(dataSource: DataSource, key: string, handler: (values: T[]) => Promise<void>): void {
  const registered = handlers.get(dataSource) ?? new Map<string, Handler>();
  registered.set(key, handler as Handler);
  handlers.set(dataSource, registered);
  dataSource.subscribers.push({
    afterTransactionCommit(event) {
      const data = event.queryRunner.data as Record<string, unknown>;
      const pending = data[key] as Map<string, T> | undefined;
      delete data[key];
      if (pending && pending.size > 0) void handler([...pending.values()]);
    },
  });
}
