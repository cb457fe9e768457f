import { describe, expect, it } from '@jest/globals';
import type { components } from '../../../../clients/api';
import { deadlineLine, positionOf } from './deadline-line';

type Ticket = components['schemas']['TicketDto'];
type TicketEvent = components['schemas']['TicketEventDto'];

const t0 = Date.parse('2026-11-30T01:00:00Z');
const h = (hours: number) => new Date(t0 + hours * 3_600_000).toISOString();
const ticket = (over: Partial<Ticket>) =>
  ({ createdAt: h(0), updatedAt: h(0), status: 'in_progress', resolvedAt: null, tier1DueAt: h(8), tier2DueAt: h(16), tier3DueAt: h(24), ...over }) as Ticket;
const event = (type: string, at: number, note: string | null = null) => ({ id: String(at), type, createdAt: h(at), note }) as TicketEvent;

describe('deadlineLine', () => {
  it('pairs pauses with resumes and keeps a pause still running open until now', () => {
    const model = deadlineLine(ticket({ status: 'paused' }), [event('pause', 1), event('resume', 2), event('start', 3), event('pause', 4)], t0 + 5 * 3_600_000);
    expect(model.paused).toEqual([
      { from: t0 + 3_600_000, to: t0 + 2 * 3_600_000 },
      { from: t0 + 4 * 3_600_000, to: t0 + 5 * 3_600_000 },
    ]);
  });

  it('spans from the filing past the last deadline, and lists extensions with their reasons', () => {
    const model = deadlineLine(ticket({}), [event('extend', 6, '企业补充材料')], t0 + 3_600_000);
    expect(model.start).toBe(t0);
    expect(model.end).toBeGreaterThan(t0 + 24 * 3_600_000);
    expect(model.extensions).toEqual([{ at: t0 + 6 * 3_600_000, note: '企业补充材料' }]);
    expect(positionOf(model, t0)).toBe(0);
    expect(positionOf(model, t0 + 1000 * 3_600_000)).toBe(100);
  });

  it('ends the line at the resolution rather than now for a resolved ticket', () => {
    const model = deadlineLine(ticket({ status: 'resolved', resolvedAt: h(30) }), [], t0 + 100 * 3_600_000);
    expect(model.now).toBe(t0 + 30 * 3_600_000);
  });
});
