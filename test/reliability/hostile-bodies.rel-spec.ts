import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AppProcess, startAppProcess } from '../support/app-process';
import { type ClonedDatabase, cloneTemplateDatabase } from '../support/databases';
import { sleep } from '../support/polling';
import { deleteQueueKeys } from '../support/test-app';
import { ApiClient, seedIntakeWorld } from './support/load-clients';
import { hostileBodies, type OpenApiDocument } from './support/malformed';
import { send } from './support/routes';

const MAX_ANSWER_BYTES = 16 * 1024;
const MAX_ANSWER_MS = 1000;
const MAX_RSS_MB = 250;
const MAX_LIVE_MS = 200;
const LIVE_EVERY_MS = 50;

/** Polls /health/live until stopped; the slowest answer (a failure counts as infinitely slow). */
function pollLiveness(baseUrl: string): { stop(): Promise<{ polls: number; slowestMs: number }> } {
  let running = true;
  let polls = 0;
  let slowestMs = 0;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const ok = await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(5000) }).then(
        (res) => res.ok,
        () => false,
      );
      polls += 1;
      slowestMs = Math.max(slowestMs, ok ? Date.now() - started : Infinity);
      await sleep(LIVE_EVERY_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { polls, slowestMs };
    },
  };
}

describe('hostile bodies on every POST/PUT/PATCH route, against the built app as production runs it', () => {
  let database: ClonedDatabase;
  let app: AppProcess;
  let auth: string;
  let startRssMb: number;
  const queuePrefix = `rel_hostile_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    const world = await seedIntakeWorld(database.url, 1, { budgets: ['PT1H', 'PT2H', 'PT3H'] });
    app = await startAppProcess({ role: 'api', databaseUrl: database.url, queuePrefix });
    startRssMb = app.peakRssMb();
    const client = new ApiClient(app.baseUrl as string, 1);
    [auth] = await client.login(world.liaisonUsernames);
    client.close();
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    await deleteQueueKeys(queuePrefix);
  }, 60_000);

  it(
    'answers 100,000-item arrays and 10,000-deep nesting quickly and briefly, with or without a token, staying small and live',
    async () => {
      const baseUrl = app.baseUrl as string;
      const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenApiDocument;
      const requests = hostileBodies(document);
      const liveness = pollLiveness(baseUrl);
      const faults: string[] = [];
      let slowestMs = 0;
      let slowest = '';
      let largestBytes = 0;
      for (const { label, request } of requests) {
        for (const [who, token] of [['with a token', auth], ['without one', undefined]] as const) {
          const started = Date.now();
          const res = await send(baseUrl, request, token).catch((error: Error) => ({ status: 0, bytes: 0, body: error.message }));
          const elapsedMs = Date.now() - started;
          if (elapsedMs > slowestMs) [slowestMs, slowest] = [elapsedMs, `${label} ${who}`];
          largestBytes = Math.max(largestBytes, res.bytes);
          if (res.status === 0 || res.status >= 500 || res.bytes >= MAX_ANSWER_BYTES || elapsedMs > MAX_ANSWER_MS) {
            faults.push(`${label} ${who} → ${res.status} in ${elapsedMs} ms, ${res.bytes} bytes: ${JSON.stringify(res.body).slice(0, 200)}`);
          }
        }
      }
      const live = await liveness.stop();
      const rssMb = app.peakRssMb();
      const routes = new Set(requests.map((r) => `${r.request.method} ${r.request.route}`)).size;
      process.stdout.write(
        `[hostile] ${requests.length * 2} requests over ${routes} routes: slowest ${slowestMs} ms (${slowest}), largest answer ${largestBytes} B; ` +
          `/health/live slowest ${live.slowestMs} ms over ${live.polls} polls; API peak RSS ${rssMb.toFixed(0)} MiB (${startRssMb.toFixed(0)} MiB once started)\n`,
      );

      expect(faults).toEqual([]);
      expect(routes).toBeGreaterThanOrEqual(30);
      expect(live.polls).toBeGreaterThan(0);
      expect(live.slowestMs).toBeLessThan(MAX_LIVE_MS);
      expect(rssMb).toBeLessThan(MAX_RSS_MB);
    },
    180_000,
  );
});
