import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Clock } from '../src/common/clock';
import { type Actor, actor, countRows, createDepartment, createEnterprise } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

interface Day {
  date: string;
  kind: string;
  name: string | null;
  manual: boolean;
}

describe('calendar by the day', () => {
  let t: TestApp;
  let manager: Actor;
  let admin: Actor;
  let liaison: Actor;
  let enterpriseId: string;

  const year = async (y = 2026) => (await t.http.get(`/api/v1/calendar/${y}`).set('Authorization', liaison.auth).expect(200)).body as {
    source: string | null;
    days: Day[];
  };
  const day = async (date: string) => (await year(Number(date.slice(0, 4)))).days.find((d) => d.date === date);
  const changes = async (y = 2026) =>
    (await t.http.get(`/api/v1/calendar/${y}/changes?limit=100`).set('Authorization', manager.auth).expect(200)).body.items as {
      date: string;
      before: unknown;
      after: unknown;
      actorId: string;
      at: string;
    }[];

  beforeAll(async () => {
    t = await startTestApp();
    manager = await actor(t, 'manager', 'manager');
    admin = await actor(t, 'admin', 'admin');
    liaison = await actor(t, 'liaison', 'liaison_officer');
    enterpriseId = (await createEnterprise(t)).id;
    const imported = await t.http.post('/api/v1/calendar/2026/import').set('Authorization', manager.auth).expect(200);
    expect(imported.body.source).toBe('chinese-days');
  });

  afterAll(() => t?.close());

  it('sets and clears one day; the year keeps its source and the day is marked manual', async () => {
    const before = await year();
    // Thursday 12 March 2026, an ordinary working day.
    expect(before.days.find((d) => d.date === '2026-03-12')).toBeUndefined();

    const set = await t.http.put('/api/v1/calendar/2026/days/2026-03-12').set('Authorization', manager.auth).send({ kind: 'holiday', name: '停电检修' }).expect(200);
    expect(set.body.source).toBe('chinese-days');
    expect(set.body.days.find((d: Day) => d.date === '2026-03-12')).toEqual({ date: '2026-03-12', kind: 'holiday', name: '停电检修', manual: true });
    // The other days are untouched, and still not manual.
    expect(set.body.days.filter((d: Day) => d.date !== '2026-03-12')).toEqual(before.days);
    expect(before.days.every((d) => !d.manual)).toBe(true);

    await t.http.delete('/api/v1/calendar/2026/days/2026-03-12').set('Authorization', admin.auth).expect(200);
    expect(await day('2026-03-12')).toBeUndefined();
    expect((await year()).source).toBe('chinese-days');

    const logged = (await changes()).filter((c) => c.date === '2026-03-12');
    // Newest first: the admin's clearing, then the manager's setting.
    expect(logged).toEqual([
      { id: expect.any(String), date: '2026-03-12', before: { kind: 'holiday', name: '停电检修' }, after: null, actorId: admin.id, at: expect.any(String) },
      { id: expect.any(String), date: '2026-03-12', before: null, after: { kind: 'holiday', name: '停电检修' }, actorId: manager.id, at: expect.any(String) },
    ]);
  });

  it('sets a range: off or worked as asked, stored only where that differs from the weekday/weekend rule; null clears it', async () => {
    // Thu 16 April .. Sun 19 April 2026.
    const range = { from: '2026-04-16', to: '2026-04-19' };
    await t.http.patch('/api/v1/calendar/2026/days').set('Authorization', manager.auth).send({ ...range, kind: 'holiday', name: '园区活动' }).expect(200);
    let days = (await year()).days.filter((d) => d.date >= range.from && d.date <= range.to);
    expect(days).toEqual([
      { date: '2026-04-16', kind: 'holiday', name: '园区活动', manual: true },
      { date: '2026-04-17', kind: 'holiday', name: '园区活动', manual: true },
    ]);

    // Weekend days worked: Saturday and Sunday become exceptions, Friday goes back to the rule.
    await t.http.patch('/api/v1/calendar/2026/days').set('Authorization', manager.auth).send({ from: '2026-04-17', to: '2026-04-19', kind: 'workday', name: '调休' }).expect(200);
    days = (await year()).days.filter((d) => d.date >= range.from && d.date <= range.to);
    expect(days.map((d) => [d.date, d.kind])).toEqual([
      ['2026-04-16', 'holiday'],
      ['2026-04-18', 'workday'],
      ['2026-04-19', 'workday'],
    ]);

    await t.http.patch('/api/v1/calendar/2026/days').set('Authorization', manager.auth).send({ ...range, kind: null }).expect(200);
    expect((await year()).days.filter((d) => d.date >= range.from && d.date <= range.to)).toEqual([]);
    expect((await year()).source).toBe('chinese-days');
    // 2 + 3 + 3 changes; a day already as asked is not logged again.
    expect((await changes()).filter((c) => c.date >= range.from && c.date <= range.to)).toHaveLength(8);
  });

  it('a deadline computed after the edit uses it; one computed before keeps its date', async () => {
    // Monday 1 June 2026, 10:00 in Shanghai; tier 1 ends with the first working day after the intake day (legal counting).
    const now = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date('2026-06-01T02:00:00Z'));
    try {
      const file = async () =>
        (
          await t.http
            .post('/api/v1/tickets')
            .set('Authorization', liaison.auth)
            .send({ enterpriseId, category: 'land', title: '道路维修', channel: 'online' })
            .expect(201)
        ).body as { id: string; tier1DueAt: string };
      const earlier = await file();
      // Tuesday 2 June, 24:00 in Shanghai.
      expect(earlier.tier1DueAt).toBe('2026-06-02T16:00:00.000Z');

      await t.http.put('/api/v1/calendar/2026/days/2026-06-02').set('Authorization', manager.auth).send({ kind: 'holiday' }).expect(200);
      const later = await file();
      // Tuesday is now a holiday: Wednesday 3 June, 24:00.
      expect(later.tier1DueAt).toBe('2026-06-03T16:00:00.000Z');
      const reread = await t.http.get(`/api/v1/tickets/${earlier.id}`).set('Authorization', manager.auth).expect(200);
      expect(reread.body.tier1DueAt).toBe('2026-06-02T16:00:00.000Z');
    } finally {
      now.mockRestore();
    }
  });

  it('only managers and admins edit days or read the changes', async () => {
    const days = await countRows(t, 'calendar_days');
    const department = await createDepartment(t, '住建局', ['permits']);
    for (const role of ['liaison_officer', 'department_handler', 'deputy_leader', 'principal_leader'] as const) {
      const who = await actor(t, `cal_${role}`, role, role === 'department_handler' ? department.id : null);
      await t.http.put('/api/v1/calendar/2026/days/2026-03-13').set('Authorization', who.auth).send({ kind: 'holiday' }).expect(403);
      await t.http.delete('/api/v1/calendar/2026/days/2026-04-16').set('Authorization', who.auth).expect(403);
      await t.http.patch('/api/v1/calendar/2026/days').set('Authorization', who.auth).send({ from: '2026-03-13', to: '2026-03-14', kind: 'holiday' }).expect(403);
      await t.http.get('/api/v1/calendar/2026/changes').set('Authorization', who.auth).expect(403);
    }
    expect(await countRows(t, 'calendar_days')).toBe(days);
  });

  it('refuses dates that are not real or not in the year, and bad ranges, with a 400 that changes nothing', async () => {
    const [days, logged] = [await countRows(t, 'calendar_days'), await countRows(t, 'calendar_day_changes')];
    const put = (path: string, body: object = { kind: 'holiday' }) => t.http.put(path).set('Authorization', manager.auth).send(body);
    const patch = (body: object) => t.http.patch('/api/v1/calendar/2026/days').set('Authorization', manager.auth).send(body);
    for (const response of [
      await put('/api/v1/calendar/2026/days/2027-01-04'),
      await put('/api/v1/calendar/2026/days/2026-02-30'),
      await put('/api/v1/calendar/2026/days/yesterday'),
      await put('/api/v1/calendar/2026/days/2026-03-13', { kind: 'weekend' }),
      await put('/api/v1/calendar/2026/days/2026-03-13', {}),
      await t.http.delete('/api/v1/calendar/2026/days/2025-12-31').set('Authorization', manager.auth),
      await put('/api/v1/calendar/1999/days/1999-03-13'),
      await patch({ from: '2026-03-20', to: '2026-03-13', kind: 'holiday' }),
      await patch({ from: '2026-12-30', to: '2027-01-02', kind: 'holiday' }),
      await patch({ from: '2026-03-13', to: '2026-03-14' }),
      await patch({ from: '2026-03-13', to: '2026-03-14', kind: null, name: '无' }),
    ]) {
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('validation_failed');
    }
    expect([await countRows(t, 'calendar_days'), await countRows(t, 'calendar_day_changes')]).toEqual([days, logged]);
  });

  it('logs a whole-year replacement day by day, and the per-day markers go with it', async () => {
    await t.http.put('/api/v1/calendar/2026/days/2026-03-13').set('Authorization', manager.auth).send({ kind: 'holiday' }).expect(200);
    const replaced = await t.http
      .put('/api/v1/calendar/2031')
      .set('Authorization', manager.auth)
      .send({ days: [{ date: '2031-10-01', kind: 'holiday', name: '国庆节' }] })
      .expect(200);
    expect(replaced.body).toMatchObject({ source: 'manual', days: [{ date: '2031-10-01', kind: 'holiday', name: '国庆节', manual: false }] });
    expect(await changes(2031)).toEqual([expect.objectContaining({ date: '2031-10-01', before: null, after: { kind: 'holiday', name: '国庆节' }, actorId: manager.id })]);
    // Re-importing 2026 drops the hand-set day, logged as such.
    const reimported = await t.http.post('/api/v1/calendar/2026/import').set('Authorization', manager.auth).expect(200);
    expect(reimported.body.days.some((d: Day) => d.date === '2026-03-13' || d.manual)).toBe(false);
    // One import's changes share their instant: the newest for that day is the import's.
    expect((await changes()).find((c) => c.date === '2026-03-13')).toMatchObject({ before: { kind: 'holiday' }, after: null, actorId: manager.id });
  });
});
