import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { afterCommit, rememberForCommit } from '../common/lifecycle/after-commit';
import { type JobData, QUEUES } from '../common/lifecycle/queues';
import { RecurringJobs } from '../common/lifecycle/recurring-job';
import { addJobs } from '../common/lifecycle/wake-up';
import { type DomainEvent, EVENT_NAMES, type EventName, type EventPayloads, type Notice } from './event-map';

/** An event as an in-transaction hook sees it: with the producer's notice, if any. */
export type EmittedEvent<N extends EventName = EventName> = DomainEvent<N> & { notice?: Notice };

/** An event as an after-commit subscriber gets it, read back from the outbox. */
export type DeliveredEvent<N extends EventName = EventName> = DomainEvent<N> & { id: string; occurredAt: Date };

/** Runs inside the producer's transaction: commits or rolls back with it. */
export type InTransactionHook<N extends EventName> = (manager: EntityManager, event: EmittedEvent<N>) => Promise<void>;

export interface AfterCommitSubscriber<N extends EventName> {
  /** Lower-case and dashes: it is a job name's part and an outbox column's value. */
  name: string;
  events: readonly N[];
  /**
   * An SQL condition on the event's name (`event` is an SQL expression) evaluated in the
   * producer's statement: when false, no delivery is recorded for this subscriber (webhooks
   * nobody subscribed to cost nothing). Omitted: always.
   */
  interest?: (event: string) => string;
  /**
   * Acts on one committed event, inside a transaction that also marks it done for this
   * subscriber: it commits once, or rolls back and is retried. Idempotent by (outbox id, name).
   */
  handle(manager: EntityManager, event: DeliveredEvent<N>): Promise<void>;
}

export interface RecordedEvent {
  id: string;
  pending: string[];
}

export interface Registrations {
  inTransaction: string[];
  afterCommit: string[];
}

const AFTER_COMMIT_KEY = 'eventOutbox';
const SWEEPER_ID = 'event-sweeper';
const SWEEP_EVERY_MS = 60_000;
const SWEEP_BATCH = 500;
const DELIVERY_ATTEMPTS = 5;
const SUBSCRIBER_NAME = /^[a-z][a-z0-9-]*$/;

type AnyHook = { name: string; run: InTransactionHook<EventName> };
type AnySubscriber = AfterCommitSubscriber<EventName>;
type DeliverJob = JobData<'events', 'deliver'>;

/**
 * The typed event bus. A producer `emit`s inside its transaction: in-transaction hooks run
 * there and then (what must commit or roll back with the event), and one outbox row records
 * the event for the after-commit subscribers interested in it. After commit, one job per
 * (row, subscriber) wakes a worker; the handler marks the subscriber done in the same
 * transaction as its work, so each subscriber acts once per event whatever Redis does, and
 * a sweeper re-enqueues what Redis lost.
 */
@Injectable()
export class EventBus {
  private readonly logger = new Logger('EventBus');
  private readonly hooks = new Map<EventName, AnyHook[]>();
  private readonly subscribers = new Map<string, AnySubscriber>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.events.name) private readonly queue: Queue<DeliverJob>,
    recurring: RecurringJobs,
  ) {
    recurring.register(queue as Queue, SWEEPER_ID, 'sweep', SWEEP_EVERY_MS, () => this.sweep());
    afterCommit<RecordedEvent>(dataSource, AFTER_COMMIT_KEY, (events) => this.enqueue(events));
  }

  /** Runs `run` inside the transaction of every emission of `events`, in registration order. */
  inTransaction<N extends EventName>(name: string, events: readonly N[], run: InTransactionHook<N>): void {
    for (const event of events) {
      const hooks = this.hooks.get(event) ?? [];
      if (hooks.some((hook) => hook.name === name)) throw new Error(`In-transaction hook ${name} is registered twice for ${event}`);
      hooks.push({ name, run: run as InTransactionHook<EventName> });
      this.hooks.set(event, hooks);
    }
  }

  /** Delivers `subscriber.events` to `subscriber.handle` after commit, once each. */
  subscribe<N extends EventName>(subscriber: AfterCommitSubscriber<N>): void {
    if (!SUBSCRIBER_NAME.test(subscriber.name)) throw new Error(`Subscriber name ${subscriber.name} must match ${SUBSCRIBER_NAME}`);
    if (this.subscribers.has(subscriber.name)) throw new Error(`Subscriber ${subscriber.name} is registered twice`);
    this.subscribers.set(subscriber.name, subscriber as unknown as AnySubscriber);
  }

  /** Who hears each event, from the registrations themselves. */
  registrations(): Record<EventName, Registrations> {
    const entries = EVENT_NAMES.map((event) => [
      event,
      {
        inTransaction: (this.hooks.get(event) ?? []).map((hook) => hook.name),
        afterCommit: [...this.subscribers.values()].filter((s) => s.events.includes(event)).map((s) => s.name),
      },
    ]);
    return Object.fromEntries(entries) as Record<EventName, Registrations>;
  }

  /**
   * Emits `name` inside `manager`'s transaction: runs its in-transaction hooks, records it for
   * its after-commit subscribers and enqueues their jobs once the transaction commits (never if
   * it rolls back). Returns the outbox row's id, or null when no subscriber is interested.
   */
  async emit<N extends EventName>(manager: EntityManager, name: N, payload: EventPayloads[N], notice?: Notice): Promise<string | null> {
    // The hooks registered for `name` take exactly this event; the map cannot say so per key.
    const event = { name, payload, notice } as EmittedEvent;
    for (const hook of this.hooks.get(name) ?? []) await hook.run(manager, event);
    const [recorded] = await manager.query<RecordedEvent[]>(this.recordSql(name, '$1', '$2::jsonb'), [name, payload]);
    if (!recorded) return null;
    this.afterCommitOf(manager, [recorded]);
    return recorded.id;
  }

  /**
   * The statement recording `name` for its interested subscribers, returning `id, pending` (no
   * row when none is interested), for a producer that records the event within a statement
   * of its own (a CTE); `event` and `payload` are SQL expressions. Such a producer calls
   * `afterCommitOf` with what it returned. Only for events without in-transaction hooks.
   */
  outboxSql(name: EventName, event: string, payload: string): string {
    if (this.hooks.get(name)?.length) throw new Error(`${name} has in-transaction hooks: emit() it`);
    return this.recordSql(name, event, payload);
  }

  private recordSql(name: EventName, event: string, payload: string): string {
    const interested = [...this.subscribers.values()]
      .filter((s) => s.events.includes(name))
      .map((s) => (s.interest ? `CASE WHEN ${s.interest(event)} THEN '${s.name}' END` : `'${s.name}'`));
    return `INSERT INTO event_outbox (event, payload, pending)
      SELECT ${event}, ${payload}, pending
        FROM (SELECT array_remove(ARRAY[${interested.join(', ')}]::text[], NULL) AS pending) AS interested
       WHERE cardinality(pending) > 0
      RETURNING id, pending`;
  }

  /** Enqueues the deliveries of events `manager`'s transaction recorded, once it commits. */
  afterCommitOf(manager: EntityManager, events: RecordedEvent[]): void {
    for (const event of events) rememberForCommit(manager, AFTER_COMMIT_KEY, event.id, event);
  }

  /**
   * One subscriber's delivery of one committed event: taken off the row's pending list and
   * handled in one transaction. Returns false when it was done already (a duplicate job).
   */
  async deliver(outboxId: string, subscriberName: string): Promise<boolean> {
    const subscriber = this.subscribers.get(subscriberName);
    if (!subscriber) throw new Error(`No after-commit subscriber is named ${subscriberName}`);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const [row] = await manager.query<{ event: EventName; payload: EventPayloads[EventName]; created_at: Date }[]>(
          `WITH taken AS (
             UPDATE event_outbox SET pending = array_remove(pending, $2)
              WHERE id = $1 AND $2 = ANY(pending)
             RETURNING event, payload, created_at
           ) SELECT * FROM taken`,
          [outboxId, subscriberName],
        );
        if (!row) return false;
        await subscriber.handle(manager, { id: outboxId, name: row.event, payload: row.payload, occurredAt: row.created_at } as DeliveredEvent);
        return true;
      });
    } catch (error) {
      const message = `${subscriberName}: ${(error as Error).message}`;
      await this.dataSource
        .query(`UPDATE event_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [outboxId, message])
        .catch(() => undefined);
      throw error;
    }
  }

  /** Enqueues every delivery still pending; those whose job exists are left as they are. */
  async sweep(): Promise<number> {
    let total = 0;
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await this.dataSource.query<RecordedEvent[]>(
        `SELECT id, pending FROM event_outbox WHERE cardinality(pending) > 0 AND id > $1 ORDER BY id LIMIT ${SWEEP_BATCH}`,
        [afterId],
      );
      await this.addJobs(batch);
      total += batch.length;
      if (batch.length < SWEEP_BATCH) return total;
      afterId = batch[batch.length - 1].id;
    }
  }

  static jobId(outboxId: string, subscriber: string): string {
    return `${outboxId}_${subscriber}`;
  }

  /** Never throws: what Redis does not take now, the sweeper adds later. */
  private async enqueue(events: RecordedEvent[]): Promise<void> {
    try {
      await this.addJobs(events);
    } catch (error) {
      this.logger.warn(`Could not enqueue event deliveries now (the sweeper will): ${(error as Error).message}`);
    }
  }

  private addJobs(events: RecordedEvent[]): Promise<void> {
    const jobs = events.flatMap((event) =>
      event.pending.map((subscriber) => ({ jobId: EventBus.jobId(event.id, subscriber), data: { outboxId: event.id, subscriber } })),
    );
    return addJobs(this.queue, 'deliver', jobs, { attempts: DELIVERY_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 } });
  }
}
