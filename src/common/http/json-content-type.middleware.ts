import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/** A body that is not JSON would be silently ignored by the JSON parser: refuse it instead. */
@Injectable()
export class JsonContentTypeMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const type = req.headers['content-type'];
    if (METHODS_WITH_BODY.has(req.method) && hasBody && !(type && JSON_TYPE.test(type))) {
      throw new DomainError('unsupported_media_type', 'Send the body as application/json');
    }
    next();
  }
}
