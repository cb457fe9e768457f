import { createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { type FixedWindow, RateLimits } from '../common/rate-limit/fixed-window';

/** Per survey link: an enterprise contact opens and answers it a few times, not dozens. */
export const SURVEY_TOKEN_LIMIT = { name: 'survey-token', limit: 30, windowSeconds: 15 * 60 };
/** Per address: many links may be opened from one office, but not a guessing run. */
export const SURVEY_ADDRESS_LIMIT = { name: 'survey-address', limit: 120, windowSeconds: 60 };

/**
 * Limits the public, login-free survey routes per token and per address (`req.ip`, honest
 * behind a proxy only when the proxy is trusted). Every request counts, garbled and refused
 * ones included: that is what makes guessing or hammering a link slow.
 */
@Injectable()
export class SurveyRateLimitGuard implements CanActivate {
  private readonly perToken: FixedWindow;
  private readonly perAddress: FixedWindow;

  constructor(limits: RateLimits) {
    this.perToken = limits.window(SURVEY_TOKEN_LIMIT);
    this.perAddress = limits.window(SURVEY_ADDRESS_LIMIT);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const token = String(req.params.token ?? '');
    // Keys hold a digest: a Redis dump must not hand out working survey links.
    const tokenKey = createHash('sha256').update(token).digest('base64url').slice(0, 32);
    await this.perAddress.consume(req.ip ?? 'unknown', 'Too many survey requests from this address');
    await this.perToken.consume(tokenKey, 'Too many requests for this survey link');
    return true;
  }
}
