import type { AddressInfo } from 'node:net';
import type { Role } from '../../../src/users/entities/user.entity';
import { PASSWORD, validCreditCode } from '../../support/fixtures';
import type { TestApp } from '../../support/test-app';
import type { World } from './world';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request as sent: `body` is JSON-encoded unless it is a `RawBody`. */
export interface ApiRequest {
  method: Method;
  /** The path template, e.g. `/api/v1/tickets/{id}`: the route it exercises. */
  route: string;
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A body sent byte for byte, with its own content type. */
export class RawBody {
  constructor(
    readonly text: string,
    readonly contentType = 'application/json',
  ) {}
}

export interface ApiResponse {
  status: number;
  contentType: string;
  body: unknown;
  /** The size of the body as received, in bytes (0 for an event stream). */
  bytes: number;
}

/** `GET /api/v1/tickets/{id}`: how a route is named in the access matrix and in reports. */
export const routeKey = (method: string, route: string) => `${method.toUpperCase()} ${route}`;

/** Routes served outside the OpenAPI document: health is in it, these are not. */
export const UNDOCUMENTED_ROUTES = ['GET /docs', 'GET /docs-json', 'GET /admin/queues'];

/** Every route of the OpenAPI document the app serves, plus the few it leaves out. */
export async function servedRoutes(baseUrl: string): Promise<string[]> {
  const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => routeKey(method, path)));
  return [...documented, ...UNDOCUMENTED_ROUTES];
}

/** Starts the HTTP server on a free local port: fetch can then stream (SSE) and send raw bytes. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Percent-encodes like encodeURIComponent, but sends a lone surrogate as the bytes it would
 * have in WTF-8 instead of throwing (or, as URLSearchParams does, replacing it with U+FFFD).
 */
function percentEncode(value: string): string {
  return value.replace(/[\s\S]/gu, (char) => {
    if (!/\p{Surrogate}/u.test(char)) return encodeURIComponent(char);
    const code = char.charCodeAt(0);
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  });
}

function urlOf(baseUrl: string, request: ApiRequest): string {
  const path = request.route.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = request.params?.[name];
    if (value === undefined) throw new Error(`No value for {${name}} of ${request.route}`);
    return percentEncode(value);
  });
  const search = Object.entries(request.query ?? {})
    .flatMap(([name, value]) => [value].flat().map((one) => `${percentEncode(name)}=${percentEncode(one)}`))
    .join('&');
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

/**
 * Sends one request and reads the answer. An event stream never ends, so only its status
 * and content type are read before the connection is dropped.
 */
export async function send(baseUrl: string, request: ApiRequest, auth?: string): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...request.headers };
  if (auth) headers.authorization = auth;
  let body: string | undefined;
  if (request.body instanceof RawBody) {
    body = request.body.text;
    headers['content-type'] = request.body.contentType;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] = 'application/json';
  }
  const abort = new AbortController();
  const res = await fetch(urlOf(baseUrl, request), { method: request.method, headers, body, signal: abort.signal });
  const contentType = res.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) {
    abort.abort();
    return { status: res.status, contentType, body: undefined, bytes: 0 };
  }
  const text = await res.text();
  const parsed = /json/.test(contentType) && text ? (JSON.parse(text) as unknown) : text;
  return { status: res.status, contentType, body: parsed, bytes: Buffer.byteLength(text) };
}

/** A request the route accepts, and the role that sends it (undefined: no token). */
export interface ValidSample {
  request: ApiRequest;
  as?: Role;
}

const uuid = '00000000-0000-4000-8000-000000000000';

/**
 * One well-formed request per route that takes input, pointed at the seeded world: the
 * starting point the malformed requests are mutated from, and what the access matrix sends.
 */
export function validSamples(world: World): ValidSample[] {
  const { ids, surveyToken } = world;
  const ticket = { id: ids.ticketId };
  const r = (method: Method, route: string, rest: Omit<ApiRequest, 'method' | 'route'> = {}, as: Role | undefined = 'admin'): ValidSample => ({
    request: { method, route, ...rest },
    as,
  });
  return [
    r('GET', '/health/live', {}, undefined),
    r('GET', '/health/ready', {}, undefined),
    r('GET', '/docs', {}, undefined),
    r('GET', '/docs-json', {}, undefined),
    r('GET', '/admin/queues'),
    r('POST', '/api/v1/auth/login', { body: { username: world.actors.admin.username, password: PASSWORD } }, undefined),
    r('GET', '/api/v1/me'),
    // A wrong current password (422): the right one would revoke the caller's token, which the
    // access matrix goes on using, and no mutation of this body can change a password.
    r('POST', '/api/v1/me/password', { body: { currentPassword: 'not-the-password', newPassword: 'a-new-long-password' } }),
    r('GET', '/api/v1/users', { query: { role: 'deputy_leader' } }),
    r('POST', '/api/v1/users', { body: { username: 'new.user', displayName: '新用户', password: 'a-long-initial-password', role: 'liaison_officer', phone: '13800000001' } }),
    r('PATCH', '/api/v1/users/{id}', { params: { id: ids.spareUserId }, body: { displayName: '改名', role: 'liaison_officer', active: true, mobile: '13800000002' } }),
    r('GET', '/api/v1/departments'),
    r('POST', '/api/v1/departments', { body: { name: '水务局', categories: ['water'], deputyLeaderId: world.actors.deputy_leader.id } }),
    r('GET', '/api/v1/departments/{id}', { params: { id: ids.departmentId } }),
    r('PATCH', '/api/v1/departments/{id}', { params: { id: ids.departmentId }, body: { name: '自然资源和规划局', categories: ['land'] } }),
    r('POST', '/api/v1/tickets', {
      headers: { 'Idempotency-Key': 'rel-ticket-0001' },
      body: { enterpriseId: ids.enterpriseId, category: 'land', title: '用地指标', description: '二期厂房', departmentId: ids.departmentId, startingTier: 1, channel: 'online', attachments: [{ name: '图纸.pdf', contentType: 'application/pdf', size: 1024, url: 'https://files.example.test/a.pdf' }] },
    }),
    r('GET', '/api/v1/tickets', {
      query: {
        limit: '10', status: 'assigned', tier: '1', departmentId: ids.departmentId, leaderId: world.actors.deputy_leader.id, enterpriseId: ids.enterpriseId,
        category: 'land', channel: 'online', createdFrom: '2026-01-01', createdTo: '2027-01-01T00:00:00+08:00', resolvedFrom: '2026-01-01', resolvedTo: '2027-01-01', overdue: 'false', q: '道路', sort: '-createdAt',
      },
    }),
    r('GET', '/api/v1/tickets/export', { query: { format: 'csv', status: 'assigned', category: 'land', createdFrom: '2026-01-01' } }),
    r('GET', '/api/v1/tickets/queue', {
      query: { view: 'open', limit: '10', status: 'assigned', tier: '1', departmentId: ids.departmentId, enterpriseId: ids.enterpriseId, category: 'land', q: '道路' },
    }),
    r('GET', '/api/v1/tickets/queue/counts', { query: { status: 'assigned', tier: '1', departmentId: ids.departmentId, enterpriseId: ids.enterpriseId, category: 'land', q: '道路' } }),
    r('GET', '/api/v1/tickets/{id}', { params: ticket }),
    r('PATCH', '/api/v1/tickets/{id}', { params: ticket, headers: { 'If-Match': '"1"' }, body: { title: '厂区道路硬化', description: '约2公里', category: 'land', attachments: [] } }),
    r('GET', '/api/v1/tickets/{id}/timeline', { params: ticket }),
    r('POST', '/api/v1/tickets/{id}/route', { params: ticket, body: { departmentId: ids.departmentId, note: '改派', version: 1 } }),
    r('POST', '/api/v1/tickets/{id}/start', { params: ticket, headers: { 'If-Match': '"1"' }, body: { note: '开始办理' } }),
    r('POST', '/api/v1/tickets/{id}/pause', { params: ticket, body: { reason: '等待企业补充材料', version: 1 } }),
    r('POST', '/api/v1/tickets/{id}/resume', { params: ticket, body: { note: '材料已补' } }),
    r('POST', '/api/v1/tickets/{id}/return', { params: ticket, body: { reason: '不属于本部门' } }),
    r('POST', '/api/v1/tickets/{id}/resolve', { params: ticket, body: { resolution: '已完成道路硬化', attachments: [{ name: '验收单.pdf' }] } }),
    r('POST', '/api/v1/tickets/{id}/extend', { params: ticket, body: { reason: '等待施工窗口', newDeadline: '2099-01-01T18:00:00+08:00' } }, 'principal_leader'),
    r('POST', '/api/v1/engagements', {
      headers: { 'Idempotency-Key': 'rel-engagement-0001' },
      body: {
        type: 'breakfast_meeting', occurredAt: '2026-05-12T08:00:00+08:00', place: '服务中心', officialIds: [world.actors.deputy_leader.id], enterpriseIds: [ids.enterpriseId], notes: '早餐会',
        demands: [{ enterpriseId: ids.enterpriseId, category: 'land', title: '用地', startingTier: 2 }],
      },
    }),
    r('GET', '/api/v1/engagements', { query: { limit: '5', type: 'afternoon_tea', enterpriseId: ids.enterpriseId, from: '2026-01-01', to: '2027-01-01T00:00:00Z' } }),
    r('GET', '/api/v1/engagements/{id}', { params: { id: ids.engagementId } }),
    r('GET', '/api/v1/enterprises', { query: { limit: '5', offset: '0', q: '企业', isKey: 'true', liaisonOfficerId: world.actors.liaison_officer.id } }),
    r('POST', '/api/v1/enterprises', {
      body: { name: '示范煤化工有限公司', creditCode: validCreditCode(777), industry: '煤化工', park: '开发区', isKey: false, contacts: [{ name: '李四', phone: '13900000000' }], liaisonOfficerId: world.actors.liaison_officer.id },
    }),
    r('GET', '/api/v1/enterprises/{id}', { params: { id: ids.enterpriseId } }),
    r('PATCH', '/api/v1/enterprises/{id}', { params: { id: ids.enterpriseId }, body: { industry: '新材料', isKey: true } }),
    r('GET', '/api/v1/pairings', { query: { limit: '5', leaderId: world.actors.deputy_leader.id, enterpriseId: ids.enterpriseId, active: 'true', at: '2026-06-01' } }),
    r('POST', '/api/v1/pairings', { body: { leaderId: world.actors.deputy_leader.id, enterpriseId: ids.unpairedEnterpriseId, startedOn: '2026-03-16' } }),
    r('POST', '/api/v1/pairings/{id}/end', { params: { id: ids.sparePairingId }, body: { endedOn: '2026-09-30', reason: '岗位调整' } }),
    r('GET', '/api/v1/leaders/{id}/enterprises', { params: { id: world.actors.deputy_leader.id } }),
    r('GET', '/api/v1/notifications', { query: { limit: '5', unread: 'true' } }),
    r('GET', '/api/v1/notifications/unread-count'),
    r('GET', '/api/v1/notifications/stream'),
    r('POST', '/api/v1/notifications/read-all'),
    r('POST', '/api/v1/notifications/{id}/read', { params: { id: ids.notificationId } }),
    r('POST', '/api/v1/webhooks', { body: { url: 'https://relay.example.test/hook', events: ['ticket.created'], secret: 'another-secret-0123456789', description: '中继' } }),
    r('GET', '/api/v1/webhooks'),
    r('GET', '/api/v1/webhooks/{id}', { params: { id: ids.webhookId } }),
    r('PATCH', '/api/v1/webhooks/{id}', { params: { id: ids.webhookId }, body: { events: ['ticket.closed', 'ticket.created'], active: true } }),
    r('DELETE', '/api/v1/webhooks/{id}', { params: { id: ids.webhookId } }),
    r('GET', '/api/v1/webhooks/{id}/deliveries', { params: { id: ids.webhookId }, query: { limit: '5', status: 'failed' } }),
    r('POST', '/api/v1/webhooks/deliveries/{id}/redeliver', { params: { id: uuid } }),
    r('POST', '/api/v1/robot-channels', {
      body: { name: '经发局工作群', platform: 'feishu', webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd', secret: 'feishu-secret-0123' },
    }),
    r('GET', '/api/v1/robot-channels'),
    r('GET', '/api/v1/robot-channels/{id}', { params: { id: ids.robotChannelId } }),
    r('PATCH', '/api/v1/robot-channels/{id}', { params: { id: ids.robotChannelId }, body: { name: '分管领导群', secret: 'SECrotated0123456789' } }),
    r('DELETE', '/api/v1/robot-channels/{id}', { params: { id: ids.robotChannelId } }),
    r('GET', '/api/v1/robot-channels/{id}/deliveries', { params: { id: ids.robotChannelId }, query: { limit: '5', status: 'failed' } }),
    r('POST', '/api/v1/robot-rules', {
      body: { channelId: ids.robotChannelId, events: ['ticket.escalated', 'ticket.overdue'], departmentId: ids.departmentId, mentionOwners: true, description: '升级通知' },
    }),
    r('GET', '/api/v1/robot-rules'),
    r('GET', '/api/v1/robot-rules/{id}', { params: { id: ids.robotRuleId } }),
    r('PATCH', '/api/v1/robot-rules/{id}', { params: { id: ids.robotRuleId }, body: { events: ['ticket.warned'], departmentId: ids.departmentId, mentionOwners: false } }),
    r('DELETE', '/api/v1/robot-rules/{id}', { params: { id: ids.robotRuleId } }),
    r('GET', '/api/v1/calendar/{year}', { params: { year: '2026' } }),
    r('PUT', '/api/v1/calendar/{year}', { params: { year: '2031' }, body: { days: [{ date: '2031-10-01', kind: 'holiday', name: '国庆节' }] } }),
    r('POST', '/api/v1/calendar/{year}/import', { params: { year: '2026' } }),
    r('PUT', '/api/v1/calendar/{year}/days/{date}', { params: { year: '2031', date: '2031-10-02' }, body: { kind: 'holiday', name: '国庆节' } }),
    r('DELETE', '/api/v1/calendar/{year}/days/{date}', { params: { year: '2031', date: '2031-10-02' } }),
    r('PATCH', '/api/v1/calendar/{year}/days', { params: { year: '2031' }, body: { from: '2031-10-03', to: '2031-10-07', kind: 'holiday', name: '国庆节' } }),
    r('GET', '/api/v1/calendar/{year}/changes', { params: { year: '2031' }, query: { limit: '5' } }),
    r('PUT', '/api/v1/calendar/settings/working-hours', { body: { start: '00:00', end: '24:00' } }),
    r('GET', '/api/v1/sla-policies'),
    r('POST', '/api/v1/sla-policies', { body: { name: '用气类', category: 'gas', mode: 'working_days', budgets: [1, 2, 3], warnRatio: 0.75, tier2Owner: 'deputy_leader', reminderInterval: null } }),
    r('GET', '/api/v1/sla-policies/{id}', { params: { id: ids.slaPolicyId } }),
    r('PATCH', '/api/v1/sla-policies/{id}', { params: { id: ids.slaPolicyId }, body: { warnRatio: 0.5, tier2Owner: 'paired_leader' } }),
    r('DELETE', '/api/v1/sla-policies/{id}', { params: { id: ids.slaPolicyId } }),
    r('GET', '/api/v1/surveys/{token}', { params: { token: surveyToken } }, undefined),
    r('POST', '/api/v1/surveys/{token}', { params: { token: surveyToken }, body: { answer: 'satisfied', comment: '满意' } }, undefined),
    r('GET', '/api/v1/tickets/{id}/surveys', { params: { id: ids.surveyedTicketId } }),
    r('POST', '/api/v1/tickets/{id}/survey-answer', { params: { id: ids.surveyedTicketId }, body: { answer: 'basically_satisfied', comment: '电话回访' } }),
    // The unresolved ticket (409, no open survey): sending it again must not void the world's survey link.
    r('POST', '/api/v1/tickets/{id}/survey/link', { params: ticket }),
    r('GET', '/api/v1/stats/summary', { query: { from: '2026-01-01', to: '2027-01-01', basicWeight: '0.8' } }),
    r('GET', '/api/v1/stats/breakdown', { query: { from: '2026-01-01', to: '2027-01-01', basicWeight: '1', groupBy: 'department' } }),
    r('GET', '/api/v1/stats/pairing', { query: { month: '2026-05' } }),
  ];
}
