/**
 * A typed client of the Demand Desk API: `schema.d.ts` is generated from docs/openapi.json by
 * openapi-typescript (`npm run openapi:write`), and openapi-fetch checks every path, parameter,
 * body and answer against it at compile time.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, paths } from './schema';

export type ApiClient = Client<paths>;

/** A client of the API at `baseUrl` (the server's origin), signed in with `token` when given. */
export function createApiClient(baseUrl: string, token?: string): ApiClient {
  return createClient<paths>({ baseUrl, headers: token ? { Authorization: `Bearer ${token}` } : {} });
}
