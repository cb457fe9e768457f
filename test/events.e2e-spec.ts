import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { type DeliveredEvent, EventBus } from '../src/events/event-bus.service';
import { EVENT_NAMES } from '../src/events/event-map';
import { emit } from './support/events';
import { eventually } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** Which app's bus ran which subscriber on which outbox row. */
interface Call {
  app: string;
  subscriber: string;
  outboxId: string;
}

describe('event bus', () => {
  let t: TestApp;
  let second: TestApp;
  const calls: Call[] = [];
  let flakyFailures = 0;

  /** Test subscribers on `ticket.warned`, registered in a process the way modules register theirs. */
  const register = (app: TestApp, label: string) => {
    const bus = app.app.get(EventBus);
    const record = (subscriber: string) => async (_manager: unknown, event: DeliveredEvent) => {
      calls.push({ app: label, subscriber, outboxId: event.id });
    };
    bus.subscribe({ name: 'probe-a', events: ['ticket.warned'], handle: record('probe-a') });
    bus.subscribe({ name: 'probe-b', events: ['ticket.warned'], handle: record('probe-b') });
    bus.subscribe({
      name: 'probe-flaky',
      events: ['ticket.overdue'],
      handle: async (_manager, event) => {
        // Fails the first time each process runs it, then works.
        if (flakyFailures < 1) {
          flakyFailures += 1;
          throw new Error('flaky subscriber refused');
        }
        calls.push({ app: label, subscriber: 'probe-flaky', outboxId: event.id });
      },
    });
    bus.subscribe({
      name: 'probe-steady',
      events: ['ticket.overdue'],
      handle: async (_manager, event) => {
        calls.push({ app: label, subscriber: 'probe-steady', outboxId: event.id });
      },
    });
  };

  const callsOf = (outboxId: string) => calls.filter((call) => call.outboxId === outboxId);
  const pending = async (outboxId: string) =>
    ((await t.app.get(DataSource).query(`SELECT pending FROM event_outbox WHERE id = $1`, [outboxId])) as { pending: string[] }[])[0]?.pending;

  beforeAll(async () => {
    t = await startTestApp();
    second = await startTestApp({ joining: t });
    register(t, 'first');
    register(second, 'second');
  });

  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('has a subscriber for every event, in the registrations of the running app', () => {
    const registrations = t.app.get(EventBus).registrations();
    expect(Object.keys(registrations).sort()).toEqual([...EVENT_NAMES].sort());
    const unheard = EVENT_NAMES.filter((event) => registrations[event].inTransaction.length + registrations[event].afterCommit.length === 0);
    expect(unheard).toEqual([]);
    // Every event reaches webhooks after commit.
    expect(EVENT_NAMES.filter((event) => !registrations[event].afterCommit.includes('webhooks'))).toEqual([]);
    expect(registrations['ticket.resolved'].inTransaction).toContain('survey');
    expect(registrations['survey.answered'].inTransaction).toContain('close-loop');
    expect(registrations['survey.no_response'].inTransaction).toContain('close-loop');
    expect(registrations['ticket.escalated'].inTransaction).toContain('inbox');
  });

  it('never delivers an event emitted in a transaction that rolled back', async () => {
    let outboxId: string | null = null;
    await expect(
      t.app.get(DataSource).transaction(async (manager) => {
        outboxId = await t.app.get(EventBus).emit(manager, 'ticket.warned', { ticketId: 'rolled-back' } as never);
        throw new Error('the producer failed after emitting');
      }),
    ).rejects.toThrow('the producer failed');
    expect(outboxId).not.toBeNull();
    // The sweepers of both processes find nothing to send either.
    await t.app.get(EventBus).sweep();
    await second.app.get(EventBus).sweep();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(callsOf(outboxId!)).toEqual([]);
    expect(await pending(outboxId!)).toBeUndefined();
  });

  it('delivers a committed event once to each subscriber, with two workers and duplicate wake-ups', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => emit(t, 'ticket.warned', { ticketId: `T-${i}` })));
    // Both processes sweep at once while the after-commit jobs run: every job is added again.
    await Promise.all([t.app.get(EventBus).sweep(), second.app.get(EventBus).sweep(), t.app.get(EventBus).sweep()]);
    await eventually(async () => (calls.filter((c) => ids.includes(c.outboxId)).length >= 40 ? true : undefined), 10_000, 'forty deliveries');
    // Late duplicates would show up here.
    await Promise.all([t.app.get(EventBus).sweep(), second.app.get(EventBus).sweep()]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const id of ids) {
      expect(callsOf(id!).map((c) => c.subscriber).sort()).toEqual(['probe-a', 'probe-b']);
      expect(await pending(id!)).toEqual([]);
    }
  });

  it('retries a failing subscriber without running the others again', async () => {
    const outboxId = (await emit(t, 'ticket.overdue', { ticketId: 'T-flaky' }))!;
    await eventually(async () => ((await pending(outboxId))?.length === 0 ? true : undefined), 10_000, 'both subscribers done');
    expect(flakyFailures).toBe(1);
    expect(callsOf(outboxId).map((c) => c.subscriber).sort()).toEqual(['probe-flaky', 'probe-steady']);
    const [row] = await t.app.get(DataSource).query(`SELECT attempts, last_error FROM event_outbox WHERE id = $1`, [outboxId]);
    expect(row).toEqual({ attempts: 1, last_error: 'probe-flaky: flaky subscriber refused' });
  });

  it('records nothing for an event no subscriber wants', async () => {
    // No webhook subscribes to ticket.started here and no test subscriber listens to it.
    const before = (await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM event_outbox`))[0].n;
    expect(await emit(t, 'ticket.started', { ticketId: 'T-none' })).toBeNull();
    expect((await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM event_outbox`))[0].n).toBe(before);
  });

  it('sweeps an event whose job Redis lost', async () => {
    const [{ id }] = await t.app
      .get(DataSource)
      .query(`INSERT INTO event_outbox (event, payload, pending) VALUES ('ticket.warned', '{"ticketId":"T-lost"}', '{probe-a}') RETURNING id`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callsOf(id)).toEqual([]);
    await second.app.get(EventBus).sweep();
    await eventually(async () => (callsOf(id).length > 0 ? true : undefined), 5000, 'the swept delivery');
    expect(callsOf(id).map((c) => c.subscriber)).toEqual(['probe-a']);
  });
});
