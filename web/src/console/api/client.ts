import type { Middleware } from 'openapi-fetch';
import { type ApiClient, type components, createApiClient } from '../../../../clients/api';
import { currentToken, setToken } from './session';

export type Ticket = components['schemas']['TicketDto'];
export type TicketEvent = components['schemas']['TicketEventDto'];
export type Problem = components['schemas']['ProblemDetailsDto'] & { currentVersion?: number; currentStatus?: Ticket['status']; retryAfterSeconds?: number };

let onUnauthorized: (() => void) | null = null;

/** What to do when the API says the session is over (the app sends the user to sign-in). */
export function handleUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** Every call carries the token; a 401 on any call but the sign-in ends the session. */
const session: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !request.url.endsWith('/api/v1/auth/login') && request.headers.has('Authorization')) {
      setToken(null);
      onUnauthorized?.();
    }
    return response;
  },
};

/** The console's one client of the API, generated from the OpenAPI document. */
export const api: ApiClient = createApiClient(window.location.origin);
api.use(session);

/** A failed call's problem details, as an Error that TanStack Query carries to the page. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

/** The data of an answer, or an ApiError: `unwrap(await api.GET(...))`. */
export function unwrap<T>(reply: { data?: T; error?: unknown; response: Response }): T {
  if (reply.data !== undefined && reply.response.ok) return reply.data;
  throw new ApiError(reply.response.status, reply.error as Problem | undefined);
}

/** The If-Match value for the version the page holds (the API's strong ETag). */
export const ifMatch = (ticket: Pick<Ticket, 'version'>) => `"${ticket.version}"`;
