import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { ROLES, type Role } from '../../src/users/entities/user.entity';
import { actor } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { DataSource } from 'typeorm';
import { listen, routeKey, send, servedRoutes, validSamples, type ValidSample } from './support/routes';
import { idFieldsOfWriteRoutes, type OpenApiDocument, SCOPE_FIELDS } from './support/scope-fields';
import { seedWorld, type World } from './support/world';

/**
 * `admin-realm`: an HTTP Basic realm for admins (the queue dashboard), where any credentials
 * other than an admin's get the 401 challenge again, so a browser prompts for other ones.
 */
type Access = 'public' | 'admin-realm' | readonly Role[];

const EVERYONE = ROLES;
const MANAGERS: readonly Role[] = ['manager', 'admin'];
/** README: liaison officers log engagements and file demands; deputy leaders "all of the above"; the rest everything. */
const INTAKE: readonly Role[] = ['liaison_officer', 'deputy_leader', 'principal_leader', 'manager', 'admin'];
/** README lifecycle: "the owning department, leaders, managers". */
const WORKERS: readonly Role[] = ['department_handler', 'deputy_leader', 'principal_leader', 'manager', 'admin'];
/** README statistics: "liaison officers read no statistics". */
const STATS_READERS: readonly Role[] = ['department_handler', 'deputy_leader', 'principal_leader', 'manager', 'admin'];

/**
 * Who may call what, written from the README ("Users, roles and who sees what", the lifecycle
 * table, the survey loop, statistics), not read off the decorators. Scope (which rows) is
 * SQL's job and shows as a 404, so it is not part of this matrix.
 */
const INTENDED_ACCESS: Record<string, Access> = {
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /docs': 'public',
  'GET /docs-json': 'public',
  'GET /admin/queues': 'admin-realm',
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/me': EVERYONE,
  'POST /api/v1/me/password': EVERYONE,
  // The staff directory: anyone picks officials, leaders and handlers from it.
  'GET /api/v1/users': EVERYONE,
  'POST /api/v1/users': ['admin'],
  'PATCH /api/v1/users/{id}': ['admin'],
  'GET /api/v1/departments': EVERYONE,
  'POST /api/v1/departments': MANAGERS,
  'GET /api/v1/departments/{id}': EVERYONE,
  'PATCH /api/v1/departments/{id}': MANAGERS,
  'POST /api/v1/tickets': INTAKE,
  'GET /api/v1/tickets': EVERYONE,
  // The ledger of the demands one may see (scope applies as in the list).
  'GET /api/v1/tickets/export': EVERYONE,
  // Everyone's own work queue, within their scope.
  'GET /api/v1/tickets/queue': EVERYONE,
  'GET /api/v1/tickets/queue/counts': EVERYONE,
  'GET /api/v1/tickets/{id}': EVERYONE,
  // Correcting a demand one can see: no role restriction, scope and version decide.
  'PATCH /api/v1/tickets/{id}': EVERYONE,
  'GET /api/v1/tickets/{id}/timeline': EVERYONE,
  'POST /api/v1/tickets/{id}/route': ['deputy_leader', 'principal_leader', 'manager', 'admin'],
  'POST /api/v1/tickets/{id}/start': WORKERS,
  'POST /api/v1/tickets/{id}/pause': EVERYONE,
  'POST /api/v1/tickets/{id}/resume': EVERYONE,
  'POST /api/v1/tickets/{id}/return': ['department_handler', 'manager', 'admin'],
  'POST /api/v1/tickets/{id}/resolve': WORKERS,
  // "A leader of the current tier or above": the world's ticket is at tier 1.
  'POST /api/v1/tickets/{id}/extend': ['deputy_leader', 'principal_leader'],
  'POST /api/v1/engagements': INTAKE,
  'GET /api/v1/engagements': EVERYONE,
  'GET /api/v1/engagements/{id}': EVERYONE,
  'GET /api/v1/enterprises': EVERYONE,
  // Liaison officers register and update the enterprises they follow.
  'POST /api/v1/enterprises': ['liaison_officer', 'manager', 'admin'],
  'GET /api/v1/enterprises/{id}': EVERYONE,
  'PATCH /api/v1/enterprises/{id}': ['liaison_officer', 'manager', 'admin'],
  'GET /api/v1/pairings': EVERYONE,
  'POST /api/v1/pairings': MANAGERS,
  'POST /api/v1/pairings/{id}/end': MANAGERS,
  'GET /api/v1/leaders/{id}/enterprises': EVERYONE,
  'GET /api/v1/notifications': EVERYONE,
  'GET /api/v1/notifications/unread-count': EVERYONE,
  'GET /api/v1/notifications/stream': EVERYONE,
  'POST /api/v1/notifications/read-all': EVERYONE,
  'POST /api/v1/notifications/{id}/read': EVERYONE,
  'POST /api/v1/webhooks': MANAGERS,
  'GET /api/v1/webhooks': MANAGERS,
  'GET /api/v1/webhooks/{id}': MANAGERS,
  'PATCH /api/v1/webhooks/{id}': MANAGERS,
  'DELETE /api/v1/webhooks/{id}': MANAGERS,
  'GET /api/v1/webhooks/{id}/deliveries': MANAGERS,
  'POST /api/v1/webhooks/deliveries/{id}/redeliver': MANAGERS,
  'POST /api/v1/robot-channels': MANAGERS,
  'GET /api/v1/robot-channels': MANAGERS,
  'GET /api/v1/robot-channels/{id}': MANAGERS,
  'PATCH /api/v1/robot-channels/{id}': MANAGERS,
  'DELETE /api/v1/robot-channels/{id}': MANAGERS,
  'GET /api/v1/robot-channels/{id}/deliveries': MANAGERS,
  'POST /api/v1/robot-rules': MANAGERS,
  'GET /api/v1/robot-rules': MANAGERS,
  'GET /api/v1/robot-rules/{id}': MANAGERS,
  'PATCH /api/v1/robot-rules/{id}': MANAGERS,
  'DELETE /api/v1/robot-rules/{id}': MANAGERS,
  'GET /api/v1/calendar/{year}': EVERYONE,
  'PUT /api/v1/calendar/{year}': MANAGERS,
  'POST /api/v1/calendar/{year}/import': MANAGERS,
  'PUT /api/v1/calendar/settings/working-hours': MANAGERS,
  'PUT /api/v1/calendar/{year}/days/{date}': MANAGERS,
  'DELETE /api/v1/calendar/{year}/days/{date}': MANAGERS,
  'PATCH /api/v1/calendar/{year}/days': MANAGERS,
  // Who changed which day: read by those who may change them.
  'GET /api/v1/calendar/{year}/changes': MANAGERS,
  'GET /api/v1/sla-policies': EVERYONE,
  'POST /api/v1/sla-policies': MANAGERS,
  'GET /api/v1/sla-policies/{id}': EVERYONE,
  'PATCH /api/v1/sla-policies/{id}': MANAGERS,
  'DELETE /api/v1/sla-policies/{id}': MANAGERS,
  'GET /api/v1/surveys/{token}': 'public',
  'POST /api/v1/surveys/{token}': 'public',
  'GET /api/v1/tickets/{id}/surveys': EVERYONE,
  // "A liaison officer (or manager) records an answer from a follow-up call".
  'POST /api/v1/tickets/{id}/survey-answer': ['liaison_officer', 'manager', 'admin'],
  // Those who relay the survey: the officer who logged it, the paired leader (a deputy or principal leader), managers.
  'POST /api/v1/tickets/{id}/survey/link': ['liaison_officer', 'deputy_leader', 'principal_leader', 'manager', 'admin'],
  'GET /api/v1/stats/summary': STATS_READERS,
  'GET /api/v1/stats/breakdown': STATS_READERS,
  // Pairing coverage is per leader: read by leaders and managers, not by departments.
  'GET /api/v1/stats/pairing': ['deputy_leader', 'principal_leader', 'manager', 'admin'],
};

/**
 * Tokens signed with the app's key that must still open nothing, each for an admin (so a pass
 * would show): a subject that is not a UUID, a survey link's `purpose`, and a token revoked by
 * a password change. To every route they are no token at all.
 */
const REFUSED_TOKENS = ['non-UUID sub', 'purpose claim', 'revoked version'] as const;

type Caller = Role | 'anonymous' | (typeof REFUSED_TOKENS)[number];

/** What a caller must get from a route, as a predicate on the status and its description. */
function expectationFor(access: Access, caller: Caller): { describe: string; holds: (status: number) => boolean } {
  if (access === 'public') return { describe: 'neither 401 nor 403', holds: (s) => s !== 401 && s !== 403 };
  if (access === 'admin-realm') {
    return caller === 'admin' ? { describe: '200', holds: (s) => s === 200 } : { describe: '401', holds: (s) => s === 401 };
  }
  if (!ROLES.includes(caller as Role)) return { describe: '401', holds: (s) => s === 401 };
  if (!access.includes(caller as Role)) return { describe: '403', holds: (s) => s === 403 };
  return { describe: 'neither 401 nor 403', holds: (s) => s !== 401 && s !== 403 };
}

describe('access matrix: every route × every role, no token and refused tokens', () => {
  let t: TestApp;
  let world: World;
  let baseUrl: string;
  let samples: ValidSample[];
  let refused: Record<(typeof REFUSED_TOKENS)[number], string>;

  beforeAll(async () => {
    t = await startTestApp();
    world = await seedWorld(t);
    baseUrl = await listen(t);
    samples = validSamples(world);
    const jwt = t.app.get(JwtService);
    const admin = world.actors.admin;
    const revoked = await actor(t, 'revoked.admin', 'admin');
    await t.http.patch(`/api/v1/users/${revoked.id}`).set('Authorization', admin.auth).send({ password: 'another-long-password' }).expect(200);
    refused = {
      'non-UUID sub': `Bearer ${await jwt.signAsync({ sub: 'admin', role: 'admin', ver: 0 })}`,
      'purpose claim': `Bearer ${await jwt.signAsync({ sub: admin.id, role: 'admin', ver: 0, purpose: 'survey' })}`,
      'revoked version': revoked.auth,
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists exactly the routes the app serves: none missing, none stale', async () => {
    const served = (await servedRoutes(baseUrl)).sort();
    expect(Object.keys(INTENDED_ACCESS).sort()).toEqual(served);
    // The requests the matrix is checked with cover the same routes, once each.
    expect(samples.map((s) => routeKey(s.request.method, s.request.route)).sort()).toEqual(served);
  });

  it('answers 401 without a token or with a refused one, 403 to a role not allowed, and lets allowed roles through, never with a 5xx', async () => {
    const callers: Caller[] = ['anonymous', ...REFUSED_TOKENS, ...ROLES];
    const violations: string[] = [];
    let checked = 0;
    for (const { request } of samples) {
      const key = routeKey(request.method, request.route);
      const access = INTENDED_ACCESS[key];
      for (const caller of callers) {
        const auth = caller === 'anonymous' ? undefined : caller in refused ? refused[caller as keyof typeof refused] : world.actors[caller as Role].auth;
        const res = await send(baseUrl, request, auth);
        const expected = expectationFor(access, caller);
        checked += 1;
        if (!expected.holds(res.status) || res.status >= 500) {
          violations.push(`${key} as ${caller}: ${res.status}, expected ${expected.describe} (${JSON.stringify(res.body).slice(0, 160)})`);
        }
        if (request.route.startsWith('/api/') && (res.status === 401 || res.status === 403)) {
          expect(res.contentType).toMatch(/^application\/problem\+json/);
          expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), title: expect.any(String) });
        }
      }
    }
    expect(violations).toEqual([]);
    expect(checked).toBe(samples.length * callers.length);
    // About 700 requests, one at a time: room for a busy machine.
  }, 180_000);

  it('classifies every …Id(s) field of every write route body in the scope-field table, and nothing stale', async () => {
    const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenApiDocument;
    const idFields = idFieldsOfWriteRoutes(document);
    expect(idFields.length).toBeGreaterThan(0);
    const unclassified = idFields.filter((field) => !(field in SCOPE_FIELDS));
    expect(unclassified).toEqual([]);
    // A listed route must be served, and a listed …Id(s) field must still be in its body.
    const served = new Set(await servedRoutes(baseUrl));
    const stale = Object.keys(SCOPE_FIELDS).filter(
      (field) => !served.has(field.split(' ').slice(0, 2).join(' ')) || (/Ids?$/.test(field) && !idFields.includes(field)),
    );
    expect(stale).toEqual([]);
  });

  it('refuses each scope-moving field to every role that may not set it (403 or 404) and changes no row', async () => {
    const db = t.app.get(DataSource);
    const rows = async (tables: readonly string[]) =>
      Promise.all(tables.map((table) => db.query(`SELECT to_jsonb(r) AS row FROM ${table} r ORDER BY r.id`)));
    const violations: string[] = [];
    const untried: string[] = [];
    for (const [field, { mayChange, attempts: attemptsAs, tables }] of Object.entries(SCOPE_FIELDS)) {
      let attempts = 0;
      for (const role of ROLES.filter((r) => !mayChange.includes(r))) {
        for (const request of attemptsAs(world, world.actors[role])) {
          const before = await rows(tables);
          const res = await send(baseUrl, request, world.actors[role].auth);
          attempts += 1;
          if (res.status !== 403 && res.status !== 404) {
            violations.push(`${field} as ${role} (${JSON.stringify(request.params ?? {})} ${JSON.stringify(request.body)}): ${res.status}`);
          }
          if (JSON.stringify(await rows(tables)) !== JSON.stringify(before)) violations.push(`${field} as ${role}: ${tables.join(', ')} changed`);
        }
      }
      if (attempts === 0) untried.push(field);
    }
    expect(violations).toEqual([]);
    expect(untried).toEqual([]);
  });
});
