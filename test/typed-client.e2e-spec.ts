import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiClient, type components, createApiClient } from '../clients/api';
import { contractChecked } from './support/contract';
import { createDepartment, createEnterprise, createUser, PASSWORD } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

type Ticket = components['schemas']['TicketDto'];

/**
 * An integrator's first day, written only against the generated client (no casts): it
 * compiles under --strict because the document types every answer, and runs against the app.
 */
describe('a typed client generated from the OpenAPI document', () => {
  let t: TestApp;
  let baseUrl: string;
  const names = { officer: 'client_officer', handler: 'client_handler', manager: 'client_manager' };

  beforeAll(async () => {
    t = await startTestApp();
    const department = await createDepartment(t, '自然资源局', ['land']);
    await createUser(t, names.officer, 'liaison_officer');
    await createUser(t, names.handler, 'department_handler', department.id);
    await createUser(t, names.manager, 'manager');
    await t.app.listen(0, '127.0.0.1');
    const address: string | AddressInfo | null = t.app.getHttpServer().address();
    if (address === null || typeof address === 'string') throw new Error('not listening on a port');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(() => t?.close());

  async function signIn(username: string): Promise<ApiClient> {
    const { data, error } = await checked(createApiClient(baseUrl)).POST('/api/v1/auth/login', { body: { username, password: PASSWORD } });
    if (!data) throw new Error(`login failed: ${error?.code}`);
    return checked(createApiClient(baseUrl, data.accessToken));
  }

  /** Every answer the client gets is checked against the document too, as t.http's are. */
  function checked(client: ApiClient): ApiClient {
    client.use(contractChecked);
    return client;
  }

  it('logs in, logs an engagement with demands, lists, acts on a ticket with If-Match, and reads statistics', async () => {
    const officer = await signIn(names.officer);
    const enterprise = await createEnterprise(t);

    const logged = await officer.POST('/api/v1/engagements', {
      params: { header: { 'Idempotency-Key': 'client-visit-1' } },
      body: {
        type: 'visit',
        occurredAt: '2026-05-12T10:00:00+08:00',
        enterpriseIds: [enterprise.id],
        demands: [
          { enterpriseId: enterprise.id, category: 'land', title: '二期厂房用地指标' },
          { enterpriseId: enterprise.id, category: 'land', title: '临时堆场用地', startingTier: 2 },
        ],
      },
    });
    expect(logged.response.status).toBe(201);
    if (!logged.data) throw new Error(`engagement refused: ${logged.error?.detail}`);
    expect(logged.data.tickets).toHaveLength(2);
    expect(logged.response.headers.get('Location')).toBe(`/api/v1/engagements/${logged.data.id}`);

    const listed = await officer.GET('/api/v1/tickets', { params: { query: { status: 'assigned', limit: 10 } } });
    if (!listed.data) throw new Error(`list refused: ${listed.error?.detail}`);
    const first: Ticket | undefined = listed.data.items.find((ticket) => ticket.title === '二期厂房用地指标');
    if (!first) throw new Error('the logged demand is not listed');

    const handler = await signIn(names.handler);
    const read = await handler.GET('/api/v1/tickets/{id}', { params: { path: { id: first.id } } });
    const etag = read.response.headers.get('ETag');
    if (!read.data || etag === null) throw new Error('ticket not readable with an ETag');
    expect(etag).toBe(`"${read.data.version}"`);

    // No body at all: every field of the start action is optional.
    const started = await handler.POST('/api/v1/tickets/{id}/start', { params: { path: { id: first.id }, header: { 'If-Match': etag } } });
    if (!started.data) throw new Error(`start refused: ${started.error?.detail}`);
    expect(started.data.status).toBe('in_progress');
    expect(started.response.headers.get('ETag')).toBe(`"${started.data.version}"`);

    const stale = await handler.POST('/api/v1/tickets/{id}/pause', {
      params: { path: { id: first.id }, header: { 'If-Match': etag } },
      body: { reason: '等待企业补充土地权属材料' },
    });
    expect(stale.response.status).toBe(409);
    expect(stale.error?.code).toBe('version_conflict');
    expect(stale.error && 'currentVersion' in stale.error ? stale.error.currentVersion : undefined).toBe(started.data.version);

    const manager = await signIn(names.manager);
    const summary = await manager.GET('/api/v1/stats/summary', { params: { query: { from: '2026-01-01', to: '2027-01-01' } } });
    if (!summary.data) throw new Error(`statistics refused: ${summary.error?.detail}`);
    expect(summary.response.status).toBe(200);
  });
});
