import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import type { NotificationDto } from '../src/notifications/dto/notification.dto';
import { MAX_STREAMS_PER_USER } from '../src/notifications/notification-stream.service';
import { type NotificationInput, NotificationsService } from '../src/notifications/notifications.service';
import { type Actor, actor, countRows, eventually } from './support/fixtures';
import { get, readBody, SseClient } from './support/sse';
import { startTestApp, type TestApp } from './support/test-app';

const input = (title: string): NotificationInput => ({
  type: 'ticket.escalated',
  title,
  body: `${title}: escalated to the deputy leader`,
  data: { tier: 2 },
});

describe('notifications: inbox and live stream', () => {
  let t: TestApp;
  let notifications: NotificationsService;
  let base: string;
  let alice: Actor;
  let bob: Actor;
  let closed = false;

  beforeAll(async () => {
    t = await startTestApp();
    // The stream is read over a real socket, not through supertest.
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    notifications = t.app.get(NotificationsService);
    alice = await actor(t, 'alice', 'deputy_leader');
    bob = await actor(t, 'bob', 'liaison_officer');
  });

  afterAll(async () => {
    if (!closed) await t?.close();
  });

  const list = async (who: Actor, query = '') =>
    (await t.http.get(`/api/v1/notifications${query}`).set('Authorization', who.auth).expect(200)).body as {
      items: NotificationDto[];
      nextCursor: string | null;
    };
  const unread = async (who: Actor) =>
    (await t.http.get('/api/v1/notifications/unread-count').set('Authorization', who.auth).expect(200)).body.count;

  it('writes one row per user, once per user, and lists only the caller’s, newest first, by pages', async () => {
    await notifications.notifyUsers([alice.id, alice.id, bob.id], input('first'));
    await notifications.notifyUsers([alice.id], input('second'));
    await notifications.notifyUsers([alice.id], input('third'));
    await notifications.notifyUsers([], input('nobody'));

    const all = await list(alice);
    expect(all.items.map((n) => n.title)).toEqual(['third', 'second', 'first']);
    expect(all.items[0]).toMatchObject({
      type: 'ticket.escalated',
      ticketId: null,
      body: 'third: escalated to the deputy leader',
      data: { tier: 2 },
      readAt: null,
    });
    expect(all.nextCursor).toBeNull();
    expect((await list(bob)).items.map((n) => n.title)).toEqual(['first']);

    const page1 = await list(alice, '?limit=2');
    expect(page1.items.map((n) => n.title)).toEqual(['third', 'second']);
    const page2 = await list(alice, `?limit=2&cursor=${page1.nextCursor}`);
    expect(page2.items.map((n) => n.title)).toEqual(['first']);
    expect(page2.nextCursor).toBeNull();
  });

  it('marks one read (only the caller’s), filters unread, counts them, and marks all read', async () => {
    const [third, second] = (await list(alice)).items;
    expect(await unread(alice)).toBe(3);

    const read = await t.http.post(`/api/v1/notifications/${third.id}/read`).set('Authorization', alice.auth).expect(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    const again = await t.http.post(`/api/v1/notifications/${third.id}/read`).set('Authorization', alice.auth).expect(200);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect(await unread(alice)).toBe(2);
    expect((await list(alice, '?unread=true')).items.map((n) => n.id)).not.toContain(third.id);

    const foreign = await t.http.post(`/api/v1/notifications/${second.id}/read`).set('Authorization', bob.auth).expect(404);
    expect(foreign.body.code).toBe('not_found');
    expect(foreign.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await unread(alice)).toBe(2);

    const all = await t.http.post('/api/v1/notifications/read-all').set('Authorization', alice.auth).expect(200);
    expect(all.body).toEqual({ updated: 2 });
    expect(await unread(alice)).toBe(0);
    expect(await unread(bob)).toBe(1);
  });

  it('answers bad input with problem details', async () => {
    await t.http.post('/api/v1/notifications/not-a-uuid/read').set('Authorization', alice.auth).expect(400);
    const flag = await t.http.get('/api/v1/notifications?unread=maybe').set('Authorization', alice.auth).expect(400);
    expect(flag.body.code).toBe('validation_failed');
    await t.http.get('/api/v1/notifications?cursor=garbage').set('Authorization', alice.auth).expect(400);
    await t.http.get('/api/v1/notifications?limit=0').set('Authorization', alice.auth).expect(400);
    await t.http.get('/api/v1/notifications').expect(401);
  });

  it('streams a notification written afterwards to its user only, once its transaction commits', async () => {
    const { client, response } = await SseClient.open(`${base}/notifications/stream?access_token=${alice.token}`);
    try {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);

      await notifications.notifyUsers([bob.id], input('for bob'));
      const rows = await countRows(t, 'notifications');
      await expect(
        t.app.get(DataSource).transaction(async (manager) => {
          await notifications.notifyUsers([alice.id], input('rolled back'), manager);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await countRows(t, 'notifications')).toBe(rows);
      await t.app.get(DataSource).transaction((manager) => notifications.notifyUsers([alice.id], input('live'), manager));

      const event = await client.next('notification');
      const streamed = JSON.parse(event.data) as NotificationDto;
      expect(streamed).toMatchObject({ title: 'live', type: 'ticket.escalated', readAt: null, data: { tier: 2 } });
      expect(client.events.map((e) => JSON.parse(e.data).title)).toEqual(['live']);
    } finally {
      client.close();
    }
  });

  it('refuses the stream without a valid token, and a query token on any other route', async () => {
    const missing = await get(`${base}/notifications/stream`);
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(await readBody(missing)).code).toBe('unauthenticated');
    const forged = await get(`${base}/notifications/stream?access_token=not-a-jwt`);
    expect(forged.statusCode).toBe(401);
    expect(JSON.parse(await readBody(forged)).code).toBe('token_invalid');
    const elsewhere = await get(`${base}/notifications?access_token=${alice.token}`);
    expect(elsewhere.statusCode).toBe(401);
    await readBody(elsewhere);
  });

  it('keeps streaming after the LISTEN connection is cut', async () => {
    const { client } = await SseClient.open(`${base}/notifications/stream?access_token=${bob.token}`);
    const dataSource = t.app.get(DataSource);
    const listener = `SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'demand-desk-listen' AND query = 'LISTEN notifications'`;
    try {
      const [{ pid }] = await eventually(async () => {
        const rows: { pid: number }[] = await dataSource.query(listener);
        return rows.length > 0 ? rows : undefined;
      });
      await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
      await eventually(
        async () => ((await dataSource.query(listener)) as { pid: number }[]).find((row) => row.pid !== pid),
        8000,
        'a new LISTEN connection',
      );
      await notifications.notifyUsers([bob.id], input('after reconnect'));
      expect(JSON.parse((await client.next('notification')).data).title).toBe('after reconnect');
    } finally {
      client.close();
    }
  });

  it('streams a notification written by another process', async () => {
    const api = await startTestApp({ role: 'api', joining: t });
    const server = api.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { client } = await SseClient.open(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/notifications/stream?access_token=${bob.token}`,
    );
    try {
      await notifications.notifyUsers([bob.id], input('from the worker'));
      expect(JSON.parse((await client.next('notification')).data).title).toBe('from the worker');
    } finally {
      client.close();
      await api.close();
    }
  });

  it('refuses a sixth open stream of one user with 429, and takes a new one once one closes', async () => {
    const carol = await actor(t, 'carol', 'manager');
    const url = `${base}/notifications/stream?access_token=${carol.token}`;
    const open = await Promise.all(Array.from({ length: MAX_STREAMS_PER_USER }, () => SseClient.open(url)));
    try {
      expect(open.map(({ response }) => response.statusCode)).toEqual(Array(MAX_STREAMS_PER_USER).fill(200));
      const sixth = await get(url);
      expect(sixth.statusCode).toBe(429);
      expect(sixth.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(await readBody(sixth))).toMatchObject({ code: 'too_many_streams', status: 429 });
      // Another user is not counted against carol.
      const other = await SseClient.open(`${base}/notifications/stream?access_token=${bob.token}`);
      expect(other.response.statusCode).toBe(200);
      other.client.close();

      open.pop()!.client.close();
      const again = await eventually(async () => {
        const attempt = await SseClient.open(url);
        if (attempt.response.statusCode === 200) return attempt;
        attempt.client.close();
        return undefined;
      }, 3000, 'a stream once one closed');
      open.push(again);
    } finally {
      for (const { client } of open) client.close();
    }
  });

  it('ends open streams and shuts down without hanging', async () => {
    // Like a browser, keep connections alive: the server must close the stream's connection itself.
    const agent = new http.Agent({ keepAlive: true });
    const { client, response } = await SseClient.open(`${base}/notifications/stream?access_token=${alice.token}`, agent);
    expect(response.statusCode).toBe(200);
    closed = true;
    const started = Date.now();
    await t.close();
    expect(Date.now() - started).toBeLessThan(3000);
    await eventually(async () => (client.ended ? true : undefined), 2000, 'the stream to end');
    agent.destroy();
  });
});
