import { describe, expect, it } from '@jest/globals';
import { webhookHeaders, webhookSignature } from './webhook-signature';

const SECRET = 'a-secret-of-16-chars';
const BODY = '{"id":"d1","event":"ticket.created"}';
// printf '%s' '1700000000.{"id":"d1","event":"ticket.created"}' | openssl dgst -sha256 -hmac 'a-secret-of-16-chars'
const EXPECTED = 'sha256=9ab7210878a17be1d2ce27c1ec13017cf055759de56188e1582ddec2974395cd';

describe('webhookSignature', () => {
  it('is the hex HMAC-SHA256 of "<timestamp>.<body>", as openssl computes it', () => {
    expect(webhookSignature(SECRET, 1_700_000_000, BODY)).toBe(EXPECTED);
  });

  it('changes with the timestamp, the body and the secret', () => {
    expect(webhookSignature(SECRET, 1_700_000_001, BODY)).not.toBe(EXPECTED);
    expect(webhookSignature(SECRET, 1_700_000_000, `${BODY} `)).not.toBe(EXPECTED);
    expect(webhookSignature(`${SECRET}!`, 1_700_000_000, BODY)).not.toBe(EXPECTED);
  });
});

describe('webhookHeaders', () => {
  it('names the event, the delivery and the timestamp, and signs the body', () => {
    const headers = webhookHeaders({
      deliveryId: 'd1',
      event: 'ticket.created',
      timestamp: 1_700_000_000,
      body: BODY,
      secret: SECRET,
    });
    expect(headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-DemandDesk-Event': 'ticket.created',
      'X-DemandDesk-Delivery': 'd1',
      'X-DemandDesk-Timestamp': '1700000000',
      'X-DemandDesk-Signature': EXPECTED,
    });
    expect(JSON.stringify(headers)).not.toContain(SECRET);
  });
});
