/**
 * 我的待办 with 10,000 open tickets (issue 15: "interactive within 1.5 s"). A department
 * handler owns QUEUE_TICKETS open tickets; the console opens at / with the session already in
 * localStorage, in a fresh browser context each run (cold cache), desktop size. Measured in the
 * page from the navigation's start:
 *   - ready: the page root has data-queue-ready="true" and the queue table shows rows (timed at
 *     the next frame, when they are painted);
 *   - then a real click on the 已预警 tab at once: how long it waited for the main thread (its
 *     input delay: the page is interactive only if that is short, not busy with the rows it just
 *     got) and how long until the tab showed as selected (painted). The click lands a few tens
 *     of ms after the ready frame (Playwright polls for it, then asks for the tab's box).
 * Interactive = ready, given a short input delay. Two profiles, QUEUE_RUNS loads each after one
 * warm-up load: no throttling (the target applies to this one: the issue gives only the ticket
 * count) and CPU 4× slower (the survey page's phone CPU), no network throttling in either.
 *
 *   npm run bench:pages                 (with the survey page; QUEUE_RUNS=3 for a quicker run)
 */
import 'reflect-metadata';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../src/users/users.service';
import type { AppProcess } from '../test/support/app-process';
import { PASSWORD } from '../test/support/fixtures';
import { CPU_SLOWDOWN, DESKTOP_CONTEXT, medianAndWorst, round, signIn, type Throttling, throttledPage, withAppAndChromium } from './page-speed';
import { connect, freshBenchDatabase, insertDepartment, insertEnterprises, insertUser, runWhenMain } from './support';

const TICKETS = Number(process.env.QUEUE_TICKETS ?? 10_000);
const RUNS = Number(process.env.QUEUE_RUNS ?? 5);
const ENTERPRISES = 500;
export const QUEUE_INTERACTIVE_TARGET_MS = 1500;
/** The main thread is free when a click waits for it no longer than a long task lasts (50 ms). */
export const TAB_INPUT_DELAY_TARGET_MS = 50;
/** Where the console keeps its session (web/src/console/api/session.ts). */
const SESSION_KEY = 'demand-desk.token';
const TAB = '已预警';

/**
 * Installed before the console's scripts: notes when the queue is ready and painted, and when
 * a clicked tab shows as selected. Plain JavaScript: it runs in the page.
 */
const WATCH_QUEUE = `(() => {
  const afterPaint = (record) => requestAnimationFrame(() => setTimeout(() => record(performance.now())));
  let clickedTab = null;
  const observer = new MutationObserver(() => {
    if (window.__queueReadyAt === undefined && window.__queueReady !== true
        && document.querySelector('[data-queue-ready="true"]')
        && document.querySelector('[data-testid="queue-table"] [data-row-key]')) {
      window.__queueReady = true;
      afterPaint((at) => { window.__queueReadyAt = at; });
    }
    if (clickedTab && window.__tabSelected !== true && clickedTab.getAttribute('aria-selected') === 'true') {
      window.__tabSelected = true;
      afterPaint((at) => { window.__tabAnsweredAt = at; });
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-queue-ready', 'aria-selected'] });
  document.addEventListener('pointerdown', (event) => {
    const tab = event.target instanceof Element ? event.target.closest('[role="tab"]') : null;
    if (tab && !clickedTab) { clickedTab = tab; window.__tabClickedAt = event.timeStamp; window.__tabHandledAt = performance.now(); }
  }, true);
})()`;

/** What WATCH_QUEUE leaves on the page's window, in ms from the navigation's start. */
interface Watched {
  __queueReady?: boolean;
  __queueReadyAt?: number;
  __tabClickedAt?: number;
  /** When the page got to run the click's first listener: the input delay's end. */
  __tabHandledAt?: number;
  __tabAnsweredAt?: number;
}

/** Where the time to ready went, from Resource Timing (ms from the navigation's start). */
const MILESTONES = `(() => {
  const entries = performance.getEntriesByType('resource');
  const scripts = entries.filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'));
  const queue = entries.find((e) => new URL(e.name).pathname === '/api/v1/tickets/queue');
  return {
    scriptsLoaded: Math.max(0, ...scripts.map((e) => e.responseEnd)),
    queueAsked: queue ? queue.requestStart : NaN,
    queueAnswered: queue ? queue.responseEnd : NaN,
  };
})()`;

interface Load {
  readyMs: number;
  tabAnswerMs: number;
  tabInputDelayMs: number;
  scriptsLoadedMs: number;
  queueAskedMs: number;
  queueServerMs: number;
}

/** The handler and QUEUE_TICKETS open tickets at tier 1 that the handler's department holds. */
async function seed(databaseUrl: string): Promise<void> {
  const db = await connect(databaseUrl);
  try {
    const passwordHash = await hashPassword(PASSWORD);
    const deputy = await insertUser(db, 'deputy', 'deputy_leader');
    await insertUser(db, 'officer', 'liaison_officer', { passwordHash });
    const department = await insertDepartment(db, '自然资源局', ['land', 'permits'], deputy);
    await insertUser(db, 'handler', 'department_handler', { departmentId: department, passwordHash });
    await insertEnterprises(db, ENTERPRISES);
  } finally {
    await db.end();
  }
}

/**
 * One demand filed through the API (its SLA snapshot and deadlines as intake writes them), then
 * copied by SQL into TICKETS in all: each its own number, enterprise, category and filing time
 * over the last working days, its tier-1 deadline ahead (a tier-1 ticket past it would have
 * escalated away from the handler), one in ten already warned. The API process runs no worker,
 * so no deadline moves while the page is measured.
 */
async function fileTickets(app: AppProcess, databaseUrl: string): Promise<void> {
  const { client: officer } = await signIn(app, 'officer');
  const db = await connect(databaseUrl);
  try {
    const enterprises = (await db.query<{ id: string }>('SELECT id FROM enterprises ORDER BY credit_code')).rows.map((row) => row.id);
    const filed = await officer.POST('/api/v1/tickets', {
      body: { enterpriseId: enterprises[0], category: 'land', title: '企业诉求 1', description: '需要协调解决的问题', channel: 'online' },
    });
    if (!filed.data) throw new Error(`filing refused: ${filed.error?.detail}`);
    const { rows: columns } = await db.query<{ name: string }>(
      `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'tickets' AND is_generated = 'NEVER' AND column_name <> 'id' ORDER BY ordinal_position`,
    );
    // The template's value for every column but those each copy sets itself.
    const own: Record<string, string> = {
      number: `'Q-' || lpad(i::text, 6, '0')`,
      title: `'企业诉求 ' || i || '：' || (ARRAY['用地指标调整','厂区道路修复','变压器增容','排污许可续期','招工信息发布'])[1 + i % 5]`,
      enterprise_id: `($2::uuid[])[1 + i % cardinality($2::uuid[])]`,
      category: `CASE WHEN i % 4 = 0 THEN 'permits' ELSE 'land' END`,
      status: `CASE WHEN i % 3 = 0 THEN 'in_progress' ELSE t.status END`,
      created_at: `now() - (i % 480) * interval '1 minute'`,
      updated_at: `now() - (i % 480) * interval '1 minute'`,
      clock_started_at: `now() - (i % 480) * interval '1 minute'`,
      tier1_due_at: `x.due`,
      tier2_due_at: `x.due + interval '1 day'`,
      tier3_due_at: `x.due + interval '2 days'`,
      due_at: `x.due`,
      warned_tier: `CASE WHEN x.warned THEN 1 ELSE 0 END`,
      next_event: `CASE WHEN x.warned THEN 'breach' ELSE 'warning' END`,
      next_event_at: `CASE WHEN x.warned THEN x.due ELSE x.due - interval '2 hours' END`,
    };
    const names = columns.map((c) => c.name);
    const missing = Object.keys(own).filter((name) => !names.includes(name));
    if (missing.length > 0) throw new Error(`tickets has no column ${missing.join(', ')}`);
    await db.query(
      `INSERT INTO tickets (${names.join(', ')})
       SELECT ${names.map((name) => own[name] ?? `t.${name}`).join(', ')}
         FROM tickets t, generate_series(2, $3) AS i,
              LATERAL (SELECT i % 10 = 0 AS warned, now() + CASE WHEN i % 10 = 0 THEN interval '1 hour' ELSE interval '3 hours' END + (i % 97) * interval '1 hour' AS due) x
        WHERE t.id = $1`,
      [filed.data.id, enterprises, TICKETS],
    );
    // Each copy's 'created' event, as intake writes one, so a ticket opened from the queue has its timeline.
    await db.query(
      `INSERT INTO ticket_events (ticket_id, actor_id, type, before, after, note, created_at)
       SELECT c.id, e.actor_id, e.type, e.before, e.after, e.note, c.created_at
         FROM ticket_events e JOIN tickets c ON c.id <> e.ticket_id
        WHERE e.ticket_id = $1 AND e.type = 'created'`,
      [filed.data.id],
    );
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.end();
  }
}

async function loadQueue(browser: Browser, app: AppProcess, token: string, throttling: Throttling): Promise<Load> {
  const { context, page } = await throttledPage(browser, throttling, {
    ...DESKTOP_CONTEXT,
    storageState: { cookies: [], origins: [{ origin: app.baseUrl!, localStorage: [{ name: SESSION_KEY, value: token }] }] },
  });
  try {
    await context.addInitScript(WATCH_QUEUE);
    await page.goto(`${app.baseUrl}/`);
    // Predicates as self-contained functions: the console's CSP forbids eval, which a string predicate would need.
    await page.waitForFunction(() => (globalThis as Watched).__queueReady === true, undefined, { timeout: 30_000 });
    if (new URL(page.url()).pathname !== '/') throw new Error(`The console went to ${page.url()}: is the session still kept under ${SESSION_KEY}?`);
    // A real click (pointer events through CDP), at once: no actionability waits in between.
    const box = await page.getByRole('tab', { name: new RegExp(TAB) }).boundingBox();
    if (!box) throw new Error(`No ${TAB} tab on the queue page`);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(
      () => (globalThis as Watched).__queueReadyAt !== undefined && (globalThis as Watched).__tabAnsweredAt !== undefined,
      undefined,
      { timeout: 30_000 },
    );
    const { __queueReadyAt: readyAt, __tabClickedAt: clickedAt, __tabHandledAt: handledAt, __tabAnsweredAt: answeredAt } = await page.evaluate(() => ({
      ...(globalThis as Watched),
    }));
    const milestones = await page.evaluate<{ scriptsLoaded: number; queueAsked: number; queueAnswered: number }>(MILESTONES);
    return {
      readyMs: readyAt!,
      tabAnswerMs: answeredAt! - clickedAt!,
      tabInputDelayMs: handledAt! - clickedAt!,
      scriptsLoadedMs: milestones.scriptsLoaded,
      queueAskedMs: milestones.queueAsked,
      queueServerMs: milestones.queueAnswered - milestones.queueAsked,
    };
  } finally {
    await context.close();
  }
}

async function profile(browser: Browser, app: AppProcess, token: string, throttling: Throttling): Promise<Load[]> {
  // A warm-up load first: the server's first queries (plans, caches) are not what a handler waits for each morning.
  await loadQueue(browser, app, token, throttling);
  const loads: Load[] = [];
  for (let run = 0; run < RUNS; run += 1) loads.push(await loadQueue(browser, app, token, throttling));
  return loads;
}

function summary(loads: Load[]) {
  const ready = medianAndWorst(loads.map((l) => l.readyMs));
  const tab = medianAndWorst(loads.map((l) => l.tabAnswerMs));
  const median = (pick: (load: Load) => number) => round(medianAndWorst(loads.map(pick)).median);
  return {
    readyMedian: round(ready.median),
    readyWorst: round(ready.worst),
    readyEach: loads.map((l) => round(l.readyMs)).join(', '),
    tabMedian: round(tab.median),
    tabWorst: round(tab.worst),
    inputDelayMedian: median((l) => l.tabInputDelayMs),
    inputDelayWorst: round(medianAndWorst(loads.map((l) => l.tabInputDelayMs)).worst),
    // Medians of where the time went: scripts in, the queue asked for and answered.
    breakdown: `scripts loaded ${median((l) => l.scriptsLoadedMs)}, queue asked ${median((l) => l.queueAskedMs)}, answered in ${median((l) => l.queueServerMs)}`,
  };
}

export async function queuePageBench() {
  const databaseUrl = await freshBenchDatabase('demand_desk_bench_queue_page');
  await seed(databaseUrl);
  return withAppAndChromium('api', databaseUrl, async (app, browser) => {
    await fileTickets(app, databaseUrl);
    const { client: handler, token } = await signIn(app, 'handler');
    const counts = await handler.GET('/api/v1/tickets/queue/counts');
    if (counts.data?.open !== TICKETS) throw new Error(`The handler's queue counts ${counts.data?.open} open tickets, not ${TICKETS}`);
    const unthrottled = await profile(browser, app, token, { network: null, cpuSlowdown: 1 });
    const cpu4 = await profile(browser, app, token, { network: null, cpuSlowdown: CPU_SLOWDOWN });
    const [plain, slow] = [summary(unthrottled), summary(cpu4)];
    return {
      benchmark: 'queue page',
      tickets: TICKETS,
      runs: RUNS,
      profiles: `no throttling (target applies), and CPU ${CPU_SLOWDOWN}× slower; no network throttling; 1280×800; one warm-up load each`,
      interactiveMedianMs: plain.readyMedian,
      interactiveWorstMs: plain.readyWorst,
      interactiveEachMs: plain.readyEach,
      tabAnswerMedianMs: plain.tabMedian,
      tabAnswerWorstMs: plain.tabWorst,
      tabInputDelayMedianMs: plain.inputDelayMedian,
      tabInputDelayWorstMs: plain.inputDelayWorst,
      breakdownMs: plain.breakdown,
      cpu4InteractiveMedianMs: slow.readyMedian,
      cpu4InteractiveWorstMs: slow.readyWorst,
      cpu4InteractiveEachMs: slow.readyEach,
      cpu4TabAnswerMedianMs: slow.tabMedian,
      cpu4TabAnswerWorstMs: slow.tabWorst,
      cpu4TabInputDelayMedianMs: slow.inputDelayMedian,
      cpu4TabInputDelayWorstMs: slow.inputDelayWorst,
      cpu4BreakdownMs: slow.breakdown,
      apiPeakRssMb: round(app.peakRssMb()),
    };
  });
}

runWhenMain(module, queuePageBench);
