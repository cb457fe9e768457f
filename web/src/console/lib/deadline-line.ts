import type { components } from '../../../../clients/api';

type Ticket = components['schemas']['TicketDto'];
type TicketEvent = components['schemas']['TicketEventDto'];

export interface Span {
  from: number;
  to: number;
}

export interface DeadlineLineModel {
  start: number;
  end: number;
  now: number;
  deadlines: { tier: 1 | 2 | 3; at: number | null }[];
  paused: Span[];
  extensions: { at: number; note: string | null }[];
}

/**
 * The ticket's life on one axis, from its filing to past the last deadline and now: the three
 * tier deadlines, the paused spans (pause → resume in the timeline, open while still paused)
 * and the extensions.
 */
export function deadlineLine(ticket: Ticket, events: TicketEvent[], now: number): DeadlineLineModel {
  const time = (iso: string | null) => (iso ? Date.parse(iso) : null);
  const deadlines = ([1, 2, 3] as const).map((tier) => ({ tier, at: time(ticket[`tier${tier}DueAt`]) }));
  const paused: Span[] = [];
  let pausedSince: number | null = null;
  for (const event of events) {
    const at = Date.parse(event.createdAt);
    if (event.type === 'pause' && pausedSince === null) pausedSince = at;
    if (event.type === 'resume' && pausedSince !== null) {
      paused.push({ from: pausedSince, to: at });
      pausedSince = null;
    }
  }
  if (pausedSince !== null) paused.push({ from: pausedSince, to: ticket.status === 'paused' ? now : Date.parse(ticket.updatedAt) });
  const extensions = events.filter((e) => e.type === 'extend').map((e) => ({ at: Date.parse(e.createdAt), note: e.note }));

  const start = Date.parse(ticket.createdAt);
  const stop = ticket.resolvedAt ? Date.parse(ticket.resolvedAt) : now;
  const last = Math.max(stop, ...deadlines.map((d) => d.at ?? start));
  // Some room after the last mark, so it is not drawn on the edge.
  const end = last + Math.max(60_000, (last - start) * 0.06);
  return { start, end, now: stop, deadlines, paused, extensions };
}

/** Where a time falls on the line, in percent. */
export const positionOf = (model: Pick<DeadlineLineModel, 'start' | 'end'>, at: number) =>
  Math.min(100, Math.max(0, ((at - model.start) / (model.end - model.start)) * 100));
