import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type AppProcess, startAppProcess } from '../support/app-process';
import { cloneTemplateDatabase, migrate, withDatabase } from '../support/databases';
import { sleep } from '../support/polling';
import { deleteQueueKeys } from '../support/test-app';
import {
  ApiClient,
  countTickets,
  DRILL_CATEGORY,
  escalationTallies,
  existingTicketIds,
  type Intake,
  type IntakeReport,
  type IntakeWorld,
  PLAIN_CATEGORY,
  seedIntakeWorld,
  startIntake,
  summary,
  tallyEveryEscalation,
} from './support/load-clients';
import { startThrowawayPostgres, startThrowawayRedis } from './support/servers';

/** Drill tickets go 1 → 2 after 5 s, 2 → 3 after 8 s and overdue after 11 s. */
const DRILL = { budgets: ['PT5S', 'PT8S', 'PT11S'] as [string, string, string] };
const TIER1_MS = 5000;
const SWEEP_MS = 1000;
const APP_ENV = { SLA_SWEEP_EVERY_MS: String(SWEEP_MS) };
const LIAISONS = 10;
const DRILL_TICKETS = 10;

/** One deployment: an API process and a worker process on one database and queue prefix. */
class Deployment {
  readonly queuePrefix = `rel_faults_${randomBytes(4).toString('hex')}`;
  readonly processes: AppProcess[] = [];
  client: ApiClient;
  auths: string[];
  world: IntakeWorld;

  constructor(
    readonly databaseUrl: string,
    readonly redisUrl?: string,
  ) {}

  async start(): Promise<void> {
    this.world = await seedIntakeWorld(this.databaseUrl, LIAISONS, DRILL);
    const api = await this.startProcess('api');
    await this.startProcess('worker');
    this.client = new ApiClient(api.baseUrl as string, 64);
    this.auths = await this.client.login(this.world.liaisonUsernames);
  }

  startProcess(role: 'api' | 'worker'): Promise<AppProcess> {
    const { databaseUrl, redisUrl, queuePrefix } = this;
    const started = startAppProcess({ role, databaseUrl, redisUrl, queuePrefix, env: APP_ENV });
    return started.then((app) => (this.processes.push(app), app));
  }

  /** Intake of plain (working-day) tickets that goes on around a fault. */
  intake(users: number, options: { thinkMs?: number; retryForMs?: number } = {}): Intake {
    const auths = Array.from({ length: users }, (_, i) => this.auths[i % LIAISONS]);
    return startIntake({ client: this.client, auths, enterpriseId: this.world.enterpriseId, category: PLAIN_CATEGORY, ...options });
  }

  /** Drill tickets, each acknowledged (201) within `maxMs`; their ids. */
  async fileDrillTickets(maxMs: number): Promise<string[]> {
    return Promise.all(
      Array.from({ length: DRILL_TICKETS }, async (_, i) => {
        const started = Date.now();
        const reply = await this.client.fileTicket(this.auths[i % LIAISONS], this.world.enterpriseId, DRILL_CATEGORY);
        expect([reply.status, Date.now() - started <= maxMs]).toEqual([201, true]);
        return reply.body?.id as string;
      }),
    );
  }

  async stop(): Promise<void> {
    this.client?.close();
    await Promise.all(this.processes.map((p) => p.kill()));
  }
}

/** After recovery: every acknowledged ticket exists, once, and every drill ticket escalated exactly once per tier. */
async function expectRecovered(deployment: Deployment, report: IntakeReport, drillIds: string[]): Promise<void> {
  const { databaseUrl } = deployment;
  const acknowledged = report.acknowledgedIds;
  expect(new Set(acknowledged).size).toBe(acknowledged.length);
  const rows = await existingTicketIds(databaseUrl, acknowledged);
  expect(acknowledged.filter((id) => !rows.has(id))).toEqual([]);
  // A ticket given up on may have been written before its answer was lost; nothing else is extra.
  const plainRows = await countTickets(databaseUrl, PLAIN_CATEGORY);
  expect(plainRows - acknowledged.length).toBeLessThanOrEqual(report.abandoned);

  const tallies = await tallyEveryEscalation(databaseUrl, drillIds, { seconds: 60, settleMs: 3 * SWEEP_MS });
  expect(Object.fromEntries(tallies)).toEqual(Object.fromEntries(drillIds.map((id) => [id, [1, 1, 1]])));
}

/** What a case started, stopped last-started-first: intake, app processes, then queues, databases, servers. */
class Cleanups {
  private readonly steps: (() => unknown)[] = [];

  push(...steps: (() => unknown)[]): void {
    this.steps.push(...steps);
  }

  /** Every step runs even when one fails (a leaked server would outlive the test); the first failure is rethrown. */
  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw failures[0];
  }
}

const escalatedSoFar = async (databaseUrl: string, ids: string[]) =>
  [...(await escalationTallies(databaseUrl, ids)).values()].reduce((sum, [toTier2]) => sum + toTier2, 0);

describe('faults: after recovery every acknowledged ticket exists and every due escalation fired exactly once, with no manual step', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run(), 60_000);

  it('the worker process SIGKILLed while escalations are due', async () => {
    const database = await cloneTemplateDatabase();
    cleanups.push(() => database.drop());
    const deployment = new Deployment(database.url);
    cleanups.push(() => deleteQueueKeys(deployment.queuePrefix), () => deployment.stop());
    await deployment.start();

    const intake = deployment.intake(10, { thinkMs: 100 });
    cleanups.push(() => intake.stop());
    const drillIds = await deployment.fileDrillTickets(3000);
    const [, firstWorker] = deployment.processes;
    await firstWorker.kill();

    await sleep(TIER1_MS + 2000);
    // Every tier-1 deadline has passed with no worker alive: nothing escalated yet.
    expect(await escalatedSoFar(database.url, drillIds)).toBe(0);
    await deployment.startProcess('worker');
    await sleep(2000);
    const report = await intake.stop();
    process.stdout.write(summary('faults/worker-killed', report));
    expect(report.problems).toEqual({});

    await expectRecovered(deployment, report, drillIds);
  }, 150_000);

  it('Redis restarted empty while escalations are due and intake goes on', async () => {
    const redis = await startThrowawayRedis();
    cleanups.push(() => redis.destroy());
    const database = await cloneTemplateDatabase();
    cleanups.push(() => database.drop());
    const deployment = new Deployment(database.url, redis.url);
    cleanups.push(() => deployment.stop());
    await deployment.start();

    const intake = deployment.intake(10, { thinkMs: 100 });
    cleanups.push(() => intake.stop());
    const filedBefore = await deployment.fileDrillTickets(3000);
    await sleep(1000);
    await redis.kill();
    // Intake never waits on Redis for more than 2 s: these are only in Postgres.
    const filedWhileDown = await deployment.fileDrillTickets(4000);
    await sleep(TIER1_MS);
    await redis.start();
    await sleep(5000);
    const report = await intake.stop();
    process.stdout.write(summary('faults/redis-restarted', report));
    expect(report.problems).toEqual({});

    await expectRecovered(deployment, report, [...filedBefore, ...filedWhileDown]);
  }, 150_000);

  describe('Postgres restarted under load, escalations due across the restart', () => {
    // Its own list: the outer afterEach must not stop this deployment between the checks below.
    const cleanups = new Cleanups();
    let deployment: Deployment;
    let drillIds: string[];
    let report: IntakeReport;
    let acknowledgedAtRestart: number;
    let acknowledgedAfterRecovery: number;

    beforeAll(async () => {
      const postgres = await startThrowawayPostgres();
      cleanups.push(() => postgres.destroy());
      await withDatabase(postgres.url('postgres'), (admin) => admin.query('CREATE DATABASE rel_faults'));
      const databaseUrl = postgres.url('rel_faults');
      migrate(databaseUrl);
      deployment = new Deployment(databaseUrl);
      cleanups.push(() => deleteQueueKeys(deployment.queuePrefix), () => deployment.stop());
      await deployment.start();

      drillIds = await deployment.fileDrillTickets(3000);
      const intake = deployment.intake(50, { retryForMs: 30_000 });
      cleanups.push(() => intake.stop());
      await sleep(2000);
      await postgres.restart(3000);
      acknowledgedAtRestart = intake.report.acknowledgedIds.length;
      await sleep(8000);
      acknowledgedAfterRecovery = intake.report.acknowledgedIds.length;
      report = await intake.stop();
      process.stdout.write(summary('faults/postgres-restarted', report));
    }, 180_000);

    afterAll(() => cleanups.run(), 60_000);

    it('answers 503 service_unavailable problem+json while Postgres is away, never a 500', () => {
      const serverErrors = Object.keys(report.problems).filter((kind) => kind.startsWith('5'));
      expect(serverErrors.filter((kind) => !kind.startsWith('503 service_unavailable application/problem+json'))).toEqual([]);
    });

    it('takes tickets again once Postgres is back, with no manual step', () => {
      expect(acknowledgedAfterRecovery).toBeGreaterThan(acknowledgedAtRestart);
    });

    it('keeps every acknowledged ticket, once, and fires every escalation due across the restart exactly once', async () => {
      await expectRecovered(deployment, report, drillIds);
    }, 90_000);

    it('acknowledges every ticket a client retried with its Idempotency-Key (no key stays "in progress")', () => {
      // While Postgres is away a key can answer "in progress" until its release is retried; the client's retries then get through.
      const transient = ['409 idempotency_in_progress', '503 service_unavailable'];
      expect(Object.keys(report.problems).filter((kind) => !transient.some((allowed) => kind.startsWith(allowed)))).toEqual([]);
      expect(report.abandoned).toBe(0);
    });
  });
});
