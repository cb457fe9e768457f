import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { type Actor, actor, createDepartment, createEnterprise, createUser } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

const RANGE = 'from=2026-11-01&to=2026-12-01';
const rate = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator === 0 ? null : numerator / denominator });

/**
 * A small known ledger, November 2026 (Shanghai), whole-day working windows,
 * Saturday 14 November a make-up working day (调休):
 *
 * | ticket | dept | created (+08)  | status      | resolved (+08) tier | tier3 due | working h | surveys |
 * | T1     | A    | Mon 02 10:00   | closed      | Mon 02 16:00  1     | Thu 05    | 6         | satisfied |
 * | T2     | A    | Fri 13 12:00   | closed      | Mon 16 12:00  2     | Wed 18    | 48 (Sat on) | basically satisfied |
 * | T3     | A    | Tue 03 09:00   | closed, reopened once | Tue 10 09:00 3 | Fri 06 (late) | 120 | unsatisfied, then no response |
 * | T4     | A    | Wed 04 10:00   | paused      |                     |           |           | |
 * | T5     | B    | Thu 05 10:00   | in_progress, overdue |            | Tue 10    |           | |
 * | T6     | B    | Fri 06 10:00   | resolved    | Fri 06 14:00  1     | Wed 11    | 4         | sent, unanswered |
 * | T7     | B    | Sat Oct 31     | closed      | (outside the range) |           |           | |
 *
 * T1 to T4 belong to enterprise E1, T5 to T7 to E3.
 */
describe('statistics: the figures managers read', () => {
  let t: TestApp;
  let db: DataSource;
  let manager: Actor;
  let handlerA: Actor;
  let liaison: Actor;
  let deputy: Actor;
  let deptA: string;
  let deptB: string;

  const get = (path: string, who: Actor) => t.http.get(`/api/v1/stats/${path}`).set('Authorization', who.auth);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    manager = await actor(t, 'manager', 'manager');
    liaison = await actor(t, 'liaison', 'liaison_officer');
    deputy = await actor(t, 'deputy', 'deputy_leader');
    const otherLeader = await createUser(t, 'other_leader', 'deputy_leader');
    deptA = (await createDepartment(t, '自然资源局', ['land'])).id;
    deptB = (await createDepartment(t, '供电公司', ['power'])).id;
    handlerA = await actor(t, 'handler_a', 'department_handler', deptA);
    const [e1, e2, e3, e4] = await Promise.all([1, 2, 3, 4].map((n) => createEnterprise(t, { name: `企业E${n}` })));

    await db.query(`INSERT INTO calendar_years (year, source) VALUES (2026, 'manual') ON CONFLICT DO NOTHING`);
    await db.query(`INSERT INTO calendar_days (date, kind, name) VALUES ('2026-11-14', 'workday', '调休'), ('2026-09-12', 'workday', '调休')`);

    let seq = 0;
    const ticket = async (f: {
      dept: string;
      enterprise: string;
      category: string;
      channel: string;
      created: string;
      status: string;
      tier?: number;
      resolved?: string;
      resolvedTier?: number;
      tier3Due?: string;
      /** Working hours from intake to resolution, as the resolve action stores them (the table above). */
      workingHours?: number;
      overdue?: string;
      paused?: string;
      reopens?: number;
    }): Promise<string> => {
      seq += 1;
      const [{ id }] = await db.query(
        `INSERT INTO tickets (number, enterprise_id, channel, category, title, department_id, starting_tier, tier, status,
           created_by, created_at, resolved_at, resolved_tier, tier3_due_at, overdue_at, paused_at, reopen_count,
           status_before_pause, closed_at, resolve_working_ms)
         VALUES ($1, $2, $3, $4, 'demand', $5, 1, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
           CASE WHEN $7 = 'paused' THEN 'in_progress' END, CASE WHEN $7 = 'closed' THEN $10::timestamptz END, $16)
         RETURNING id`,
        [
          `2026-${String(seq).padStart(6, '0')}`, f.enterprise, f.channel, f.category, f.dept, f.tier ?? 1, f.status, manager.id,
          f.created, f.resolved ?? null, f.resolvedTier ?? null, f.tier3Due ?? null, f.overdue ?? null, f.paused ?? null, f.reopens ?? 0,
          f.workingHours === undefined ? null : f.workingHours * 3_600_000,
        ],
      );
      return id;
    };
    const survey = (ticketId: string, round: number, status: string, answer: string | null = null) =>
      db.query(`INSERT INTO surveys (ticket_id, round, status, resolution, resolved_at, answer) VALUES ($1, $2, $3, 'done', now(), $4)`, [
        ticketId, round, status, answer,
      ]);

    const t1 = await ticket({ dept: deptA, enterprise: e1.id, category: 'land', channel: 'visit', created: '2026-11-02T10:00+08', status: 'closed', resolved: '2026-11-02T16:00+08', resolvedTier: 1, tier3Due: '2026-11-05T10:00+08', workingHours: 6 });
    const t2 = await ticket({ dept: deptA, enterprise: e1.id, category: 'land', channel: 'online', created: '2026-11-13T12:00+08', status: 'closed', tier: 2, resolved: '2026-11-16T12:00+08', resolvedTier: 2, tier3Due: '2026-11-18T12:00+08', workingHours: 48 });
    const t3 = await ticket({ dept: deptA, enterprise: e1.id, category: 'land', channel: 'visit', created: '2026-11-03T09:00+08', status: 'closed', tier: 3, resolved: '2026-11-10T09:00+08', resolvedTier: 3, tier3Due: '2026-11-06T09:00+08', overdue: '2026-11-06T09:00+08', reopens: 1, workingHours: 120 });
    await ticket({ dept: deptA, enterprise: e1.id, category: 'land', channel: 'online', created: '2026-11-04T10:00+08', status: 'paused', paused: '2026-11-05T10:00+08', tier3Due: '2026-11-09T10:00+08' });
    await ticket({ dept: deptB, enterprise: e3.id, category: 'power', channel: 'visit', created: '2026-11-05T10:00+08', status: 'in_progress', tier: 3, tier3Due: '2026-11-10T10:00+08', overdue: '2026-11-10T10:00+08' });
    const t6 = await ticket({ dept: deptB, enterprise: e3.id, category: 'power', channel: 'visit', created: '2026-11-06T10:00+08', status: 'resolved', resolved: '2026-11-06T14:00+08', resolvedTier: 1, tier3Due: '2026-11-11T10:00+08', workingHours: 4 });
    const t7 = await ticket({ dept: deptB, enterprise: e3.id, category: 'power', channel: 'visit', created: '2026-10-31T10:00+08', status: 'closed', resolved: '2026-10-31T12:00+08', resolvedTier: 1, tier3Due: '2026-11-04T10:00+08', workingHours: 0 });
    // T3 was resolved 48 working hours after its last deadline (Fri 06 09:00 to Tue 10 09:00), as the resolve action stores it.
    await db.query(`UPDATE tickets SET overdue_working_ms = $2 WHERE id = $1`, [t3, 48 * 3_600_000]);
    await survey(t1, 1, 'answered', 'satisfied');
    await survey(t2, 1, 'answered', 'basically_satisfied');
    await survey(t3, 1, 'answered', 'unsatisfied');
    await survey(t3, 2, 'no_response');
    await survey(t6, 1, 'sent');
    await survey(t7, 1, 'answered', 'unsatisfied');

    // Pairings around November: E1 active, E2 ended mid-month (still counts), E3 ended on the 1st, E4 starts in December.
    const pairing = (leader: string, enterprise: string, from: string, ended: string | null) =>
      db.query(`INSERT INTO pairings (leader_id, enterprise_id, started_on, ended_on, created_by) VALUES ($1, $2, $3, $4, $1)`, [leader, enterprise, from, ended]);
    await pairing(deputy.id, e1.id, '2026-01-01', null);
    await pairing(deputy.id, e2.id, '2026-01-01', '2026-11-10');
    await pairing(deputy.id, e3.id, '2026-01-01', '2026-11-01');
    await pairing(deputy.id, e4.id, '2026-12-01', null);
    await pairing(otherLeader.id, e3.id, '2026-11-01', null);
    const engagement = async (enterprise: string, at: string) => {
      const [{ id }] = await db.query(`INSERT INTO engagements (type, occurred_at, created_by) VALUES ('visit', $1, $2) RETURNING id`, [at, manager.id]);
      await db.query(`INSERT INTO engagement_enterprises (engagement_id, enterprise_id, occurred_at) VALUES ($1, $2, $3)`, [id, enterprise, at]);
    };
    await engagement(e1.id, '2026-11-30T23:30+08'); // last half hour of the Shanghai month
    await engagement(e2.id, '2026-10-31T23:30+08'); // still October in Shanghai
    await engagement(e3.id, '2026-11-15T10:00+08');
  });

  afterAll(async () => {
    await t?.close();
  });

  const DEPT_A = {
    raised: 4,
    closed: 3,
    closureRate: rate(3, 4),
    closedOnTime: 2,
    onTimeRate: rate(2, 3),
    resolvedAtTier1: 1,
    resolvedAtTier2: 1,
    resolvedAtTier3: 0,
    resolvedAfterDeadline: 1,
    reopened: 1,
    reopenings: 1,
    open: 1,
    overdue: 0,
    everOverdue: 1,
    overdueHours: 48,
    paused: 1,
    medianHoursToResolve: 48,
    surveysSent: 4,
    surveysAnswered: 3,
    responseRate: rate(3, 4),
    satisfied: 1,
    basicallySatisfied: 1,
    unsatisfied: 1,
    noResponse: 1,
    satisfactionRate: rate(2, 3),
    hotline: { responseRate: rate(3, 4), resolutionRate: rate(3, 4), satisfactionRate: rate(2, 3) },
  };

  it('stores the working time to resolve when a ticket is resolved, a make-up Saturday counted', async () => {
    // Outside the November ledger: Fri 11 Sep 12:00 to Mon 14 Sep 12:00, Saturday 12 Sep a working day.
    const [{ id }] = await db.query(
      `INSERT INTO tickets (number, enterprise_id, channel, category, title, department_id, starting_tier, tier, status, created_by, created_at)
       SELECT '2026-900001', enterprise_id, 'online', 'land', 'september demand', department_id, 1, 1, 'in_progress', created_by, '2026-09-11T12:00+08'
       FROM tickets WHERE department_id = $1 LIMIT 1 RETURNING id`,
      [deptA],
    );
    const now = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date('2026-09-14T12:00:00+08:00'));
    try {
      await t.http.post(`/api/v1/tickets/${id}/resolve`).set('Authorization', handlerA.auth).send({ resolution: '已协调' }).expect(200);
    } finally {
      now.mockRestore();
    }
    const [{ resolve_working_ms }] = await db.query(`SELECT resolve_working_ms FROM tickets WHERE id = $1`, [id]);
    expect(Number(resolve_working_ms)).toBe(48 * 3_600_000);
    const { body } = await get('summary?from=2026-09-01&to=2026-10-01', manager).expect(200);
    expect(body.figures).toMatchObject({ raised: 1, medianHoursToResolve: 48, p90HoursToResolve: 48 });
  });

  it('sums up every figure of the period', async () => {
    const { body } = await get(`summary?${RANGE}`, manager).expect(200);
    expect(body).toMatchObject({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z', basicWeight: 1 });
    const { p90HoursToResolve, ...figures } = body.figures;
    expect(figures).toEqual({
      key: null,
      label: null,
      raised: 6,
      closed: 3,
      closureRate: rate(3, 6),
      closedOnTime: 2,
      onTimeRate: rate(2, 3),
      resolvedAtTier1: 2,
      resolvedAtTier2: 1,
      resolvedAtTier3: 0,
      resolvedAfterDeadline: 1,
      reopened: 1,
      reopenings: 1,
      open: 2,
      overdue: 1,
      everOverdue: 2,
      overdueHours: 48,
      paused: 1,
      // Working hours 4, 6, 48, 120: percentile_cont gives (6 + 48) / 2 and 48 + 0.7 × 72.
      medianHoursToResolve: 27,
      surveysSent: 5,
      surveysAnswered: 3,
      responseRate: rate(3, 5),
      satisfied: 1,
      basicallySatisfied: 1,
      unsatisfied: 1,
      noResponse: 1,
      satisfactionRate: rate(2, 3),
      hotline: { responseRate: rate(3, 5), resolutionRate: rate(4, 6), satisfactionRate: rate(2, 3) },
    });
    expect(p90HoursToResolve).toBeCloseTo(98.4, 9);
  });

  it('weighs "basically satisfied" in the hotline satisfaction rate only', async () => {
    const { body } = await get(`summary?${RANGE}&basicWeight=0.9`, manager).expect(200);
    expect(body.basicWeight).toBe(0.9);
    expect(body.figures.hotline.satisfactionRate).toEqual({ numerator: 1.9, denominator: 3, rate: 1.9 / 3 });
    expect(body.figures.satisfactionRate).toEqual(rate(2, 3));
  });

  it('breaks the figures down by department', async () => {
    const { body } = await get(`breakdown?${RANGE}&groupBy=department`, manager).expect(200);
    expect(body.groupBy).toBe('department');
    const groups = body.groups as Record<string, unknown>[];
    expect(groups.map((g) => g.label)).toEqual(['供电公司', '自然资源局']);
    const a = groups.find((g) => g.key === deptA)!;
    expect(a).toMatchObject({ ...DEPT_A, label: '自然资源局' });
    expect(a.p90HoursToResolve).toBeCloseTo(105.6, 9);
    expect(groups.find((g) => g.key === deptB)).toEqual({
      key: deptB,
      label: '供电公司',
      raised: 2,
      closed: 0,
      closureRate: rate(0, 2),
      closedOnTime: 0,
      onTimeRate: rate(0, 0),
      resolvedAtTier1: 1,
      resolvedAtTier2: 0,
      resolvedAtTier3: 0,
      resolvedAfterDeadline: 0,
      reopened: 0,
      reopenings: 0,
      open: 1,
      overdue: 1,
      everOverdue: 1,
      overdueHours: 0,
      paused: 0,
      medianHoursToResolve: 4,
      p90HoursToResolve: 4,
      surveysSent: 1,
      surveysAnswered: 0,
      responseRate: rate(0, 1),
      satisfied: 0,
      basicallySatisfied: 0,
      unsatisfied: 0,
      noResponse: 0,
      satisfactionRate: rate(0, 0),
      hotline: { responseRate: rate(0, 1), resolutionRate: rate(1, 2), satisfactionRate: rate(0, 0) },
    });
  });

  it('groups by Shanghai month of intake', async () => {
    const { body } = await get('breakdown?from=2026-10-01&to=2026-12-01&groupBy=month', manager).expect(200);
    expect(body.groups.map((g: { key: string; raised: number }) => [g.key, g.raised])).toEqual([
      ['2026-10', 1],
      ['2026-11', 6],
    ]);
  });

  it.each([
    ['category', [['land', 4], ['power', 2]]],
    ['channel', [['online', 2], ['visit', 4]]],
    ['enterprise', [['企业E1', 4], ['企业E3', 2]]],
    ['leader', [[null, 6]]],
  ])('groups by %s', async (groupBy, expected) => {
    const { body } = await get(`breakdown?${RANGE}&groupBy=${groupBy}`, manager).expect(200);
    expect(body.groups.map((g: { label: string; raised: number }) => [g.label, g.raised])).toEqual(expected);
  });

  it('defaults to this Shanghai month by the clock', async () => {
    const now = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date('2026-11-30T17:00:00Z')); // 1 Dec in Shanghai
    try {
      const { body } = await get('summary', manager).expect(200);
      expect(body).toMatchObject({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
      expect(body.figures.raised).toBe(0);
      expect(body.figures.closureRate).toEqual(rate(0, 0));
    } finally {
      now.mockRestore();
    }
  });

  it('scopes a department handler to their department, a deputy leader to theirs, and refuses liaison officers', async () => {
    const { body } = await get(`summary?${RANGE}`, handlerA).expect(200);
    const { p90HoursToResolve, ...figures } = body.figures;
    expect(figures).toMatchObject(DEPT_A);
    expect(p90HoursToResolve).toBeCloseTo(105.6, 9);
    const breakdown = await get(`breakdown?${RANGE}&groupBy=department`, handlerA).expect(200);
    expect(breakdown.body.groups.map((g: { key: string }) => g.key)).toEqual([deptA]);
    // The deputy leader's active pairing is with E1 (its E3 pairing ended): T1 to T4, department A's four.
    const deputyView = await get(`summary?${RANGE}`, deputy).expect(200);
    expect(deputyView.body.figures).toMatchObject({ raised: 4, closed: 3, open: 1 });
    for (const path of [`summary?${RANGE}`, `breakdown?${RANGE}&groupBy=category`, 'pairing?month=2026-11']) {
      const res = await get(path, liaison).expect(403);
      expect(res.body.code).toBe('forbidden');
    }
  });

  it('measures pairing coverage of a month per leader', async () => {
    const { body } = await get('pairing?month=2026-11', manager).expect(200);
    const mine = body.leaders.find((l: { leaderId: string }) => l.leaderId === deputy.id);
    expect(mine).toEqual({
      leaderId: deputy.id,
      leaderName: 'deputy',
      paired: 2,
      visited: 1,
      coverage: rate(1, 2),
      notVisited: [{ id: expect.any(String), name: '企业E2' }],
    });
    expect(body.leaders).toHaveLength(2);
    // A deputy leader reads their own line only.
    const own = await get('pairing?month=2026-11', deputy).expect(200);
    expect(own.body.leaders.map((l: { leaderId: string }) => l.leaderId)).toEqual([deputy.id]);
    await get('pairing?month=2026-11', handlerA).expect(403);
  });

  it('documents every statistics route with a summary, a response schema and problem-details errors', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    for (const path of ['summary', 'breakdown', 'pairing']) {
      const operation = doc.paths[`/api/v1/stats/${path}`].get;
      expect(operation.summary).toBeTruthy();
      expect(operation.responses['200'].content['application/json'].schema.$ref).toMatch(/Stats|Pairing/);
      for (const status of ['400', '403']) expect(operation.responses[status].content).toHaveProperty(['application/problem+json']);
    }
  });

  it.each([
    ['summary?from=yesterday', 'from'],
    ['summary?from=2026-11', 'from'],
    ['summary?from=2026-12-01&to=2026-11-01', 'to'],
    ['summary?from=2026-11-01&to=2026-11-01', 'to'],
    ['summary?basicWeight=1.5', 'basicWeight'],
    ['breakdown?groupBy=weather', 'groupBy'],
    ['breakdown', 'groupBy'],
    ['pairing?month=2026-13', 'month'],
    ['pairing', 'month'],
  ])('refuses %s with a 400 naming %s', async (path, field) => {
    const res = await get(path, manager).expect(400).expect('Content-Type', /application\/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
