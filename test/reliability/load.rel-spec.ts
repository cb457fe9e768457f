import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AppProcess, startAppProcess } from '../support/app-process';
import { type ClonedDatabase, cloneTemplateDatabase } from '../support/databases';
import { sleep } from '../support/polling';
import { deleteQueueKeys } from '../support/test-app';
import {
  ApiClient,
  countTickets,
  existingTicketIds,
  type IntakeWorld,
  PLAIN_CATEGORY,
  seedIntakeWorld,
  startIntake,
  summary,
} from './support/load-clients';

const CLIENTS = 200;
/** The suite runs a minute of load; LOAD_SECONDS shortens it for a quick local run. */
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
/** Liaison officers the clients log in as (several clients share one, as colleagues on two devices would). */
const LIAISONS = 50;

describe(`intake under load: ${CLIENTS} concurrent clients for ${LOAD_SECONDS} s`, () => {
  let database: ClonedDatabase;
  let world: IntakeWorld;
  const queuePrefix = `rel_load_${randomBytes(4).toString('hex')}`;
  const processes: AppProcess[] = [];
  let client: ApiClient;

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    world = await seedIntakeWorld(database.url, LIAISONS, { budgets: ['PT1H', 'PT2H', 'PT3H'] });
    const start = (role: 'api' | 'worker') => startAppProcess({ role, databaseUrl: database.url, queuePrefix });
    processes.push(await start('api'), await start('worker'));
    client = new ApiClient(processes[0].baseUrl as string, CLIENTS);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await Promise.all(processes.map((p) => p.stop()));
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  }, 60_000);

  it(
    'answers every request without a 5xx, and every 201 is a ticket row',
    async () => {
      const liaisonAuths = await client.login(world.liaisonUsernames);
      const auths = Array.from({ length: CLIENTS }, (_, i) => liaisonAuths[i % LIAISONS]);
      const intake = startIntake({ client, auths, enterpriseId: world.enterpriseId, category: PLAIN_CATEGORY });
      await sleep(LOAD_SECONDS * 1000);
      const report = await intake.stop();
      process.stdout.write(summary('load', report) + `[load] API peak RSS ${processes[0].peakRssMb().toFixed(0)} MiB\n`);

      const serverErrors = Object.entries(report.statuses).filter(([status]) => Number(status) >= 500 || status === '0');
      expect(serverErrors).toEqual([]);
      expect(report.statuses[201]).toBe(report.requests);
      const acknowledged = new Set(report.acknowledgedIds);
      expect(acknowledged.size).toBe(report.acknowledgedIds.length);
      const rows = await existingTicketIds(database.url, report.acknowledgedIds);
      expect(report.acknowledgedIds.filter((id) => !rows.has(id))).toEqual([]);
      expect(await countTickets(database.url, PLAIN_CATEGORY)).toBe(report.acknowledgedIds.length);
    },
    (LOAD_SECONDS + 120) * 1000,
  );
});
