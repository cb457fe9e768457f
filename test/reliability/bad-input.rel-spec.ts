import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app';
import { malformedRequests, type OpenApiDocument, schemeCaseRequests } from './support/malformed';
import { type ApiResponse, listen, send, validSamples } from './support/routes';
import { seedWorld, type World } from './support/world';

/** Requests in flight at once: enough to be quick, few enough for a shared 2-core machine. */
const CONCURRENCY = 4;

/** Per table, its row count and a digest of every row: equal before and after means nothing was written. */
async function tableStates(db: DataSource): Promise<Record<string, string>> {
  const tables: { name: string }[] = await db.query(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY table_name`,
  );
  const states: Record<string, string> = {};
  for (const { name } of tables) {
    const [{ n, digest }] = await db.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`,
    );
    states[name] = `${n} rows, ${digest}`;
  }
  return states;
}

/** What is wrong with an error body, if anything: RFC 9457 problem details with our fields. */
function problemShapeFault(res: ApiResponse): string | undefined {
  if (!res.contentType.startsWith('application/problem+json')) return `content type ${res.contentType}`;
  const body = res.body as Record<string, unknown>;
  const faults = [
    typeof body.type === 'string' && body.type.startsWith('urn:demand-desk:error:') ? null : 'type',
    typeof body.title === 'string' ? null : 'title',
    body.status === res.status ? null : 'status',
    typeof body.code === 'string' && body.type === `urn:demand-desk:error:${body.code}` ? null : 'code',
    typeof body.detail === 'string' ? null : 'detail',
    typeof body.requestId === 'string' ? null : 'requestId',
    body.errors === undefined ||
    (Array.isArray(body.errors) && body.errors.every((e: { field?: unknown; message?: unknown }) => typeof e.field === 'string' && typeof e.message === 'string'))
      ? null
      : 'errors',
  ].filter(Boolean);
  return faults.length ? `bad ${faults.join(', ')}` : undefined;
}

describe('malformed input: generated one fault at a time, every one refused', () => {
  let t: TestApp;
  let world: World;
  let baseUrl: string;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    world = await seedWorld(t);
    baseUrl = await listen(t);
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses each with a problem-details 4xx, never a 5xx, and writes nothing', async () => {
    const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenApiDocument;
    const requests = malformedRequests(validSamples(world), document);
    const before = await tableStates(db);

    const faults: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const { label, request, as } = requests[next++];
        const res = await send(baseUrl, request, as ? world.actors[as].auth : undefined);
        const fault = res.status < 400 || res.status >= 500 ? `status ${res.status}` : problemShapeFault(res);
        if (fault) faults.push(`${label} → ${fault}: ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.warn(`bad-input: sent ${requests.length} malformed requests over ${new Set(requests.map((r) => `${r.request.method} ${r.request.route}`)).size} routes`);

    expect(faults).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(1000);
    expect(await tableStates(db)).toEqual(before);
    // Some 3,000 requests: about a minute alone, longer while the machine is shared.
  }, 300_000);

  it('takes URL schemes in any case (HTTP://, Https://) without a 5xx', async () => {
    const requests = schemeCaseRequests(validSamples(world));
    const faults: string[] = [];
    for (const { label, request, as } of requests) {
      const res = await send(baseUrl, request, as ? world.actors[as].auth : undefined);
      if (res.status >= 500) faults.push(`${label} → ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(faults).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(8);
  });
});
