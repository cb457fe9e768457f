import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { LOGIN_FAILURES_ALLOWED } from '../src/auth/login-throttle.service';
import { type Actor, actor, createUser, PASSWORD } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('auth and departments', () => {
  let t: TestApp;
  let admin: Actor;
  let liaison: Actor;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await actor(t, 'admin1', 'admin');
    liaison = await actor(t, 'liaison1', 'liaison_officer');
  });

  afterAll(() => t?.close());

  it('logs in and tells who the caller is', async () => {
    const me = await t.http.get('/api/v1/me').set('Authorization', liaison.auth).expect(200);
    expect(me.body).toEqual({
      id: liaison.id,
      username: 'liaison1',
      displayName: 'liaison1',
      role: 'liaison_officer',
      departmentId: null,
    });
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const wrong = await t.http.post('/api/v1/auth/login').send({ username: 'liaison1', password: 'nope' }).expect(401);
    const unknown = await t.http.post('/api/v1/auth/login').send({ username: 'ghost', password: 'nope' }).expect(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('requires a token, and refuses a forged, expired or malformed one', async () => {
    const missing = await t.http.get('/api/v1/me').expect(401);
    expect(missing.body.code).toBe('unauthenticated');
    await t.http.get('/api/v1/me').set('Authorization', 'Bearer not-a-jwt').expect(401);

    const forged = await new JwtService({ secret: 'another-secret-of-32-characters-long!!' }).signAsync({ sub: liaison.id });
    const res = await t.http.get('/api/v1/me').set('Authorization', `Bearer ${forged}`).expect(401);
    expect(res.body.code).toBe('token_invalid');

    const expired = await t.app
      .get(JwtService)
      .signAsync({ sub: liaison.id, exp: Math.floor(Date.now() / 1000) - 60 });
    const late = await t.http.get('/api/v1/me').set('Authorization', `Bearer ${expired}`).expect(401);
    expect(late.body.code).toBe('token_invalid');
  });

  it('throttles repeated failed logins with 429, per username', async () => {
    await createUser(t, 'target', 'manager');
    for (let i = 0; i < LOGIN_FAILURES_ALLOWED; i++) {
      await t.http.post('/api/v1/auth/login').send({ username: 'target', password: 'guess' }).expect(401);
    }
    const throttled = await t.http.post('/api/v1/auth/login').send({ username: 'target', password: PASSWORD }).expect(429);
    expect(throttled.body.code).toBe('too_many_requests');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    // Another user from the same address is not locked out.
    await t.http.post('/api/v1/auth/login').send({ username: 'liaison1', password: PASSWORD }).expect(200);
  });

  it('lets an admin manage departments and routes each category to one department', async () => {
    const deputy = await actor(t, 'deputy1', 'deputy_leader');
    const created = await t.http
      .post('/api/v1/departments')
      .set('Authorization', admin.auth)
      .send({ name: '自然资源局', deputyLeaderId: deputy.id, categories: ['land'] })
      .expect(201);
    expect(created.body).toMatchObject({ name: '自然资源局', deputyLeaderId: deputy.id, categories: ['land'] });

    const clash = await t.http
      .post('/api/v1/departments')
      .set('Authorization', admin.auth)
      .send({ name: '规划局', categories: ['land'] })
      .expect(409);
    expect(clash.body.detail).toContain('land');

    const notALeader = await t.http
      .post('/api/v1/departments')
      .set('Authorization', admin.auth)
      .send({ name: '电力局', deputyLeaderId: liaison.id })
      .expect(400);
    expect(notALeader.body.errors).toEqual([expect.objectContaining({ field: 'deputyLeaderId' })]);

    const forbidden = await t.http
      .post('/api/v1/departments')
      .set('Authorization', liaison.auth)
      .send({ name: '电力局' })
      .expect(403);
    expect(forbidden.body.code).toBe('forbidden');

    const list = await t.http.get('/api/v1/departments').set('Authorization', liaison.auth).expect(200);
    expect(list.body.map((d: { name: string }) => d.name)).toEqual(['自然资源局']);
  });

  it('rejects unknown properties and lists every invalid field', async () => {
    const res = await t.http
      .post('/api/v1/departments')
      .set('Authorization', admin.auth)
      .send({ name: '', categories: ['moon'], color: 'red' })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['categories', 'color', 'name']));
    const list = await t.http.get('/api/v1/departments').set('Authorization', admin.auth).expect(200);
    expect(list.body).toHaveLength(1);
  });

  it('lets an admin create users, and a disabled account loses access at once', async () => {
    const handlerWithoutDepartment = await t.http
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .send({ username: 'handler9', displayName: '处理人', password: 'long-enough-pw', role: 'department_handler' })
      .expect(400);
    expect(handlerWithoutDepartment.body.errors).toEqual([expect.objectContaining({ field: 'departmentId' })]);

    const created = await t.http
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .send({ username: 'liaison9', displayName: '新联络员', password: 'long-enough-pw', role: 'liaison_officer' })
      .expect(201);
    expect(created.body).not.toHaveProperty('passwordHash');
    await t.http
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .send({ username: 'liaison9', displayName: 'again', password: 'long-enough-pw', role: 'liaison_officer' })
      .expect(409);
    await t.http
      .post('/api/v1/users')
      .set('Authorization', liaison.auth)
      .send({ username: 'sneaky', displayName: 'x', password: 'long-enough-pw', role: 'admin' })
      .expect(403);

    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ username: 'liaison9', password: 'long-enough-pw' })
      .expect(200);
    const auth = `Bearer ${login.body.accessToken}`;
    await t.http.get('/api/v1/me').set('Authorization', auth).expect(200);
    await t.http.patch(`/api/v1/users/${created.body.id}`).set('Authorization', admin.auth).send({ active: false }).expect(200);
    const disabled = await t.http.get('/api/v1/me').set('Authorization', auth).expect(401);
    expect(disabled.body.code).toBe('token_invalid');

    const directory = await t.http.get('/api/v1/users?role=deputy_leader').set('Authorization', liaison.auth).expect(200);
    expect(directory.body.map((u: { username: string }) => u.username)).toEqual(['deputy1']);
  });
});
