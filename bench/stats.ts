/**
 * Statistics at scale: seeds STATS_TICKETS tickets (default 1,000,000) over 2026 with their
 * survey rounds, then, against a separate API process:
 *   - the breakdown endpoint over one quarter, grouped by department, median of STATS_RUNS
 *     calls, beside the same aggregate as plain SQL from a pg client in the same run (the
 *     ratio is the figure: about 1 or below is the target);
 *   - the ledger export of every ticket as CSV, and of the quarter as XLSX: rows per second
 *     and the API process's peak resident memory.
 *
 *   npm run bench:stats                 (STATS_TICKETS=200000 for a quicker run)
 */
import 'reflect-metadata';
import { startAppProcess } from '../test/support/app-process';
import { PASSWORD } from '../test/support/fixtures';
import { CATEGORIES } from '../src/tickets/categories';
import { ENGAGEMENT_TYPES } from '../src/engagements/engagement-types';
import { hashPassword } from '../src/users/users.service';
import { connect, freshBenchDatabase, insertDepartment, insertEnterprises, insertUser, percentile, runWhenMain, uniqueQueuePrefix } from './support';

const TICKETS = Number(process.env.STATS_TICKETS ?? 1_000_000);
const RUNS = Number(process.env.STATS_RUNS ?? 15);
const DEPARTMENTS = 24;
const LEADERS = 40;
const ENTERPRISES = 5000;
const QUARTER = { from: '2026-04-01T00:00:00+08:00', to: '2026-07-01T00:00:00+08:00' };

/**
 * The breakdown by department written by hand, as an analyst would against the tables: the
 * ticket figures and the survey figures, two GROUP BYs run side by side as the service does.
 */
const PLAIN_TICKETS_SQL = `
  SELECT t.department_id, d.name,
    count(*) AS raised,
    count(*) FILTER (WHERE t.status = 'closed') AS closed,
    count(*) FILTER (WHERE t.status = 'closed' AND NOT (t.earlier_overdue OR t.overdue_at IS NOT NULL OR coalesce(t.resolved_at > t.tier3_due_at, false))) AS closed_on_time,
    count(*) FILTER (WHERE t.status IN ('resolved','closed') AND greatest(t.earlier_max_tier, t.tier) = 1 AND NOT (t.earlier_overdue OR t.overdue_at IS NOT NULL OR coalesce(t.resolved_at > t.tier3_due_at, false))) AS tier1,
    count(*) FILTER (WHERE t.status IN ('resolved','closed') AND greatest(t.earlier_max_tier, t.tier) = 2 AND NOT (t.earlier_overdue OR t.overdue_at IS NOT NULL OR coalesce(t.resolved_at > t.tier3_due_at, false))) AS tier2,
    count(*) FILTER (WHERE t.status IN ('resolved','closed') AND greatest(t.earlier_max_tier, t.tier) = 3 AND NOT (t.earlier_overdue OR t.overdue_at IS NOT NULL OR coalesce(t.resolved_at > t.tier3_due_at, false))) AS tier3,
    count(*) FILTER (WHERE t.status IN ('resolved','closed') AND (t.earlier_overdue OR t.overdue_at IS NOT NULL OR coalesce(t.resolved_at > t.tier3_due_at, false))) AS late,
    count(*) FILTER (WHERE t.status IN ('resolved','closed')) AS resolved,
    count(*) FILTER (WHERE t.reopen_count > 0) AS reopened,
    sum(t.reopen_count) AS reopenings,
    count(*) FILTER (WHERE t.status NOT IN ('resolved','closed')) AS open,
    count(*) FILTER (WHERE t.status NOT IN ('resolved','closed') AND t.overdue_at IS NOT NULL) AS overdue,
    count(*) FILTER (WHERE t.earlier_overdue OR t.overdue_at IS NOT NULL OR (t.status IN ('resolved','closed') AND coalesce(t.resolved_at > t.tier3_due_at, false))) AS ever_overdue,
    sum(t.overdue_working_ms) AS overdue_ms,
    count(*) FILTER (WHERE t.status = 'paused') AS paused,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY t.resolve_working_ms) FILTER (WHERE t.status IN ('resolved','closed')) AS median_ms,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY t.resolve_working_ms) FILTER (WHERE t.status IN ('resolved','closed')) AS p90_ms
  FROM tickets t LEFT JOIN departments d ON d.id = t.department_id
  WHERE t.created_at >= $1 AND t.created_at < $2
  GROUP BY 1, 2`;
const PLAIN_SURVEYS_SQL = `
  SELECT t.department_id,
    count(*) FILTER (WHERE s.status <> 'pending') AS sent,
    count(*) FILTER (WHERE s.status = 'answered') AS answered,
    count(*) FILTER (WHERE s.answer = 'satisfied') AS satisfied,
    count(*) FILTER (WHERE s.answer = 'basically_satisfied') AS basic,
    count(*) FILTER (WHERE s.answer = 'unsatisfied') AS unsatisfied,
    count(*) FILTER (WHERE s.status = 'no_response') AS no_response
  FROM surveys s JOIN tickets t ON t.id = s.ticket_id
  WHERE t.created_at >= $1 AND t.created_at < $2
  GROUP BY 1`;

async function seed(databaseUrl: string): Promise<void> {
  const db = await connect(databaseUrl);
  try {
    await insertUser(db, 'manager', 'manager', { passwordHash: await hashPassword(PASSWORD) });
    const creator = await insertUser(db, 'liaison', 'liaison_officer');
    const leaders: string[] = [];
    for (let i = 1; i <= LEADERS; i += 1) leaders.push(await insertUser(db, `leader${i}`, 'deputy_leader'));
    const departments: string[] = [];
    for (let i = 1; i <= DEPARTMENTS; i += 1) {
      departments.push(await insertDepartment(db, `部门${i}`, i <= CATEGORIES.length ? [CATEGORIES[i - 1]] : [], leaders[i % LEADERS]));
    }
    const enterprises = await insertEnterprises(db, ENTERPRISES);
    // Reproducible: the same seed gives the same ledger in every run.
    await db.query('SELECT setseed(0.42)');
    await db.query(
      `INSERT INTO tickets (number, enterprise_id, channel, category, title, description, department_id, paired_leader_id,
                            starting_tier, tier, status, created_by, created_at, tier1_due_at, tier2_due_at, tier3_due_at,
                            overdue_at, resolved_at, resolved_tier, resolve_working_ms, resolution, reopen_count, closed_at,
                            earlier_max_tier, earlier_overdue)
       SELECT 'S-' || lpad(i::text, 7, '0'), ($1::uuid[])[1 + (i % $4)], ($2::text[])[1 + (i % cardinality($2::text[]))],
              ($3::text[])[1 + (i % cardinality($3::text[]))], '企业诉求 ' || i, '需要协调解决的问题',
              ($5::uuid[])[1 + (i % $6)], CASE WHEN i % 3 = 0 THEN NULL ELSE ($7::uuid[])[1 + (i % $8)] END,
              1, x.tier, x.status, $9, x.created, x.created + interval '1 day', x.created + interval '2 days',
              x.created + interval '3 days', CASE WHEN x.late AND x.status NOT IN ('resolved','closed') THEN x.created + interval '3 days' END,
              x.resolved, CASE WHEN x.resolved IS NOT NULL THEN x.tier END,
              CASE WHEN x.resolved IS NOT NULL THEN (extract(epoch FROM x.resolved - x.created) * 1000 * 0.7)::bigint END,
              CASE WHEN x.resolved IS NOT NULL THEN '已办结' END, CASE WHEN i % 17 = 0 THEN 1 ELSE 0 END,
              CASE WHEN x.status = 'closed' THEN x.resolved + interval '2 days' END,
              -- The reopened ones' earlier rounds: at tier 3, half of them overdue.
              CASE WHEN i % 17 = 0 THEN 3 ELSE 0 END, i % 34 = 0
       FROM generate_series(1, $10) AS i,
       LATERAL (
         SELECT created, status, tier, late,
                CASE WHEN status IN ('resolved','closed') THEN created + (r2 * interval '5 days') END AS resolved
         FROM (SELECT timestamptz '2026-01-01 00:00+08' + (i::float8 / $10) * interval '365 days' AS created,
                      CASE WHEN r1 < 0.70 THEN 'closed' WHEN r1 < 0.80 THEN 'resolved' WHEN r1 < 0.85 THEN 'paused'
                           WHEN r1 < 0.93 THEN 'in_progress' ELSE 'assigned' END AS status,
                      1 + floor(r2 * 3)::int AS tier, r2 > 0.6 AS late, r2
               FROM (SELECT random() AS r1, random() AS r2, i AS row_number) r) c
       ) x`,
      [enterprises, ENGAGEMENT_TYPES, CATEGORIES, ENTERPRISES, departments, DEPARTMENTS, leaders, LEADERS, creator, TICKETS],
    );
    await db.query(
      `INSERT INTO surveys (ticket_id, round, status, resolution, resolved_at, resolved_tier, answer, channel, answered_at, sent_at)
       SELECT id, 1, x.status, '已办结', resolved_at, resolved_tier,
              CASE WHEN x.status = 'answered' THEN x.answer END,
              CASE WHEN x.status = 'answered' THEN 'link' END, CASE WHEN x.status = 'answered' THEN resolved_at + interval '1 day' END,
              resolved_at
       FROM tickets, LATERAL (SELECT CASE WHEN r < 0.8 THEN 'answered' WHEN r < 0.9 THEN 'no_response' ELSE 'sent' END AS status,
                       CASE WHEN r < 0.5 THEN 'satisfied' WHEN r < 0.72 THEN 'basically_satisfied' ELSE 'unsatisfied' END AS answer
                FROM (SELECT random() AS r, tickets.id AS ticket) r) x
       WHERE resolved_at IS NOT NULL`,
    );
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.end();
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** Median of `RUNS` timings after one warm-up call. */
async function medianMs(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) times.push((await timed(run)).ms);
  return percentile(times.sort((a, b) => a - b), 50);
}

/** Downloads an export and counts its lines without keeping it. */
async function download(url: string, auth: string): Promise<{ bytes: number; lines: number }> {
  const res = await fetch(url, { headers: { Authorization: auth } });
  if (!res.ok || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 0x0a) lines += 1;
  }
  return { bytes, lines };
}

export async function statsBench(): Promise<Record<string, number | string | boolean>> {
  const databaseUrl = await freshBenchDatabase('demand_desk_bench_stats');
  const seeding = await timed(() => seed(databaseUrl));
  const api = await startAppProcess({ role: 'api', databaseUrl, queuePrefix: uniqueQueuePrefix('stats') });
  const db = await connect(databaseUrl);
  try {
    const login = await fetch(`${api.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'manager', password: PASSWORD }),
    });
    const auth = `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`;
    const breakdownUrl = `${api.baseUrl}/api/v1/stats/breakdown?groupBy=department&from=${encodeURIComponent(QUARTER.from)}&to=${encodeURIComponent(QUARTER.to)}`;

    const breakdown = await fetch(breakdownUrl, { headers: { Authorization: auth } }).then((res) => res.json() as Promise<{ groups: { raised: number }[] }>);
    const second = await connect(databaseUrl);
    const plain = () => Promise.all([db.query(PLAIN_TICKETS_SQL, [QUARTER.from, QUARTER.to]), second.query(PLAIN_SURVEYS_SQL, [QUARTER.from, QUARTER.to])]);
    const [plainTickets] = await plain();
    const raisedByApi = breakdown.groups.reduce((sum, g) => sum + g.raised, 0);
    const raisedBySql = plainTickets.rows.reduce((sum, row) => sum + Number(row.raised), 0);
    if (raisedByApi !== raisedBySql) throw new Error(`The endpoint counted ${raisedByApi} tickets, plain SQL ${raisedBySql}`);

    const endpointMs = await medianMs(() =>
      fetch(breakdownUrl, { headers: { Authorization: auth } }).then(async (res) => {
        if (!res.ok) throw new Error(`breakdown: ${res.status}`);
        return res.json();
      }),
    );
    const sqlMs = await medianMs(plain);
    await second.end();
    const rssBeforeExport = api.peakRssMb();

    const csv = await timed(() => download(`${api.baseUrl}/api/v1/tickets/export?format=csv`, auth));
    const csvRows = csv.value.lines - 1;
    if (csvRows !== TICKETS) throw new Error(`The CSV export held ${csvRows} rows, not ${TICKETS}`);
    const rssAfterCsv = api.peakRssMb();
    const xlsxQuery = `format=xlsx&createdFrom=${encodeURIComponent(QUARTER.from)}&createdTo=${encodeURIComponent(QUARTER.to)}`;
    const xlsx = await timed(() => download(`${api.baseUrl}/api/v1/tickets/export?${xlsxQuery}`, auth));

    return {
      benchmark: 'statistics',
      tickets: TICKETS,
      seedSeconds: Math.round(seeding.ms / 100) / 10,
      quarterTickets: raisedBySql,
      breakdownMedianMs: Math.round(endpointMs * 10) / 10,
      plainSqlMedianMs: Math.round(sqlMs * 10) / 10,
      breakdownToSqlRatio: Math.round((endpointMs / sqlMs) * 100) / 100,
      csvExportRows: csvRows,
      csvExportRowsPerSecond: Math.round(csvRows / (csv.ms / 1000)),
      csvExportMegabytes: Math.round(csv.value.bytes / 1e5) / 10,
      xlsxExportRows: raisedBySql,
      xlsxExportRowsPerSecond: Math.round(raisedBySql / (xlsx.ms / 1000)),
      apiPeakRssMbBeforeExport: Math.round(rssBeforeExport),
      apiPeakRssMbAfterCsv: Math.round(rssAfterCsv),
      apiPeakRssMb: Math.round(api.peakRssMb()),
      target: 'ratio ≈ 1 or below; export memory flat (not growing with rows)',
    };
  } finally {
    await db.end();
    await api.stop();
  }
}

runWhenMain(module, statsBench);
