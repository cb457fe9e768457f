import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDependencyUnavailable } from './dependency-unavailable';
import { DomainError, FieldError } from './domain-error';
import { ERROR_CATALOG, ErrorCode } from './error-codes';
import { HOSTILE_JSON_TYPE } from '../validation/input-limits';
import { MAX_LISTED_ERRORS, PROBLEM_CONTENT_TYPE, ProblemDetailsDto, problemType } from './problem-details';

const CODE_BY_HTTP_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'route_not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'not_ready',
};

/** How long a client should wait before retrying a request that met an unavailable dependency. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

/** Errors raised by body-parser carry a `type` naming what went wrong. */
const CODE_BY_BODY_PARSER_TYPE: Record<string, ErrorCode> = {
  'entity.parse.failed': 'malformed_json',
  'entity.too.large': 'payload_too_large',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
  'request.aborted': 'validation_failed',
  'request.size.invalid': 'validation_failed',
};

/** Turns anything thrown while serving a request into RFC 9457 problem details. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl?.split('?')[0];
    problem.requestId = request.id as string | undefined;

    if (problem.status >= 500 && problem.code === 'internal_error') {
      this.logger.error({ err: exception, requestId: problem.requestId }, 'Unhandled error');
    }
    if (response.headersSent) return;
    const retryAfter = (problem as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).json(problem);
  }

  private toProblem(exception: unknown): ProblemDetailsDto {
    if (exception instanceof DomainError) {
      const { errors, ...rest } = exception.extras;
      return { ...rest, ...this.base(exception.code, exception.detail), ...this.listed(errors) };
    }
    const hostile = this.hostileJson(exception);
    if (hostile) return { ...this.base('input_limit_exceeded', hostile.message), errors: [hostile] };
    const bodyParserCode = this.bodyParserCode(exception);
    if (bodyParserCode) {
      return this.base(bodyParserCode, bodyParserCode === 'payload_too_large' ? 'The body must be at most 1 MB' : undefined);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_HTTP_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'unprocessable');
      const body = exception.getResponse();
      const message =
        typeof body === 'string' ? body : (body as { message?: unknown }).message ?? exception.message;
      const detail = Array.isArray(message) ? message.join('; ') : String(message);
      return { ...this.base(code, status >= 500 ? undefined : detail), status };
    }
    if (isDependencyUnavailable(exception)) {
      this.logger.warn({ err: exception }, 'A dependency is unavailable');
      const unavailable: ProblemDetailsDto & { retryAfterSeconds: number } = {
        ...this.base('service_unavailable'),
        retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
      };
      return unavailable;
    }
    return this.base('internal_error');
  }

  /** At most MAX_LISTED_ERRORS field errors, saying so when there were more. */
  private listed(errors: FieldError[] | undefined): Pick<ProblemDetailsDto, 'errors' | 'errorsTruncated' | 'errorCount'> {
    if (!errors || errors.length <= MAX_LISTED_ERRORS) return { errors };
    return { errors: errors.slice(0, MAX_LISTED_ERRORS), errorsTruncated: true, errorCount: errors.length };
  }

  /** Express hands body-parser failures over wrapped in an HttpException, the original as `cause`. */
  private bodyParserCode(exception: unknown): ErrorCode | undefined {
    const type = bodyParserFailure(exception)?.type;
    return typeof type === 'string' ? CODE_BY_BODY_PARSER_TYPE[type] : undefined;
  }

  /** The field error of a body refused from its bytes (refuseHostileJson), if this is one. */
  private hostileJson(exception: unknown): FieldError | undefined {
    const failure = bodyParserFailure(exception);
    return failure?.type === HOSTILE_JSON_TYPE ? (failure.fieldError as FieldError) : undefined;
  }

  private base(code: ErrorCode, detail?: string): ProblemDetailsDto & { errors?: FieldError[] } {
    const { status, title } = ERROR_CATALOG[code];
    return { type: problemType(code), title, status, code, detail: detail ?? title };
  }
}

function bodyParserFailure(exception: unknown): { type?: unknown; fieldError?: unknown } | undefined {
  const cause = exception instanceof Error && exception.cause ? exception.cause : exception;
  return (cause ?? undefined) as { type?: unknown; fieldError?: unknown } | undefined;
}
