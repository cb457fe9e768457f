import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type HeaderObject,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
  SwaggerModule,
  getSchemaPath,
} from '@nestjs/swagger';
import { ERROR_CATALOG } from '../common/errors/error-codes';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsDto } from '../common/errors/problem-details';
import { WEBHOOK_PAYLOADS } from '../notifications/webhook-payloads';
import { TICKET_STATUSES } from '../tickets/ticket-status';

export const DOCS_PATH = 'docs';

const TAGS: Record<string, string> = {
  auth: 'Logging in and the caller\'s own account',
  users: 'Staff accounts and roles (admins)',
  departments: 'Departments that handle demands',
  enterprises: 'Enterprises the zone serves, with their contacts',
  pairings: 'Leaders paired with key enterprises (领导包联)',
  engagements: 'Visits and meetings with enterprises, and the demands raised at them',
  tickets: 'Demands (诉求): intake, listing, reading, correcting and the ledger export',
  'ticket lifecycle': 'The actions that move a demand through its statuses; each needs the version read',
  sla: 'The 1-2-3 escalation policies: deadlines per tier and category',
  calendar: 'Working days and holidays the deadlines count',
  surveys: 'Follow-up satisfaction surveys, by link or by phone',
  notifications: 'The caller\'s inbox and its live event stream',
  webhooks: 'Subscriptions of external systems to events, and their deliveries',
  robots: 'WeCom, DingTalk and Feishu group robots: channels, the rules routing events to them, and their deliveries',
  stats: 'Statistics for leaders and managers',
  health: 'Liveness and readiness probes',
  'webhook events': 'What this server POSTs to subscribed URLs (see `webhooks`)',
};

/** Statuses any operation can answer whatever it does: the request's framing, the server's state. */
const GENERIC_ERRORS: Record<number, string> = {
  400: 'Invalid input (each invalid field is listed in `errors`), malformed JSON, or input over a limit',
  401: 'Missing, invalid or expired access token',
  404: 'No such route, or no such resource you may see',
  413: 'The body is over 1 MB',
  415: 'A body that is not application/json',
  429: 'Too many requests: wait `Retry-After` seconds',
  500: 'A bug: reported with a request id',
  503: 'Postgres or Redis is briefly unavailable: retry after `Retry-After` seconds',
};
const METHODS_WITH_BODY = new Set(['post', 'put', 'patch', 'delete']);

const REQUEST_ID_HEADER: HeaderObject = {
  description: 'The id of this request in the server\'s logs (also `requestId` in problem details)',
  schema: { type: 'string' },
};
const RETRY_AFTER_HEADER: HeaderObject = { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } };

export const problemSchemaName = (status: number) => `Problem${status}`;

/**
 * One problem schema per status the catalog uses, its `code` limited to that status's codes:
 * a client can switch on `code` and a validator catches a code sent with the wrong status.
 */
function problemSchemas(): Record<string, SchemaObject> {
  const codesByStatus = new Map<number, string[]>();
  for (const [code, { status }] of Object.entries(ERROR_CATALOG)) {
    codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
  }
  const schemas: Record<string, SchemaObject> = {};
  for (const [status, codes] of codesByStatus) {
    const properties: Record<string, SchemaObject> = { status: { type: 'integer', enum: [status] }, code: { type: 'string', enum: codes } };
    if (status === 409) {
      properties.currentVersion = { type: 'integer', description: 'version_conflict: the version the resource is at now' };
      properties.currentStatus = { type: 'string', enum: [...TICKET_STATUSES], description: 'conflict on a lifecycle action: the status the ticket is in' };
    }
    if (status === 429 || status === 503) {
      properties.retryAfterSeconds = { type: 'integer', description: 'As the Retry-After header' };
    }
    schemas[problemSchemaName(status)] = {
      description: `Problem details of a ${status}`,
      allOf: [{ $ref: getSchemaPath(ProblemDetailsDto) }, { type: 'object', properties }],
    };
  }
  return schemas;
}

const isReference = (value: unknown): value is ReferenceObject => typeof value === 'object' && value !== null && '$ref' in value;

/**
 * Completes every operation from what is true of all routes, so no route has to repeat it and
 * a new route gets it by construction: the error statuses, problem+json bodies, headers,
 * `security: []` on public routes and uuid path ids.
 */
function completeOperation(method: string, operation: OperationObject, context: DocumentFacts): void {
  const { problems, requiredByRef } = context;
  const isPublic = !operation.security || operation.security.length === 0;
  if (isPublic) operation.security = [];

  const seenHeaders = new Set<string>();
  for (const parameter of operation.parameters ?? []) {
    if (isReference(parameter)) continue;
    if (parameter.in === 'header') {
      const name = parameter.name.toLowerCase();
      if (seenHeaders.has(name)) throw new Error(`${operation.operationId} documents header ${parameter.name} twice`);
      seenHeaders.add(name);
    }
    // Every :id is parsed with ParseUUIDPipe: a non-uuid is a 400 before any query.
    if (parameter.in === 'path' && parameter.name === 'id') parameter.schema = { type: 'string', format: 'uuid' };
  }

  for (const [status, description] of Object.entries(GENERIC_ERRORS)) {
    if (status === '401' && isPublic) continue;
    if (status === '415' && !METHODS_WITH_BODY.has(method)) continue;
    operation.responses[status] ??= { description };
  }
  for (const [status, response] of Object.entries(operation.responses) as [string, ResponseObject][]) {
    const code = Number(status);
    response.headers = { 'X-Request-Id': REQUEST_ID_HEADER, ...response.headers };
    if (code < 400) continue;
    if (!problems.has(code)) throw new Error(`${operation.operationId} documents ${status}, which no error code answers`);
    // Whatever a route declared (a DTO, or a file type for the export), errors are problem details.
    response.content = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${problemSchemaName(code)}` } } };
    if (code === 429 || code === 503) response.headers['Retry-After'] = RETRY_AFTER_HEADER;
  }

  // A body whose fields are all optional may be left out.
  const body = operation.requestBody;
  if (body && !isReference(body)) {
    const schema = body.content['application/json']?.schema;
    if (isReference(schema)) body.required = (requiredByRef.get(schema.$ref) ?? 0) > 0;
  }
}

interface DocumentFacts {
  /** The statuses some error code answers with. */
  problems: Set<number>;
  /** How many required properties each component schema has, by its $ref. */
  requiredByRef: Map<string, number>;
}

/**
 * OpenAPI 3.1 is JSON Schema: `nullable` (3.0, what @nestjs/swagger emits) becomes `null` in
 * `type`, and in `enum` when there is one, so a conforming validator accepts the nulls the
 * app sends and generated types say `| null`.
 */
function toJsonSchemaNulls(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(toJsonSchemaNulls);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  if (schema.nullable === true) {
    delete schema.nullable;
    if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  } else if (schema.nullable === false) {
    delete schema.nullable;
  }
  Object.values(schema).forEach(toJsonSchemaNulls);
}

/**
 * A `default` on an optional property is what the server assumes when a new record is created
 * without it; generators (openapi-typescript) read it as "always present" and make the field
 * required in request types, and on a PATCH it would be untrue. Said in words instead.
 */
function describeDefaults(schemas: Record<string, SchemaObject | ReferenceObject>): void {
  for (const schema of Object.values(schemas)) {
    if (isReference(schema)) continue;
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (isReference(property) || property.default === undefined || schema.required?.includes(name)) continue;
      const said = `When omitted on creation: \`${JSON.stringify(property.default)}\`.`;
      property.description = property.description ? `${property.description}. ${said}` : said;
      delete property.default;
    }
  }
}

/** Every event this server POSTs to subscribed URLs, with its signed delivery envelope. */
function webhooks(): NonNullable<OpenAPIObject['webhooks']> {
  const signature = (name: string, description: string, schema: SchemaObject): ParameterObject => ({
    name,
    in: 'header',
    required: true,
    description,
    schema,
  });
  const parameters = [
    signature('X-DemandDesk-Event', 'The event name, as `event` in the body', { type: 'string' }),
    signature('X-DemandDesk-Delivery', 'The delivery id, as `id`: ignore one you already processed (at least once)', { type: 'string', format: 'uuid' }),
    signature('X-DemandDesk-Timestamp', 'Unix seconds at sending: refuse one more than about 5 minutes from your clock', { type: 'string', pattern: '^\\d+$' }),
    signature(
      'X-DemandDesk-Signature',
      '`sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` keyed with the webhook secret: compare in constant time',
      { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
    ),
  ];
  const result: NonNullable<OpenAPIObject['webhooks']> = {};
  for (const [event, { summary, fields }] of Object.entries(WEBHOOK_PAYLOADS)) {
    result[event] = {
      post: {
        operationId: `webhook_${event.replace('.', '_')}`,
        tags: ['webhook events'],
        summary,
        description: `POSTed to every active webhook subscribed to \`${event}\`. Answer 2xx; other answers are retried with backoff (a 4xx other than 408/429 is final).`,
        parameters,
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['id', 'event', 'occurredAt', 'payload'],
                properties: {
                  id: { type: 'string', format: 'uuid', description: 'The delivery id' },
                  event: { type: 'string', enum: [event] },
                  occurredAt: { type: 'string', format: 'date-time' },
                  payload: { type: 'object', properties: fields },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: 'Received: any 2xx will do' },
          '400': { description: 'Refused (a bad signature or an old timestamp): not retried' },
        },
      },
    };
  }
  return result;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Demand Desk API')
    .setDescription(
      'Enterprise-demand ticketing for economic development zones: visits and meetings, demands, ' +
        'the 1-2-3 escalation rule, follow-up surveys and statistics. Errors are RFC 9457 problem details.',
    )
    .setVersion('1')
    .setLicense('UNLICENSED', 'https://docs.npmjs.com/cli/configuring-npm/package-json#license')
    .addServer('/', 'This server (paths carry the /api/v1 prefix)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetailsDto] });
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {});
  Object.assign(schemas, problemSchemas());
  describeDefaults(schemas);
  const facts: DocumentFacts = {
    problems: new Set(Object.values(ERROR_CATALOG).map(({ status }) => status)),
    requiredByRef: new Map(
      Object.entries(schemas).map(([name, schema]) => [getSchemaPath(name), isReference(schema) ? 0 : (schema.required?.length ?? 0)]),
    ),
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(pathItem) as [string, OperationObject][]) {
      completeOperation(method, operation, facts);
    }
  }
  // Only the problem schemas some response uses (405, for one, is answered before routing).
  const used = JSON.stringify(document.paths);
  for (const name of Object.keys(problemSchemas())) {
    if (!used.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
  }
  document.webhooks = webhooks();
  document.tags = Object.entries(TAGS).map(([name, description]) => ({ name, description }));
  toJsonSchemaNulls(document);
  return document;
}

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
  });
}
