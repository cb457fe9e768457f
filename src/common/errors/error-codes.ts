/**
 * Every error the API can answer with, by code. The one place a code maps to an
 * HTTP status and a title; features throw `DomainError` with a code from here.
 */
export const ERROR_CATALOG = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  input_limit_exceeded: { status: 400, title: 'The request exceeds a limit on nesting, items or length' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_credentials: { status: 401, title: 'Wrong username or password' },
  token_invalid: { status: 401, title: 'The access token is invalid or expired' },
  forbidden: { status: 403, title: 'Not allowed for your role' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  version_conflict: { status: 409, title: 'The resource was changed by someone else' },
  duplicate: { status: 409, title: 'Already exists' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  precondition_required: { status: 428, title: 'A version or If-Match header is required' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  unprocessable: { status: 422, title: 'The request cannot be processed' },
  current_password_wrong: { status: 422, title: 'The current password is wrong' },
  idempotency_key_reused: {
    status: 422,
    title: 'This Idempotency-Key was used with a different request',
  },
  pairing_limit_reached: { status: 422, title: 'The leader already holds the maximum of key enterprises' },
  enterprise_already_paired: { status: 409, title: 'The enterprise already has an active paired leader' },
  survey_token_used: { status: 410, title: 'This survey link was already used' },
  survey_token_expired: { status: 410, title: 'This survey link has expired' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  too_many_streams: { status: 429, title: 'Too many open notification streams' },
  not_ready: { status: 503, title: 'A dependency is not available' },
  service_unavailable: { status: 503, title: 'The service is briefly unavailable; retry shortly' },
  internal_error: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
