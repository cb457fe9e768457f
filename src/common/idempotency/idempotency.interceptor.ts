import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  type Type,
  UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiCreatedResponse, ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { catchError, from, map, mergeMap, type Observable, of, throwError } from 'rxjs';
import type { AuthUser } from '../../auth/current-user';
import { DomainError } from '../errors/domain-error';
import { ApiProblem } from '../errors/problem-details';
import { requestHash } from './canonical-json';
import type { ClaimedRequest } from './creation-ids';
import { IDEMPOTENCY_RETENTION_HOURS, IdempotencyService } from './idempotency.service';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Set on a response replayed from an earlier request with the same key. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * Makes a POST safe to retry from a weak network: with an `Idempotency-Key` header the first
 * response is stored and any retry with the same key and body gets it back instead of
 * running the handler again. Requests without the header run as usual.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const key = request.header(IDEMPOTENCY_HEADER);
    if (key === undefined || !request.user) return next.handle();
    if (!KEY_PATTERN.test(key)) {
      const message = `${IDEMPOTENCY_HEADER} must be 1 to 200 visible ASCII characters`;
      throw new DomainError('validation_failed', message, { errors: [{ field: IDEMPOTENCY_HEADER, message }] });
    }

    const scope = { userId: request.user.id, key };
    const hash = requestHash(request.body);
    const first = await this.idempotency.claim({ ...scope, route: `${request.method} ${request.originalUrl.split('?')[0]}`, requestHash: hash });
    if (first) {
      context.switchToHttp().getResponse<Response>().status(first.status).setHeader(REPLAYED_HEADER, 'true');
      return of(first.body);
    }
    // For the handler's CreationIds.
    (request as ClaimedRequest).idempotency = { ...scope, requestHash: hash };

    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? 201 : 200);
    return next.handle().pipe(
      // Only a failed handler frees the key: once the work is done a retry must never redo it.
      catchError((error: unknown) => from(this.idempotency.release(scope)).pipe(mergeMap(() => throwError(() => error)))),
      mergeMap(async (body: unknown) => {
        await this.idempotency.complete(scope, { status, body });
        return body;
      }),
    );
  }
}

/** Sets `Location` (the collection's URL and the created id) on every created answer. */
@Injectable()
class LocationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    return next.handle().pipe(
      map((body: unknown) => {
        const id = (body as { id?: unknown } | null)?.id;
        if (typeof id === 'string') http.getResponse<Response>().setHeader('Location', `${http.getRequest<Request>().originalUrl.split('?')[0]}/${id}`);
        return body;
      }),
    );
  }
}

/**
 * A create (`POST` answering 201 with `type`, which has an `id`) that honours `Idempotency-Key`:
 * documents the header, the 201 with `Location` and `Idempotent-Replayed`, and the key's refusals.
 */
export const IdempotentCreate = (type: Type<unknown>) =>
  applyDecorators(
    // Location outermost, so a replayed answer carries it too.
    UseInterceptors(LocationInterceptor, IdempotencyInterceptor),
    ApiCreatedResponse({
      type,
      headers: {
        Location: { description: 'The URL of the created resource', schema: { type: 'string' } },
        [REPLAYED_HEADER]: {
          description: 'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key',
          schema: { type: 'string', enum: ['true'] },
        },
      },
    }),
    ApiHeader({
      name: IDEMPOTENCY_HEADER,
      required: false,
      description:
        `Any unique string (a UUID is best). A retry with the same key and body within ${IDEMPOTENCY_RETENTION_HOURS} hours ` +
        `returns the first response (marked \`${REPLAYED_HEADER}: true\`) and creates nothing new.`,
      schema: { type: 'string', maxLength: 200, example: '5b0c8d0e-6a51-4c1b-9a57-2f1e1f7a2c11' },
    }),
    ApiProblem(409, 'idempotency_in_progress: the first request with this Idempotency-Key is still running'),
    ApiProblem(422, 'idempotency_key_reused: this Idempotency-Key was used with another body or route'),
  );
