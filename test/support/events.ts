import { DataSource } from 'typeorm';
import { EventBus } from '../../src/events/event-bus.service';
import type { EventName, EventPayloads } from '../../src/events/event-map';
import { eventually } from './fixtures';
import type { TestApp } from './test-app';

/**
 * What a producer does: emits inside its transaction. Tests pass made-up payloads, hence the
 * loose type. Returns the outbox row's id, or null when no subscriber wanted the event.
 */
export function emit(t: TestApp, name: EventName, payload: object): Promise<string | null> {
  return t.app.get(DataSource).transaction((manager) => t.app.get(EventBus).emit(manager, name, payload as EventPayloads[EventName]));
}

/** The webhook deliveries the webhooks subscriber recorded for an emitted event, once it has. */
export function webhookDeliveriesOf(t: TestApp, outboxId: string, timeoutMs = 8000): Promise<string[]> {
  return eventually(
    async () => {
      const rows = await t.app.get(DataSource).query<{ id: string }[]>(`SELECT id FROM webhook_deliveries WHERE event_id = $1 ORDER BY webhook_id`, [outboxId]);
      return rows.length > 0 ? rows.map((row) => row.id) : undefined;
    },
    timeoutMs,
    `the webhook deliveries of event ${outboxId}`,
  );
}
