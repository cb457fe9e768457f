import { describe, expect, it } from '@jest/globals';
import { WEBHOOK_PAYLOADS } from '../notifications/webhook-payloads';
import { EVENT_NAMES } from './event-map';

describe('the event map', () => {
  // That every event has a payload type is checked by the compiler (EVERY_EVENT_HAS_A_PAYLOAD, `npm run typecheck`).
  it('gives every event a documented payload schema', () => {
    expect(Object.keys(WEBHOOK_PAYLOADS).sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('names events in the past tense, one vocabulary for ticket and survey events', () => {
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length);
    for (const name of EVENT_NAMES) expect(name).toMatch(/^(ticket|survey)\.[a-z_]+$/);
  });
});
