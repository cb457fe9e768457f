import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import type { DeliveryDto, WebhookDto } from '../src/notifications/dto/webhook.dto';
import type { WebhookEvent } from '../src/notifications/webhook-events';
import { WebhookOutbox } from '../src/notifications/webhook-outbox.service';
import { emit, webhookDeliveriesOf } from './support/events';
import { type Actor, actor, countRows, createEnterprise, eventually } from './support/fixtures';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, type TestApp } from './support/test-app';

const SECRET = 'receiver-secret-0123456789';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local receiver: records every request and answers each path with the next status of its script. */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, number[]>();
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const script = this.scripts.get(path) ?? [];
      res.writeHead(script.length > 1 ? script.shift()! : (script[0] ?? 200)).end('ok');
    });
  });
  base = '';

  /** Answers `path` with these statuses in turn, the last one for good. */
  script(path: string, ...statuses: number[]): string {
    this.scripts.set(path, statuses);
    return `${this.base}${path}`;
  }

  hits(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('webhooks', () => {
  let t: TestApp;
  let redisProxy: TcpProxy;
  let receiver: Receiver;
  let admin: Actor;
  let manager: Actor;
  let liaison: Actor;

  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
    const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    redisProxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    const port = await redisProxy.start();
    t = await startTestApp({ redisUrl: `redis://127.0.0.1:${port}`, env: { WEBHOOK_BACKOFF_MS: '100' } });
    admin = await actor(t, 'admin1', 'admin');
    manager = await actor(t, 'manager1', 'manager');
    liaison = await actor(t, 'liaison1', 'liaison_officer');
  });

  afterAll(async () => {
    await redisProxy?.restore();
    await t?.close();
    await redisProxy?.cut();
    await receiver?.stop();
  });

  /** Each test subscribes to events of its own, so no test sees another's deliveries. */
  const createWebhook = async (url: string, events: WebhookEvent[], who = admin) =>
    (await t.http.post('/api/v1/webhooks').set('Authorization', who.auth).send({ url, events, secret: SECRET }).expect(201))
      .body as WebhookDto;

  /** What a module does: emit in its transaction; after commit the webhooks subscriber records a delivery per webhook. */
  const publish = async (event: WebhookEvent, payload: Record<string, unknown>) => {
    const outboxId = await emit(t, event, payload);
    return outboxId ? webhookDeliveriesOf(t, outboxId) : [];
  };

  const deliveries = async (webhookId: string, query = '') =>
    (await t.http.get(`/api/v1/webhooks/${webhookId}/deliveries${query}`).set('Authorization', admin.auth).expect(200))
      .body as { items: DeliveryDto[]; nextCursor: string | null };

  const settled = (webhookId: string, deliveryId: string, status: 'delivered' | 'failed', timeoutMs = 8000) =>
    eventually(
      async () => (await deliveries(webhookId)).items.find((d) => d.id === deliveryId && d.status === status),
      timeoutMs,
      `delivery ${deliveryId} to be ${status}`,
    );

  it('fires ticket.created after commit, for direct intake and for demands logged at an engagement', async () => {
    const webhook = await createWebhook(receiver.script('/created', 200), ['ticket.created']);
    const enterprise = await createEnterprise(t);
    const direct = await t.http
      .post('/api/v1/tickets')
      .set('Authorization', liaison.auth)
      .send({ enterpriseId: enterprise.id, category: 'land', title: '用地咨询', channel: 'online' })
      .expect(201);
    const engagement = await t.http
      .post('/api/v1/engagements')
      .set('Authorization', liaison.auth)
      .send({
        type: 'breakfast_meeting',
        occurredAt: '2026-05-12T08:00:00+08:00',
        enterpriseIds: [enterprise.id],
        demands: [
          { enterpriseId: enterprise.id, category: 'power', title: '双回路供电' },
          { enterpriseId: enterprise.id, category: 'talent_housing', title: '人才公寓' },
        ],
      })
      .expect(201);
    const tickets = [direct.body, ...engagement.body.tickets] as { id: string; number: string }[];
    await eventually(async () => (receiver.hits('/created').length >= 3 ? true : undefined), 8000, 'three ticket.created deliveries');
    const bodies = receiver.hits('/created').map((hit) => JSON.parse(hit.body) as { event: string; payload: Record<string, unknown> });
    expect(bodies.map((b) => b.event)).toEqual(['ticket.created', 'ticket.created', 'ticket.created']);
    expect(bodies.map((b) => b.payload.ticketId).sort()).toEqual(tickets.map((ticket) => ticket.id).sort());
    const direct0 = bodies.find((b) => b.payload.ticketId === direct.body.id)!;
    expect(direct0.payload).toMatchObject({
      number: direct.body.number,
      title: '用地咨询',
      category: 'land',
      channel: 'online',
      enterpriseId: enterprise.id,
      engagementId: null,
      createdBy: liaison.id,
      pairedLeaderId: null,
    });
    expect(bodies.find((b) => b.payload.ticketId === tickets[1].id)!.payload).toMatchObject({ engagementId: engagement.body.id, channel: 'breakfast_meeting' });
    expect((await deliveries(webhook.id)).items.every((d) => d.status === 'delivered')).toBe(true);

    // A refused intake records no delivery.
    const before = await countRows(t, 'webhook_deliveries');
    await t.http
      .post('/api/v1/tickets')
      .set('Authorization', liaison.auth)
      .send({ enterpriseId: '00000000-0000-4000-8000-000000000000', category: 'land', title: '无此企业', channel: 'online' })
      .expect(400);
    expect(await countRows(t, 'webhook_deliveries')).toBe(before);
  });

  it('delivers a signed event that the receiver can verify', async () => {
    const webhook = await createWebhook(receiver.script('/ok', 200), ['ticket.escalated', 'ticket.created']);
    const [deliveryId, ...more] = await publish('ticket.escalated', { ticketId: 'T-1', tier: 2 });
    expect(more).toEqual([]);

    const delivery = await settled(webhook.id, deliveryId, 'delivered');
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 200, lastError: null, event: 'ticket.escalated' });
    expect(delivery.deliveredAt).toEqual(expect.any(String));

    const [request] = receiver.hits('/ok');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-demanddesk-event': 'ticket.escalated',
      'x-demanddesk-delivery': deliveryId,
    });
    const timestamp = request.headers['x-demanddesk-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex');
    expect(request.headers['x-demanddesk-signature']).toBe(`sha256=${expected}`);
    expect(JSON.parse(request.body)).toEqual({
      id: deliveryId,
      event: 'ticket.escalated',
      occurredAt: delivery.createdAt,
      payload: { ticketId: 'T-1', tier: 2 },
    });

    // An event nobody subscribed to records nothing, not even in the outbox.
    expect(await emit(t, 'ticket.started', { ticketId: 'T-1' })).toBeNull();
  });

  it('retries a failing receiver with backoff until it answers 2xx', async () => {
    const webhook = await createWebhook(receiver.script('/flaky', 500, 500, 200), ['ticket.warned']);
    const [deliveryId] = await publish('ticket.warned', { ticketId: 'T-2' });
    const delivery = await settled(webhook.id, deliveryId, 'delivered');
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 200 });
    expect(receiver.hits('/flaky')).toHaveLength(3);
  });

  it('gives up after 6 attempts and keeps the failed delivery visible; a redelivery sends it again', async () => {
    const url = receiver.script('/down', 500);
    const webhook = await createWebhook(url, ['ticket.paused']);
    const [deliveryId] = await publish('ticket.paused', { ticketId: 'T-3' });
    const failed = await settled(webhook.id, deliveryId, 'failed', 15_000);
    expect(failed).toMatchObject({ attempts: 6, lastStatusCode: 500, lastError: 'The receiver answered HTTP 500' });
    expect((await deliveries(webhook.id, '?status=failed')).items.map((d) => d.id)).toEqual([deliveryId]);
    expect((await deliveries(webhook.id, '?status=delivered')).items).toEqual([]);

    receiver.script('/down', 200);
    const again = await t.http.post(`/api/v1/webhooks/deliveries/${deliveryId}/redeliver`).set('Authorization', manager.auth).expect(202);
    expect(again.body).toMatchObject({ id: deliveryId, status: 'pending' });
    expect(await settled(webhook.id, deliveryId, 'delivered')).toMatchObject({ attempts: 7, lastStatusCode: 200, lastError: null });
  });

  it('does not retry a 4xx refusal, but retries 429', async () => {
    const gone = await createWebhook(receiver.script('/gone', 410), ['ticket.resumed']);
    const [goneId] = await publish('ticket.resumed', { ticketId: 'T-4' });
    expect(await settled(gone.id, goneId, 'failed')).toMatchObject({ attempts: 1, lastStatusCode: 410 });
    const paused = await t.http.patch(`/api/v1/webhooks/${gone.id}`).set('Authorization', admin.auth).send({ active: false });
    expect(paused.body).toMatchObject({ active: false });
    const refused = await t.http.post(`/api/v1/webhooks/deliveries/${goneId}/redeliver`).set('Authorization', admin.auth).expect(409);
    expect(refused.body.code).toBe('conflict');

    const busy = await createWebhook(receiver.script('/busy', 429, 200), ['ticket.extended']);
    const [busyId] = await publish('ticket.extended', { ticketId: 'T-5' });
    expect(await settled(busy.id, busyId, 'delivered')).toMatchObject({ attempts: 2 });
    await t.http.delete(`/api/v1/webhooks/${busy.id}`).set('Authorization', admin.auth).expect(204);
  });

  it('lets admins and managers manage webhooks, never shows the secret, and refuses others', async () => {
    const created = await createWebhook(`${receiver.base}/managed`, ['ticket.overdue'], manager);
    expect(created).toMatchObject({ url: `${receiver.base}/managed`, events: ['ticket.overdue'], active: true, createdBy: manager.id });
    const one = await t.http.get(`/api/v1/webhooks/${created.id}`).set('Authorization', admin.auth).expect(200);
    const list = await t.http.get('/api/v1/webhooks').set('Authorization', manager.auth).expect(200);
    const patched = await t.http
      .patch(`/api/v1/webhooks/${created.id}`)
      .set('Authorization', admin.auth)
      .send({ events: ['ticket.overdue', 'ticket.closed'], secret: 'another-secret-0123456789', description: 'relay' })
      .expect(200);
    expect(patched.body).toMatchObject({ events: ['ticket.overdue', 'ticket.closed'], description: 'relay' });
    for (const body of [created, one.body, list.body, patched.body]) {
      expect(JSON.stringify(body)).not.toMatch(/secret|receiver-secret|another-secret/);
    }

    await t.http.get('/api/v1/webhooks').set('Authorization', liaison.auth).expect(403);
    const forbidden = await t.http
      .post('/api/v1/webhooks')
      .set('Authorization', liaison.auth)
      .send({ url: `${receiver.base}/x`, events: ['ticket.created'], secret: SECRET })
      .expect(403);
    expect(forbidden.body.code).toBe('forbidden');
    await t.http.get(`/api/v1/webhooks/${created.id}/deliveries`).set('Authorization', liaison.auth).expect(403);
    await t.http.get('/api/v1/webhooks').expect(401);

    await t.http.delete(`/api/v1/webhooks/${created.id}`).set('Authorization', admin.auth).expect(204);
    await t.http.get(`/api/v1/webhooks/${created.id}`).set('Authorization', admin.auth).expect(404);
    const after = await t.http.get('/api/v1/webhooks').set('Authorization', admin.auth).expect(200);
    expect((after.body as WebhookDto[]).map((w) => w.id)).not.toContain(created.id);
    // Paused and deleted webhooks receive nothing.
    expect(await publish('ticket.overdue', { ticketId: 'T-6' })).toEqual([]);
  });

  it('refuses bad input with problem details and writes nothing', async () => {
    const before = await countRows(t, 'webhooks');
    const bad = [
      { url: 'ftp://example.com/hook', events: ['ticket.created'], secret: SECRET },
      { url: 'not a url', events: ['ticket.created'], secret: SECRET },
      { url: `${receiver.base}/x`, events: [], secret: SECRET },
      { url: `${receiver.base}/x`, events: ['ticket.exploded'], secret: SECRET },
      { url: `${receiver.base}/x`, events: ['ticket.created'], secret: 'short' },
      { url: `${receiver.base}/x`, events: ['ticket.created'] },
      { url: `${receiver.base}/x`, events: ['ticket.created'], secret: SECRET, admin: true },
    ];
    for (const body of bad) {
      const res = await t.http.post('/api/v1/webhooks').set('Authorization', admin.auth).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect(await countRows(t, 'webhooks')).toBe(before);
    await t.http.get('/api/v1/webhooks/not-a-uuid').set('Authorization', admin.auth).expect(400);
    await t.http.get('/api/v1/webhooks/00000000-0000-4000-8000-000000000000').set('Authorization', admin.auth).expect(404);
    await t.http
      .post('/api/v1/webhooks/deliveries/00000000-0000-4000-8000-000000000000/redeliver')
      .set('Authorization', admin.auth)
      .expect(404);
  });

  it('records any failure to connect as unreachable, without the details of why', async () => {
    // A port nothing listens on: "connection refused" would tell a port scanner it is closed.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const webhook = await createWebhook(`http://127.0.0.1:${port}/closed`, ['ticket.routed']);
    const [deliveryId] = await publish('ticket.routed', { ticketId: 'T-9' });
    const failed = await settled(webhook.id, deliveryId, 'failed', 15_000);
    expect(failed).toMatchObject({ attempts: 6, lastStatusCode: null, lastError: 'The receiver could not be reached' });
  });

  it('sweeps pending deliveries that never got a job', async () => {
    const webhook = await createWebhook(receiver.script('/swept', 200), ['ticket.reminded']);
    // Recorded, but the process "died" before enqueueing.
    const [{ id: deliveryId }] = await t.app
      .get(DataSource)
      .query<{ id: string }[]>(`INSERT INTO webhook_deliveries (webhook_id, event, payload) VALUES ($1, 'ticket.reminded', '{}') RETURNING id`, [webhook.id]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.hits('/swept')).toHaveLength(0);
    await t.app.get(WebhookOutbox).sweep();
    await settled(webhook.id, deliveryId, 'delivered');
    // Sweeping again does not send it twice.
    await t.app.get(WebhookOutbox).sweep();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.hits('/swept')).toHaveLength(1);
  });

  it('never holds a request up while Redis is away, and sends what piled up once it is back', async () => {
    const webhook = await createWebhook(receiver.script('/later', 200), ['ticket.reopened']);
    await redisProxy.cut();
    let outboxId: string | null;
    let elapsed: number;
    let whileAway: { pending: string[] };
    try {
      const started = Date.now();
      outboxId = await emit(t, 'ticket.reopened', { ticketId: 'T-7' });
      elapsed = Date.now() - started;
      [whileAway] = await t.app.get(DataSource).query(`SELECT pending FROM event_outbox WHERE id = $1`, [outboxId]);
    } finally {
      await redisProxy.restore();
    }
    // The event waits in the outbox for its subscriber; once Redis is back it is delivered, once.
    expect(elapsed).toBeLessThan(2000);
    expect(whileAway).toEqual({ pending: ['webhooks'] });
    const [deliveryId] = await webhookDeliveriesOf(t, outboxId!, 15_000);
    // Waiting for the delivery also lets the queue connections reconnect before the app closes.
    await settled(webhook.id, deliveryId, 'delivered', 15_000);
    expect(receiver.hits('/later')).toHaveLength(1);
  });
});
