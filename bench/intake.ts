/**
 * Intake throughput: POST /api/v1/tickets at 50 concurrent connections against the built API
 * process (a worker process beside it, as deployed), each request a distinct demand with its
 * own Idempotency-Key, for INTAKE_SECONDS. Then the floor, in the same run: the rows one
 * intake leaves behind, written by plain SQL from 50 `pg` clients with the app's three writes.
 * Target: API tickets/s ≥ 0.5 × floor tickets/s, and exactly one ticket per 201.
 *
 *   npm run build && npm run bench:intake        (INTAKE_SECONDS=5 for a quicker run)
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { hashPassword } from '../src/users/users.service';
import { QUEUES } from '../src/common/lifecycle/queues';
import { CATEGORIES, type Category } from '../src/tickets/categories';
import { type AppProcess, startAppProcess } from '../test/support/app-process';
import { until } from '../test/support/polling';
import {
  connect,
  freshBenchDatabase,
  insertDepartment,
  insertEnterprises,
  insertPairings,
  insertUser,
  runWhenMain,
  uniqueQueuePrefix,
} from './support';

const SECONDS = Number(process.env.INTAKE_SECONDS ?? 20);
const CONNECTIONS = 50;
const ENTERPRISES = 200;
const PASSWORD = 'bench-intake-password';
const TICKETS_PATH = '/api/v1/tickets';
const QUIET_TIMEOUT_MS = 30_000;
const TICKET_JOB_ID = /^([0-9a-f-]{36})_t/;

interface IntakeSeed {
  liaisonId: string;
  enterpriseIds: string[];
  /** Owning department per category, and the active paired leader per enterprise, for the floor. */
  ownerOf: Map<Category, string>;
  leaderOf: Map<string, string>;
  defaultPolicyId: string;
}

export async function intakeBench() {
  const databaseUrl = await freshBenchDatabase('demand_desk_bench_intake');
  const seed = await seedIntake(databaseUrl);
  const queuePrefix = uniqueQueuePrefix('intake');
  const worker = await startAppProcess({ role: 'worker', databaseUrl, queuePrefix });
  // Production's log level, so the cost of request logging is measured too.
  const api = await startAppProcess({ role: 'api', databaseUrl, queuePrefix, env: { LOG_LEVEL: 'info' } });
  let load: LoadResult;
  let check: Awaited<ReturnType<typeof checkEveryTicket>>;
  let apiPeakRssMb: number;
  let apiCpuMsPerTicket: number;
  try {
    const token = await login(api);
    const cpuBefore = api.cpuSeconds();
    load = await driveIntake(api, token, seed);
    apiCpuMsPerTicket = ((api.cpuSeconds() - cpuBefore) * 1000) / load.createdIds.size;
    check = await checkEveryTicket(databaseUrl, api, token, load, queuePrefix);
    apiPeakRssMb = api.peakRssMb();
  } finally {
    await api.stop();
    await worker.stop();
  }
  const floorTicketsPerSecond = await intakeFloor(databaseUrl, seed);
  const ratio = load.ticketsPerSecond / floorTicketsPerSecond;
  return {
    benchmark: 'intake',
    seconds: SECONDS,
    connections: CONNECTIONS,
    requests: load.requests,
    ticketsPerSecond: round(load.ticketsPerSecond),
    latencyP50Ms: load.latencyP50Ms,
    latencyP99Ms: load.latencyP99Ms,
    apiCpuMsPerTicket: round(apiCpuMsPerTicket, 2),
    non2xx: load.non2xx,
    errors: load.errors,
    ...check,
    floorTicketsPerSecond: round(floorTicketsPerSecond),
    ratioToFloor: round(ratio, 2),
    apiPeakRssMb: Math.round(apiPeakRssMb),
    target: 'ratioToFloor ≥ 0.5, ticketsInDb = 201s',
    pass: ratio >= 0.5 && check.ticketsMatch201s && check.slaJobsQueued === check.ticketsInDb && load.non2xx === 0,
  };
}

async function seedIntake(databaseUrl: string): Promise<IntakeSeed> {
  const db = await connect(databaseUrl);
  try {
    const principal = await insertUser(db, 'principal', 'principal_leader');
    const deputies = [await insertUser(db, 'deputy_a', 'deputy_leader'), await insertUser(db, 'deputy_b', 'deputy_leader')];
    // Four departments share the thirteen categories, so every demand is routed to an owner.
    const ownerOf = new Map<Category, string>();
    for (let d = 0; d < 4; d++) {
      const categories = CATEGORIES.filter((_, i) => i % 4 === d);
      const department = await insertDepartment(db, `department ${d}`, categories, deputies[d % 2]);
      for (const category of categories) ownerOf.set(category, department);
    }
    const liaisonId = await insertUser(db, 'liaison', 'liaison_officer', { passwordHash: await hashPassword(PASSWORD) });
    const enterpriseIds = await insertEnterprises(db, ENTERPRISES, liaisonId);
    // Half the enterprises have a paired leader, as key enterprises do.
    const leaders = [principal, ...deputies];
    const pairs = enterpriseIds.filter((_, i) => i % 2 === 0).map((enterpriseId, i) => ({ enterpriseId, leaderId: leaders[i % leaders.length] }));
    await insertPairings(db, pairs, principal);
    const [policy] = (await db.query<{ id: string }>(`SELECT id FROM sla_policies WHERE category IS NULL`)).rows;
    return {
      liaisonId,
      enterpriseIds,
      ownerOf,
      leaderOf: new Map(pairs.map((p) => [p.enterpriseId, p.leaderId])),
      defaultPolicyId: policy.id,
    };
  } finally {
    await db.end();
  }
}

async function login(api: AppProcess): Promise<string> {
  const res = await fetch(`${api.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'liaison', password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`Login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** The n-th demand of the run: distinct title, enterprises and categories in rotation. */
function demand(seed: IntakeSeed, n: number) {
  return {
    enterpriseId: seed.enterpriseIds[n % seed.enterpriseIds.length],
    category: CATEGORIES[n % CATEGORIES.length],
    channel: 'online',
    title: `bench demand ${n}`,
    description: `Demand ${n} filed by the intake benchmark: 二期厂房需新增用地约30亩，申请协调用地指标。`,
  };
}

interface LoadResult {
  requests: number;
  ticketsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  /** Ticket ids answered with a 201 during the run. */
  createdIds: Set<string>;
  /** Requests the load generator cut off at the end of the run: Idempotency-Key → body. */
  unanswered: Map<string, string>;
}

async function driveIntake(api: AppProcess, token: string, seed: IntakeSeed): Promise<LoadResult> {
  const createdIds = new Set<string>();
  const unanswered = new Map<string, string>();
  let sent = 0;
  const result = await autocannon({
    url: api.baseUrl as string,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: TICKETS_PATH,
        // Each client keeps its own context: it remembers the key of the request in flight.
        setupRequest: (request, context: { key?: string }) => {
          const key = `bench-intake-${sent}`;
          const body = JSON.stringify(demand(seed, sent));
          sent += 1;
          unanswered.set(key, body);
          context.key = key;
          return {
            ...request,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
            body,
          };
        },
        onResponse: (status, body, context: { key?: string }) => {
          unanswered.delete(context.key as string);
          if (status === 201) createdIds.add((JSON.parse(body) as { id: string }).id);
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    ticketsPerSecond: createdIds.size / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    createdIds,
    unanswered,
  };
}

/**
 * Proves nothing was dropped or doubled. The load generator stops by closing its sockets, so
 * requests in flight then have no answer; like a client on a weak network, the bench retries
 * each with its Idempotency-Key (replayed when the first attempt was done, run when it never
 * arrived). Then every ticket in the database must be one of the 201s, with its timeline
 * event, its SLA clock and its queued SLA job.
 */
async function checkEveryTicket(databaseUrl: string, api: AppProcess, token: string, load: LoadResult, queuePrefix: string) {
  const db = await connect(databaseUrl);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    await until(
      'every Idempotency-Key answered',
      async () => Number((await db.query(`SELECT count(*) FROM idempotency_keys WHERE response_status IS NULL`)).rows[0].count) === 0,
      QUIET_TIMEOUT_MS / 1000,
    );
    const retried = new Set<string>();
    for (const [key, body] of load.unanswered) {
      const res = await fetch(`${api.baseUrl}${TICKETS_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
        body,
      });
      if (res.status !== 201) throw new Error(`Retry of ${key} answered ${res.status}: ${await res.text()}`);
      retried.add(((await res.json()) as { id: string }).id);
    }
    const answered = new Set([...load.createdIds, ...retried]);
    const {
      rows: [tickets],
    } = await db.query<{ total: string; unanswered: string; incomplete: string }>(
      `SELECT count(*) AS total,
              count(*) FILTER (WHERE NOT (id = ANY($1::uuid[]))) AS unanswered,
              count(*) FILTER (WHERE next_event_at IS NULL
                                  OR NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'created')) AS incomplete
         FROM tickets t`,
      [[...answered]],
    );
    const ticketsInDb = Number(tickets.total);
    // SLA jobs are queued after commit, without holding the request: give them a moment.
    const ticketsWithJob = async () => {
      const jobIds = await redis.zrange(`${queuePrefix}:${QUEUES.sla.name}:delayed`, '0', '-1');
      // A ticket's job id starts with the ticket id (SlaScheduler.jobId); the sweeper's own job does not.
      return new Set(jobIds.map((jobId) => TICKET_JOB_ID.exec(jobId)?.[1]).filter(Boolean)).size;
    };
    await until('every ticket\'s SLA job queued', async () => (await ticketsWithJob()) >= ticketsInDb, QUIET_TIMEOUT_MS / 1000).catch(() => undefined);
    const slaJobsQueued = await ticketsWithJob();
    return {
      created201: load.createdIds.size,
      retriedAfterCutoff: load.unanswered.size,
      ticketsInDb,
      ticketsMatch201s: ticketsInDb === answered.size && Number(tickets.unanswered) === 0 && Number(tickets.incomplete) === 0,
      slaJobsQueued,
    };
  } finally {
    redis.disconnect();
    await db.end();
  }
}

/**
 * The same writes as one intake, as plain SQL and as the app makes them, each statement its own
 * transaction: claim the Idempotency-Key; take the next number (its counter row locked until
 * that statement commits) and insert the ticket with its SLA clock and its `created` timeline
 * event; store the response. Returns tickets per second.
 */
async function intakeFloor(databaseUrl: string, seed: IntakeSeed): Promise<number> {
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => connect(databaseUrl)));
  const snapshot = {
    policyId: seed.defaultPolicyId,
    mode: 'working_days',
    budgetsMs: [86_400_000, 172_800_000, 259_200_000],
    warnRatio: 0.75,
    tier2Owner: 'deputy_leader',
    reminderMs: null,
  };
  let next = 0;
  let committed = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = Date.now();
  await Promise.all(
    clients.map(async (db) => {
      while (Date.now() < deadline) {
        const n = next++;
        const key = `bench-floor-${n}`;
        const fields = demand(seed, n);
        const departmentId = seed.ownerOf.get(fields.category) ?? null;
        const pairedLeaderId = seed.leaderOf.get(fields.enterpriseId) ?? null;
        await db.query(`INSERT INTO idempotency_keys (user_id, key, route, request_hash) VALUES ($1, $2, $3, $4)`, [
          seed.liaisonId,
          key,
          `POST ${TICKETS_PATH}`,
          'floor',
        ]);
        const after = { ...fields, attachments: [], engagementId: null, departmentId, pairedLeaderId, startingTier: 1, tier: 1, status: 'assigned' };
        const {
          rows: [ticket],
        } = await db.query<{ id: string; number: string }>(
          `WITH counter AS (
             INSERT INTO ticket_number_counters (year, last_value)
             VALUES (CAST(extract(year FROM now() AT TIME ZONE 'Asia/Shanghai') AS integer), 1)
             ON CONFLICT (year) DO UPDATE SET last_value = ticket_number_counters.last_value + 1
             RETURNING year || '-' || lpad(last_value::text, 6, '0') AS number
           ), ticket AS (
             INSERT INTO tickets (id, number, enterprise_id, channel, category, title, description, department_id, paired_leader_id,
                                  starting_tier, tier, status, created_by, sla, clock_started_at, tier1_due_at, tier2_due_at,
                                  tier3_due_at, due_at, warned_tier, next_event, next_event_at, clock_version)
             VALUES ($1, (SELECT number FROM counter), $2, $3, $4, $5, $6, $7, $8, 1, 1, 'assigned', $9, $10, now(),
                     now() + interval '1 day', now() + interval '2 days', now() + interval '3 days', now() + interval '1 day', 0,
                     'warning', now() + interval '18 hours', 1)
             RETURNING id, number
           ), created_event AS (
             INSERT INTO ticket_events (ticket_id, actor_id, type, before, after)
             VALUES ($1, $9, 'created', NULL, $11::jsonb || jsonb_build_object('number', (SELECT number FROM counter)))
           )
           SELECT id, number FROM ticket`,
          [randomUUID(), fields.enterpriseId, fields.channel, fields.category, fields.title, fields.description, departmentId, pairedLeaderId, seed.liaisonId, snapshot, after],
        );
        await db.query(`UPDATE idempotency_keys SET response_status = 201, response_body = $3 WHERE user_id = $1 AND key = $2`, [
          seed.liaisonId,
          key,
          JSON.stringify({ id: ticket.id, number: ticket.number, ...after }),
        ]);
        committed += 1;
      }
    }),
  );
  const elapsedSeconds = (Date.now() - started) / 1000;
  await Promise.all(clients.map((db) => db.end()));
  return committed / elapsedSeconds;
}

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

runWhenMain(module, intakeBench);
