import type { components } from '../../../../clients/api';
import type { TicketAction } from '../lib/labels';
import { api, ifMatch, type Ticket, unwrap } from './client';

type Attachment = components['schemas']['AttachmentDto'];

/** What a dialog collects for an action; each action reads only its own fields. */
export interface ActionInput {
  reason?: string;
  note?: string;
  resolution?: string;
  attachments?: Attachment[];
  newDeadline?: string;
  departmentId?: string;
}

/** The actions the console has a form for (reopen and close belong to the survey loop). */
export const CONSOLE_ACTIONS: TicketAction[] = ['start', 'pause', 'resume', 'return', 'resolve', 'extend', 'route'];

/**
 * One lifecycle action on the version the page holds (If-Match): the server refuses it with a
 * 409 version_conflict when someone else changed the ticket first, and it is never retried.
 */
export async function performAction(ticket: Ticket, action: TicketAction, input: ActionInput): Promise<Ticket> {
  const params = { path: { id: ticket.id }, header: { 'If-Match': ifMatch(ticket) } };
  const note = input.note?.trim() || undefined;
  switch (action) {
    case 'start':
      return unwrap(await api.POST('/api/v1/tickets/{id}/start', { params, body: { note } }));
    case 'resume':
      return unwrap(await api.POST('/api/v1/tickets/{id}/resume', { params, body: { note } }));
    case 'pause':
      return unwrap(await api.POST('/api/v1/tickets/{id}/pause', { params, body: { reason: input.reason! } }));
    case 'return':
      return unwrap(await api.POST('/api/v1/tickets/{id}/return', { params, body: { reason: input.reason! } }));
    case 'resolve':
      return unwrap(await api.POST('/api/v1/tickets/{id}/resolve', { params, body: { resolution: input.resolution!, attachments: input.attachments?.length ? input.attachments : undefined } }));
    case 'extend':
      return unwrap(await api.POST('/api/v1/tickets/{id}/extend', { params, body: { reason: input.reason!, newDeadline: input.newDeadline! } }));
    case 'route':
      return unwrap(await api.POST('/api/v1/tickets/{id}/route', { params, body: { departmentId: input.departmentId!, note: note ?? null } }));
    default:
      throw new Error(`No form for ${action}`);
  }
}
