/**
 * Escalation lag: 10,000 tickets whose tier-1 deadline falls within the same minute, handled
 * by one worker process. Prints p50 / p99 / max of (escalated_at - deadline) and whether each
 * ticket escalated exactly once. Target: p99 < 1 s, all within 10 s.
 *
 *   npm run bench:escalation            (TICKETS=2000 for a quicker run)
 */
import 'reflect-metadata';
import { createWorkerContext } from '../src/app.factory';
import { SlaScheduler, type ScheduledEvent } from '../src/sla/sla-scheduler.service';
import { connect, freshBenchDatabase, insertDepartment, insertEnterprises, insertUser, percentile, runWhenMain, sleep, uniqueQueuePrefix } from './support';

const TICKETS = Number(process.env.TICKETS ?? 10_000);
const LEAD_MS = 20_000;
const SPREAD_MS = 60_000;

export async function escalationLag() {
  const databaseUrl = await freshBenchDatabase('demand_desk_bench_sla');
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: uniqueQueuePrefix('sla'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    JWT_SECRET: process.env.JWT_SECRET ?? 'bench-secret-0123456789abcdef0123456789',
    APP_ROLE: 'worker',
  });
  const db = await connect(databaseUrl);
  const deputy = await insertUser(db, 'deputy', 'deputy_leader');
  await insertUser(db, 'principal', 'principal_leader');
  const department = await insertDepartment(db, 'land', ['land'], deputy);
  const liaison = await insertUser(db, 'liaison', 'liaison_officer');
  await insertUser(db, 'handler', 'department_handler', { departmentId: department });
  const [enterprise] = await insertEnterprises(db, 1);

  const app = await createWorkerContext();
  const firstDue = Date.now() + LEAD_MS;
  const snapshot = { policyId: null, mode: 'duration', budgetsMs: [1, 86_400_000, 172_800_000], warnRatio: 0.75, tier2Owner: 'deputy_leader', reminderMs: null };
  // Tier-1 deadlines spread evenly over one minute; warnings already handled, so the next event is the breach.
  const { rows } = await db.query<ScheduledEvent>(
    `INSERT INTO tickets (id, number, enterprise_id, channel, category, title, department_id, starting_tier, tier, status,
                          created_by, sla, clock_started_at, tier1_due_at, tier2_due_at, tier3_due_at, warned_tier,
                          next_event, next_event_at)
     SELECT gen_random_uuid(), 'B-' || lpad(i::text, 7, '0'), $1, 'online', 'land', 'bench ' || i, $2, 1, 1, 'assigned',
            $3, $4::jsonb, now(), d, d + interval '1 day', d + interval '2 days', 1, 'breach', d
       FROM generate_series(1, $5) AS i,
            LATERAL (SELECT to_timestamp(($6 + (i - 1) * $7::float8 / $5) / 1000.0) AS d) due
     RETURNING id, tier, next_event, next_event_at, clock_version`,
    [enterprise, department, liaison, snapshot, TICKETS, firstDue, SPREAD_MS],
  );
  const scheduler = app.get(SlaScheduler);
  const enqueueStarted = Date.now();
  for (let i = 0; i < rows.length; i += 1000) await scheduler.enqueue(rows.slice(i, i + 1000));
  const enqueueMs = Date.now() - enqueueStarted;

  const lastDue = firstDue + SPREAD_MS;
  const deadline = lastDue + 60_000;
  while (Date.now() < deadline) {
    const escalated = Number((await db.query(`SELECT count(*) FROM tickets WHERE tier = 2`)).rows[0].count);
    if (escalated === TICKETS && Date.now() > lastDue) break;
    await sleep(1000);
  }
  const lags = (
    await db.query<{ lag: number }>(`SELECT extract(epoch FROM escalated_at - tier1_due_at) * 1000 AS lag FROM tickets WHERE escalated_at IS NOT NULL ORDER BY 1`)
  ).rows.map((r) => Number(r.lag));
  const [{ events, tickets_twice }] = (
    await db.query(
      `SELECT count(*) AS events, count(*) FILTER (WHERE n > 1) AS tickets_twice
         FROM (SELECT ticket_id, count(*) AS n FROM ticket_events WHERE type = 'escalated' GROUP BY ticket_id) x`,
    )
  ).rows;
  await app.close();
  await db.end();
  return {
    benchmark: 'escalation lag',
    tickets: TICKETS,
    dueWithinMs: SPREAD_MS,
    enqueueMs,
    escalated: lags.length,
    escalatedExactlyOnce: Number(events) === TICKETS && Number(tickets_twice) === 0,
    lagP50Ms: Math.round(percentile(lags, 50)),
    lagP99Ms: Math.round(percentile(lags, 99)),
    lagMaxMs: Math.round(lags[lags.length - 1] ?? NaN),
    target: 'p99 < 1000 ms, all within 10000 ms',
  };
}

runWhenMain(module, escalationLag);
