import {
  applyDecorators,
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  HttpCode,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, type ApiOperationOptions } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { ApiProblem } from '../common/errors/problem-details';
import { TicketDto } from './dto/ticket.dto';
import { etag } from './versioning';

/**
 * The `If-Match` request header. A custom decorator rather than `@Headers('if-match')`, which
 * the OpenAPI document would list as a second, required header beside the documented one.
 */
export const IfMatch = createParamDecorator((_: unknown, context: ExecutionContext) =>
  context.switchToHttp().getRequest<Request>().header('if-match'),
);

/** Sends the returned ticket's version as its strong ETag, `"<version>"`, as GET does. */
@Injectable()
export class TicketETagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<TicketDto>): Observable<TicketDto> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((ticket) => {
        response.setHeader('ETag', etag(ticket.version));
        return ticket;
      }),
    );
  }
}

const ETAG_HEADER = {
  ETag: { description: 'The ticket version, `"<version>"`: send it back in If-Match', schema: { type: 'string', example: '"1"' } },
};

/** A route answering one ticket: 200 with the ticket and its ETag. */
export const TicketResponse = () =>
  applyDecorators(UseInterceptors(TicketETagInterceptor), ApiOkResponse({ type: TicketDto, headers: ETAG_HEADER }));

/** A write that needs the version read: If-Match (or `version` in the body), and its refusals. */
export const VersionedTicketWrite = () =>
  applyDecorators(
    TicketResponse(),
    ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you read, e.g. `"3"`; or send `version` in the body' }),
    ApiProblem(404, 'No such ticket, or not one you may see'),
    ApiProblem(409, 'version_conflict (with `currentVersion`): changed since you read it; or conflict (with `currentStatus`): not allowed from that status'),
    ApiProblem(428, 'precondition_required: neither If-Match nor version'),
  );

/** One lifecycle action (`POST /tickets/{id}/<action>`): answers 200 with the moved ticket. */
export const LifecycleAction = (operation: Pick<ApiOperationOptions, 'summary' | 'description'>) =>
  applyDecorators(
    HttpCode(200),
    ApiOperation(operation),
    VersionedTicketWrite(),
    ApiProblem(403, 'Your role may not take this action'),
  );
