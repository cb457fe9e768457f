import type { EntityManager } from 'typeorm';
import { TicketEvent } from './entities/ticket-event.entity';
import type { Ticket } from './entities/ticket.entity';

/** The fields a timeline event records before and after a change. */
const TRACKED = [
  'number',
  'enterpriseId',
  'engagementId',
  'channel',
  'category',
  'title',
  'description',
  'attachments',
  'departmentId',
  'pairedLeaderId',
  'startingTier',
  'tier',
  'status',
] as const satisfies readonly (keyof Ticket)[];

export type TrackedField = (typeof TRACKED)[number];

export function pick(ticket: Ticket, fields: readonly TrackedField[] = TRACKED): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, ticket[field]]));
}

export async function recordEvent(
  manager: EntityManager,
  event: Pick<TicketEvent, 'ticketId' | 'actorId' | 'type' | 'before' | 'after'> & { note?: string | null },
): Promise<void> {
  const events = manager.getRepository(TicketEvent);
  await events.save(events.create({ note: null, ...event }));
}
