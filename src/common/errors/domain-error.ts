import { ERROR_CATALOG, type ErrorCode } from './error-codes';

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
