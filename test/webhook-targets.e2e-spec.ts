import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import type { DeliveryDto } from '../src/notifications/dto/webhook.dto';
import { UNREACHABLE } from '../src/notifications/webhook-sender.service';
import { emit } from './support/events';
import { type Actor, actor, countRows, eventually } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

const SECRET = 'receiver-secret-0123456789';

/**
 * Webhook targets as production sees them (WEBHOOK_ALLOW_LOOPBACK off, WEBHOOK_ALLOW_PRIVATE
 * off), and a second API process of the same deployment with WEBHOOK_ALLOW_PRIVATE on.
 */
describe('webhook targets', () => {
  let t: TestApp;
  let intranet: TestApp;
  let admin: Actor;
  let receiver: Server;
  let hits = 0;
  let port: number;

  beforeAll(async () => {
    receiver = createServer((_req, res) => {
      hits += 1;
      res.end('ok');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
    t = await startTestApp({ env: { WEBHOOK_ALLOW_LOOPBACK: 'false', WEBHOOK_ALLOW_PRIVATE: 'false', WEBHOOK_BACKOFF_MS: '50' } });
    admin = await actor(t, 'admin1', 'admin');
    intranet = await startTestApp({ joining: t, role: 'api', env: { WEBHOOK_ALLOW_LOOPBACK: 'false', WEBHOOK_ALLOW_PRIVATE: 'true' } });
  });

  afterAll(async () => {
    await intranet?.close();
    await t?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const create = (app: TestApp, url: string) =>
    app.http.post('/api/v1/webhooks').set('Authorization', admin.auth).send({ url, events: ['ticket.created'], secret: SECRET });

  it('refuses loopback, link-local and metadata targets always, private ones unless allowed', async () => {
    const before = await countRows(t, 'webhooks');
    const always = [
      `http://127.0.0.1:${port}/`,
      'http://2130706433/',
      'http://[::1]/',
      'http://localhost/',
      'http://api.localhost/',
      'http://169.254.169.254/latest/meta-data/',
      'http://169.254.10.1/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://0.0.0.0/',
    ];
    const privateOnes = ['http://10.0.0.5/', 'http://172.20.0.1/', 'https://192.168.1.10/relay', 'http://100.64.0.1/', 'http://[fd12::1]/'];
    for (const url of [...always, ...privateOnes]) {
      const res = await create(t, url).expect(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'url' }] });
    }
    for (const url of always) await create(intranet, url).expect(400);
    const webhook = await t.http.get('/api/v1/webhooks').set('Authorization', admin.auth).expect(200);
    expect(await countRows(t, 'webhooks')).toBe(before);
    expect(webhook.body).toHaveLength(before);

    for (const url of privateOnes) await create(intranet, url).expect(201);
    // A PATCH is checked the same way.
    const [first] = (await intranet.http.get('/api/v1/webhooks').set('Authorization', admin.auth).expect(200)).body as { id: string }[];
    await t.http.patch(`/api/v1/webhooks/${first.id}`).set('Authorization', admin.auth).send({ url: 'http://127.0.0.1/' }).expect(400);
  });

  it('refuses at delivery a host name that resolves to a refused address, with a generic reason', async () => {
    // As if the name had resolved elsewhere when it was saved: only delivery can catch it.
    const [{ id }] = (await t.app
      .get(DataSource)
      .query(`INSERT INTO webhooks (url, events, secret) VALUES ($1, '{ticket.created}', $2) RETURNING id`, [
        `http://localhost:${port}/hook`,
        SECRET,
      ])) as { id: string }[];
    await emit(t, 'ticket.created', { ticketId: 'T-1' });
    const failed = await eventually(async () => {
      const page = await t.http.get(`/api/v1/webhooks/${id}/deliveries`).set('Authorization', admin.auth).expect(200);
      return (page.body.items as DeliveryDto[]).find((d) => d.status === 'failed');
    }, 15_000, 'the delivery to fail');
    expect(failed).toMatchObject({ lastStatusCode: null, lastError: UNREACHABLE, attempts: 6 });
    expect(hits).toBe(0);
  });
});
