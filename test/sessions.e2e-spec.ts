import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JwtService } from '@nestjs/jwt';
import { ADDRESS_FAILURES_ALLOWED, LOGIN_FAILURES_ALLOWED, USERNAME_FAILURES_ALLOWED } from '../src/auth/login-throttle.service';
import { type Actor, actor, createUser, eventually, login, PASSWORD } from './support/fixtures';
import { SseClient } from './support/sse';
import { startTestApp, type TestApp } from './support/test-app';

/** Serves `t` on a local port, for requests supertest cannot make (an event stream read over time). */
async function serve(t: TestApp): Promise<string> {
  const server = t.app.getHttpServer() as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('JWT_SECRET at boot', () => {
  it('exits non-zero with one message naming JWT_SECRET when production starts with the example secret', async () => {
    const example = /^JWT_SECRET=(.*)$/m.exec(readFileSync('.env.example', 'utf8'))![1];
    const child = spawn(process.execPath, ['-r', 'ts-node/register', 'src/main.ts'], {
      env: { ...process.env, NODE_ENV: 'production', JWT_SECRET: example, TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'Invalid environment configuration:\n' +
        '  JWT_SECRET: JWT_SECRET is the example value from .env.example; set a random one of 32+ characters (openssl rand -base64 48)\n' +
        'See .env.example.',
    );
    // Loading the whole app through ts-node takes a while on a busy machine.
  }, 120_000);
});

describe('sessions: revocation and the one token check', () => {
  let t: TestApp;
  let other: TestApp;
  let base: string;
  let otherBase: string;
  let admin: Actor;

  beforeAll(async () => {
    t = await startTestApp();
    // A second API process of the same deployment: revocation must reach it too.
    other = await startTestApp({ role: 'api', joining: t });
    [base, otherBase] = await Promise.all([serve(t), serve(other)]);
    admin = await actor(t, 'admin1', 'admin');
  });

  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const me = (app: TestApp, token: string) => app.http.get('/api/v1/me').set('Authorization', `Bearer ${token}`);
  const patchUser = (id: string, body: object) =>
    t.http.patch(`/api/v1/users/${id}`).set('Authorization', admin.auth).send(body).expect(200);

  it('a password change revokes every token of the user, answers with a new one, and needs the current password', async () => {
    const user = await createUser(t, 'changer', 'liaison_officer');
    const [first, second] = [await login(t, user), await login(t, user)];

    const wrong = await t.http
      .post('/api/v1/me/password')
      .set('Authorization', first.auth)
      .send({ currentPassword: 'not-it', newPassword: 'a-brand-new-password' })
      .expect(422);
    expect(wrong.body.code).toBe('current_password_wrong');
    await me(t, first.token).expect(200);

    const changed = await t.http
      .post('/api/v1/me/password')
      .set('Authorization', first.auth)
      .send({ currentPassword: PASSWORD, newPassword: 'a-brand-new-password' })
      .expect(200);
    for (const old of [first, second]) {
      const refused = await me(t, old.token).expect(401);
      expect(refused.body).toMatchObject({ code: 'token_invalid', detail: expect.stringContaining('revoked') });
    }
    await me(t, changed.body.accessToken).expect(200);
    await t.http.post('/api/v1/auth/login').send({ username: 'changer', password: PASSWORD }).expect(401);
    await t.http.post('/api/v1/auth/login').send({ username: 'changer', password: 'a-brand-new-password' }).expect(200);
  });

  it("an admin's password reset and disabling revoke; enabling again does not bring old tokens back", async () => {
    const user = await createUser(t, 'managed', 'manager');
    const before = await login(t, user);
    await patchUser(user.id, { password: 'reset-by-the-admin' });
    await me(t, before.token).expect(401);

    const reset = await t.http.post('/api/v1/auth/login').send({ username: 'managed', password: 'reset-by-the-admin' }).expect(200);
    const token = reset.body.accessToken as string;
    await me(t, token).expect(200);
    // A change that revokes nothing leaves tokens alone.
    await patchUser(user.id, { displayName: 'renamed' });
    await me(t, token).expect(200);
    await patchUser(user.id, { active: false });
    await me(t, token).expect(401);
    await patchUser(user.id, { active: true });
    await me(t, token).expect(401);
  });

  it('revocation reaches another process within 5 s, and a token issued after it works there at once', async () => {
    const [leaver, returner] = await Promise.all([createUser(t, 'leaver', 'liaison_officer'), createUser(t, 'returner', 'liaison_officer')]);
    const [leaverToken, returnerToken] = [await login(t, leaver), await login(t, returner)];
    // The other process now remembers both users at their old version.
    await me(other, leaverToken.token).expect(200);
    await me(other, returnerToken.token).expect(200);

    await patchUser(leaver.id, { active: false });
    const started = Date.now();
    await eventually(async () => ((await me(other, leaverToken.token)).status === 401 ? true : undefined), 5000, 'the token refused');
    expect(Date.now() - started).toBeLessThanOrEqual(5000);

    await patchUser(returner.id, { password: 'moved-on-password' });
    const renewed = await t.http.post('/api/v1/auth/login').send({ username: 'returner', password: 'moved-on-password' }).expect(200);
    await me(other, renewed.body.accessToken).expect(200);
    await me(other, returnerToken.token).expect(401);
  });

  it('ends open streams within 5 s of a password change or deactivation, in every process, and no one else’s', async () => {
    const [changer, disabled, bystander] = await Promise.all(
      ['stream_pw', 'stream_off', 'stream_ok'].map((name) => createUser(t, name, 'liaison_officer').then((u) => login(t, u))),
    );
    const open = (server: string, who: Actor) => SseClient.open(`${server}/api/v1/notifications/stream?access_token=${who.token}`);
    const streams = await Promise.all([open(base, changer), open(otherBase, changer), open(base, disabled), open(otherBase, disabled), open(base, bystander)]);
    for (const { response } of streams) expect(response.statusCode).toBe(200);
    const [changerHere, changerThere, disabledHere, disabledThere, bystanders] = streams.map((s) => s.client);
    try {
      await Promise.all([
        t.http
          .post('/api/v1/me/password')
          .set('Authorization', changer.auth)
          .send({ currentPassword: PASSWORD, newPassword: 'streams-must-end' })
          .expect(200),
        patchUser(disabled.id, { active: false }),
      ]);
      // From the moment both changes are in effect (their answers came back), not from before
      // the argon2 work of the password change, which a busy machine stretches.
      const started = Date.now();
      for (const client of [changerHere, changerThere, disabledHere, disabledThere]) {
        await eventually(async () => client.ended || undefined, Math.max(5000 - (Date.now() - started), 0), 'the stream to end');
      }
      expect(Date.now() - started).toBeLessThanOrEqual(5000);
      expect(bystanders.ended).toBe(false);
    } finally {
      for (const client of [changerHere, changerThere, disabledHere, disabledThere, bystanders]) client.close();
    }
  });

  it('answers a validly signed token whose sub is not a UUID with 401, on the API and the queue dashboard', async () => {
    const jwt = t.app.get(JwtService);
    for (const sub of ['not-a-uuid', "1' OR '1'='1", '']) {
      const token = await jwt.signAsync({ sub, role: 'admin', ver: 0 });
      const api = await me(t, token).expect(401);
      expect(api.body.code).toBe('token_invalid');
      await t.http.get('/admin/queues').set('Authorization', `Bearer ${token}`).expect(401);
    }
  });

  it('lets only a current access token of an admin into the queue dashboard', async () => {
    const jwt = t.app.get(JwtService);
    const dashboard = (token: string) => t.http.get('/admin/queues').set('Authorization', `Bearer ${token}`);
    await dashboard(admin.token).expect(200);

    // Survey links are signed with the same key; a `purpose` makes any token something else.
    const purpose = await jwt.signAsync({ sub: admin.id, role: 'admin', ver: 0, purpose: 'survey' });
    await dashboard(purpose).expect(401);
    await me(t, purpose).expect(401);
    const versionless = await jwt.signAsync({ sub: admin.id, role: 'admin' });
    await dashboard(versionless).expect(401);

    const other = await actor(t, 'admin2', 'admin');
    await dashboard(other.token).expect(200);
    await patchUser(other.id, { password: 'admin2-new-password' });
    await dashboard(other.token).expect(401);

    const manager = await actor(t, 'manager1', 'manager');
    await dashboard(manager.token).expect(401);
  });
});

describe('login throttling', () => {
  let t: TestApp;
  let untrusting: TestApp;

  beforeAll(async () => {
    // Supertest connects from loopback: trusting it lets X-Forwarded-For stand for many clients.
    t = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    untrusting = await startTestApp({ role: 'api', joining: t });
  });

  afterAll(async () => {
    await untrusting?.close();
    await t?.close();
  });

  const attempt = (app: TestApp, from: string, username: string, password: string) =>
    app.http.post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username, password });

  const expectLocked = async (request: ReturnType<typeof attempt>) => {
    const res = await request.expect(429);
    expect(res.body.code).toBe('too_many_requests');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    return res;
  };

  it('locks one address that tries many usernames, and only that address', async () => {
    await createUser(t, 'sprayed', 'manager');
    await Promise.all(
      Array.from({ length: ADDRESS_FAILURES_ALLOWED }, (_, i) => attempt(t, '203.0.113.5', `guess${i}`, 'Winter2026!').expect(401)),
    );
    const locked = await expectLocked(attempt(t, '203.0.113.5', 'sprayed', PASSWORD));
    expect(locked.body.detail).toMatch(/from this address/);
    await attempt(t, '203.0.113.6', 'sprayed', PASSWORD).expect(200);
  });

  it('locks a username tried from many addresses, except to the addresses it signed in from', async () => {
    await createUser(t, 'victim', 'principal_leader');
    await attempt(t, '198.51.100.1', 'victim', PASSWORD).expect(200);
    await Promise.all(
      Array.from({ length: USERNAME_FAILURES_ALLOWED }, (_, i) => attempt(t, `198.51.100.${10 + i}`, 'victim', 'hunter2-guess').expect(401)),
    );
    // A fresh address of the botnet gets no guess, even the right one.
    const locked = await expectLocked(attempt(t, '198.51.100.99', 'victim', PASSWORD));
    expect(locked.body.detail).toMatch(/signed in from before/);
    // The owner's usual address still signs in; other usernames are not affected.
    await attempt(t, '198.51.100.1', 'victim', PASSWORD).expect(200);
    await createUser(t, 'neighbour', 'manager');
    await attempt(t, '198.51.100.99', 'neighbour', PASSWORD).expect(200);
  });

  it('takes the client address from the socket, not X-Forwarded-For, when TRUST_PROXY is off', async () => {
    await createUser(t, 'spoofed', 'manager');
    for (let i = 0; i < LOGIN_FAILURES_ALLOWED; i++) {
      await attempt(untrusting, `192.0.2.${i + 1}`, 'spoofed', 'wrong-password').expect(401);
    }
    // Every attempt came from 127.0.0.1 whatever the header said: that pair is locked.
    await expectLocked(attempt(untrusting, '192.0.2.200', 'spoofed', PASSWORD));
    // Through the process that trusts loopback, the header's address is a fresh one.
    await attempt(t, '192.0.2.200', 'spoofed', PASSWORD).expect(200);
  });
});
