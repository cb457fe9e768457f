import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, invalidFields } from '../errors/domain-error';
import { forbiddenQueryKeys, inspectInput } from '../validation/input-limits';

/**
 * Refuses a hostile body or query right after parsing, before validation and transformation
 * spend time and memory on it: past a limit (`input_limit_exceeded`), or holding a property
 * named `__proto__`, `constructor` or `prototype` (`validation_failed`, like any unknown property).
 */
@Injectable()
export class InputLimitsMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const queryStart = req.originalUrl.indexOf('?');
    const rawQuery = queryStart < 0 ? '' : req.originalUrl.slice(queryStart + 1);
    const body = inspectInput(req.body, 'body');
    const query = rawQuery ? inspectInput(req.query, 'query') : { forbidden: [] };
    const exceeded = body.exceeded ?? query.exceeded;
    if (exceeded) throw new DomainError('input_limit_exceeded', exceeded.message, { errors: [exceeded] });
    const forbidden = [...body.forbidden, ...(rawQuery ? forbiddenQueryKeys(rawQuery) : [])];
    if (forbidden.length > 0) throw invalidFields(forbidden);
    next();
  }
}

