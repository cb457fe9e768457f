import type { Role } from '../../../src/users/entities/user.entity';
import { type Actor, validCreditCode } from '../../support/fixtures';
import { type ApiRequest, routeKey, validSamples } from './routes';
import type { World } from './world';

const MANAGERS: readonly Role[] = ['manager', 'admin'];
/** README: liaison officers log engagements and file demands; leaders, managers and admins too. */
const INTAKE: readonly Role[] = ['liaison_officer', 'deputy_leader', 'principal_leader', 'manager', 'admin'];

/**
 * A request-body field that moves a record into or out of someone's scope (the README's "who
 * sees what": followers, departments, deputy leaders, pairings, leaders, roles), and who may set it.
 */
export interface ScopeField {
  /** Whose scope it moves, in words: the reason it is in this table. */
  moves: string;
  /** The roles that may set it; every other role must get a 403 or 404 and change nothing. */
  mayChange: readonly Role[];
  /** Requests that try to set it to a value that would move a record, as `caller`. */
  attempts: (world: World, caller: Actor) => ApiRequest[];
  /** The tables whose rows must be the same after every refused attempt. */
  tables: readonly string[];
}

/** `<route key> <field path>`, e.g. `POST /api/v1/engagements demands[].departmentId`. */
export const fieldKey = (route: string, path: string) => `${route} ${path}`;

interface Changes {
  /** Path parameters in place of the sample's. */
  params?: Record<string, string>;
  /** Other body fields to set, so that the request stays valid (a new username, credit code…). */
  also?: Record<string, unknown>;
}

/** The valid request the other suites send to `route`, with `path` (`a`, `a[].b`) set to `value`. */
function withField(world: World, route: string, path: string, value: unknown, { params, also }: Changes = {}): ApiRequest {
  const sample = validSamples(world).find((s) => routeKey(s.request.method, s.request.route) === route);
  if (!sample) throw new Error(`No valid sample for ${route}`);
  const request = structuredClone(sample.request);
  const body = { ...(request.body as Record<string, unknown> | undefined), ...also };
  const [head, tail] = path.split('[].');
  if (tail) body[head] = (body[head] as Record<string, unknown>[]).map((item) => ({ ...item, [tail]: value }));
  else body[head] = value;
  return { ...request, ...(params ? { params } : {}), body };
}

/** Each value of `values` sent in `path` of `route`, to each of `targets` (path ids) when given. */
const attemptsOf =
  (route: string, path: string, values: (world: World, caller: Actor) => unknown[], targets?: (world: World) => Record<string, string>[]) =>
  (world: World, caller: Actor): ApiRequest[] =>
    values(world, caller).flatMap((value) => (targets?.(world) ?? [undefined]).map((params) => withField(world, route, path, value, { params })));

const ENTERPRISE = 'PATCH /api/v1/enterprises/{id}';
const TICKETS = 'POST /api/v1/tickets';
const ENGAGEMENTS = 'POST /api/v1/engagements';
const intakeAttempt = (route: string, path: string) => attemptsOf(route, path, (world) => [path.includes('department') ? world.ids.departmentId : world.ids.othersEnterpriseId]);

/**
 * Every field of a write route's body named `…Id` or `…Ids`, and every other field that moves
 * scope, classified. The access suite fails when a write route's DTO gains an `…Id(s)` field
 * missing here, so a new one is decided on, not overlooked.
 */
export const SCOPE_FIELDS: Record<string, ScopeField> = {
  // The probe: an officer taking another officer's enterprise (and with it its tickets).
  [fieldKey(ENTERPRISE, 'liaisonOfficerId')]: {
    moves: "the enterprise's tickets and engagements between liaison officers",
    mayChange: MANAGERS,
    // Each enterprise to someone other than its follower: the caller's own, another officer's, nobody's.
    attempts: (world, caller) => {
      const { enterpriseId, othersEnterpriseId, unpairedEnterpriseId, spareUserId } = world.ids;
      const tries: [string, (string | null)[]][] = [
        [enterpriseId, [spareUserId, null]],
        [othersEnterpriseId, [caller.id, null]],
        [unpairedEnterpriseId, [caller.id, spareUserId]],
      ];
      return tries.flatMap(([id, values]) => values.map((value) => withField(world, ENTERPRISE, 'liaisonOfficerId', value, { params: { id } })));
    },
    tables: ['enterprises'],
  },
  // A liaison officer may name themselves when registering one, never someone else.
  [fieldKey('POST /api/v1/enterprises', 'liaisonOfficerId')]: {
    moves: "a new enterprise into another liaison officer's scope",
    mayChange: MANAGERS,
    attempts: (world) => [
      withField(world, 'POST /api/v1/enterprises', 'liaisonOfficerId', world.ids.spareUserId, { also: { creditCode: validCreditCode(778) } }),
    ],
    tables: ['enterprises'],
  },
  [fieldKey('PATCH /api/v1/departments/{id}', 'deputyLeaderId')]: {
    moves: "the department's tickets into or out of a deputy leader's scope",
    mayChange: MANAGERS,
    attempts: attemptsOf('PATCH /api/v1/departments/{id}', 'deputyLeaderId', (_world, caller) => [caller.id, null]),
    tables: ['departments'],
  },
  [fieldKey('POST /api/v1/departments', 'deputyLeaderId')]: {
    moves: "a new department's tickets into a deputy leader's scope",
    mayChange: MANAGERS,
    attempts: attemptsOf('POST /api/v1/departments', 'deputyLeaderId', (_world, caller) => [caller.id]),
    tables: ['departments'],
  },
  [fieldKey('PATCH /api/v1/users/{id}', 'departmentId')]: {
    moves: "a handler into or out of a department's tickets",
    mayChange: ['admin'],
    attempts: attemptsOf('PATCH /api/v1/users/{id}', 'departmentId', (world) => [world.ids.departmentId], (world) => [
      { id: world.ids.spareUserId },
      { id: world.actors.department_handler.id },
    ]),
    tables: ['users'],
  },
  // Not an id, but the role decides the whole scope: no one promotes themselves.
  [fieldKey('PATCH /api/v1/users/{id}', 'role')]: {
    moves: 'a user into the scope of another role (principal leaders see everything)',
    mayChange: ['admin'],
    attempts: (world, caller) => [withField(world, 'PATCH /api/v1/users/{id}', 'role', 'principal_leader', { params: { id: caller.id } })],
    tables: ['users'],
  },
  [fieldKey('POST /api/v1/users', 'departmentId')]: {
    moves: "a new handler into a department's tickets",
    mayChange: ['admin'],
    attempts: (world) => [
      withField(world, 'POST /api/v1/users', 'departmentId', world.ids.departmentId, { also: { username: 'scope.probe', role: 'department_handler' } }),
    ],
    tables: ['users'],
  },
  [fieldKey('POST /api/v1/pairings', 'leaderId')]: {
    moves: "an enterprise's tickets into a leader's scope",
    mayChange: MANAGERS,
    attempts: attemptsOf('POST /api/v1/pairings', 'leaderId', (world, caller) => [caller.id, world.actors.deputy_leader.id]),
    tables: ['pairings'],
  },
  [fieldKey('POST /api/v1/pairings', 'enterpriseId')]: {
    moves: "an enterprise's tickets into a leader's scope",
    mayChange: MANAGERS,
    attempts: attemptsOf('POST /api/v1/pairings', 'enterpriseId', (world) => [world.ids.unpairedEnterpriseId, world.ids.othersEnterpriseId]),
    tables: ['pairings'],
  },
  [fieldKey('POST /api/v1/pairings/{id}/end', 'endedOn')]: {
    moves: "an enterprise's tickets out of its paired leader's scope",
    mayChange: MANAGERS,
    attempts: attemptsOf('POST /api/v1/pairings/{id}/end', 'endedOn', () => ['2026-09-30']),
    tables: ['pairings'],
  },
  // Re-routing moves a demand between departments (and deputy leaders); the paired deputy may too.
  [fieldKey('POST /api/v1/tickets/{id}/route', 'departmentId')]: {
    moves: 'a demand from one department (and its deputy leader) to another',
    mayChange: ['deputy_leader', 'principal_leader', 'manager', 'admin'],
    attempts: attemptsOf('POST /api/v1/tickets/{id}/route', 'departmentId', (world) => [world.ids.departmentId]),
    tables: ['tickets'],
  },
  // Robot rules: which group chat hears about a department's demands (who reads their numbers, enterprises and owners).
  ...Object.fromEntries(
    (['POST /api/v1/robot-rules', 'PATCH /api/v1/robot-rules/{id}'] as const).flatMap((route) =>
      (['channelId', 'departmentId'] as const)
        .filter((field) => !(route.startsWith('PATCH') && field === 'channelId'))
        .map((field): [string, ScopeField] => [
          fieldKey(route, field),
          {
            moves: "a department's ticket notices into a group chat",
            mayChange: MANAGERS,
            attempts: attemptsOf(route, field, (world) => [field === 'channelId' ? world.ids.robotChannelId : world.ids.departmentId]),
            tables: ['robot_rules'],
          },
        ]),
    ),
  ),
  // Intake: naming the enterprise and department of a new demand is what filing it means.
  [fieldKey(TICKETS, 'enterpriseId')]: { moves: "a new demand into the enterprise's officer's and leader's scope", mayChange: INTAKE, attempts: intakeAttempt(TICKETS, 'enterpriseId'), tables: ['tickets'] },
  [fieldKey(TICKETS, 'departmentId')]: { moves: "a new demand into a department's scope", mayChange: INTAKE, attempts: intakeAttempt(TICKETS, 'departmentId'), tables: ['tickets'] },
  [fieldKey(ENGAGEMENTS, 'officialIds')]: {
    moves: "a new engagement into the officials' scope",
    mayChange: INTAKE,
    attempts: attemptsOf(ENGAGEMENTS, 'officialIds', (_world, caller) => [[caller.id]]),
    tables: ['engagements', 'tickets'],
  },
  [fieldKey(ENGAGEMENTS, 'enterpriseIds')]: {
    moves: "a new engagement into the enterprises' officers' and leaders' scope",
    mayChange: INTAKE,
    attempts: attemptsOf(ENGAGEMENTS, 'enterpriseIds', (world) => [[world.ids.othersEnterpriseId]]),
    tables: ['engagements', 'tickets'],
  },
  [fieldKey(ENGAGEMENTS, 'demands[].enterpriseId')]: { moves: 'a new demand, as for POST /tickets', mayChange: INTAKE, attempts: intakeAttempt(ENGAGEMENTS, 'demands[].enterpriseId'), tables: ['engagements', 'tickets'] },
  [fieldKey(ENGAGEMENTS, 'demands[].departmentId')]: { moves: 'a new demand, as for POST /tickets', mayChange: INTAKE, attempts: intakeAttempt(ENGAGEMENTS, 'demands[].departmentId'), tables: ['engagements', 'tickets'] },
};

interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}

/** Every `…Id`/`…Ids` field in the JSON bodies of the document's write routes, as `fieldKey`s. */
export function idFieldsOfWriteRoutes(document: OpenApiDocument): string[] {
  const fields: string[] = [];
  const walk = (route: string, schema: Schema | undefined, prefix: string, seen: Set<string>) => {
    if (!schema) return;
    if (schema.$ref) {
      if (seen.has(schema.$ref)) return;
      walk(route, document.components.schemas[schema.$ref.replace('#/components/schemas/', '')], prefix, new Set([...seen, schema.$ref]));
      return;
    }
    for (const part of schema.allOf ?? []) walk(route, part, prefix, seen);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (/Ids?$/.test(name)) fields.push(fieldKey(route, prefix + name));
      walk(route, property.items ?? property, `${prefix}${name}${property.items ? '[]' : ''}.`, seen);
    }
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
      walk(routeKey(method, path), operation.requestBody?.content?.['application/json']?.schema, '', new Set());
    }
  }
  return fields;
}
