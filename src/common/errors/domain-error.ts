import { ERROR_CATALOG, type ErrorCode } from './error-codes';
import { MAX_LISTED_ERRORS } from './problem-details';

export interface FieldError {
  field: string;
  message: string;
}

/** A named failure the caller can act on; mapped to HTTP by `ProblemDetailsFilter`. */
export class DomainError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extras: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(detail ?? ERROR_CATALOG[code].title);
    this.name = 'DomainError';
    this.status = ERROR_CATALOG[code].status;
    this.title = ERROR_CATALOG[code].title;
  }
}

/**
 * `validation_failed` for these fields. The detail joins the messages the answer lists, not
 * all of them: thousands of bad array items would make it megabytes.
 */
export function invalidFields(errors: FieldError[]): DomainError {
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map((e) => e.message);
  const more = errors.length - listed.length;
  return new DomainError('validation_failed', listed.join('; ') + (more > 0 ? `; and ${more} more` : ''), { errors });
}
