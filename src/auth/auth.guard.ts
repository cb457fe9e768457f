import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/errors/domain-error';
import { IS_PUBLIC } from '../common/http/public.decorator';
import type { Role } from '../users/entities/user.entity';
import { AccessTokens } from './access-tokens';
import { ALLOW_QUERY_TOKEN } from './allow-query-token.decorator';
import type { AuthenticatedRequest } from './current-user';
import { ROLES_KEY } from './roles.decorator';

/**
 * Global guard: a valid access token for an active user on every route not marked
 * `@Public()`, and the route's roles when it names some (see AccessTokens). Row-level scope is
 * enforced in the services' queries, not here.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<
      { headers: Record<string, string>; query?: Record<string, unknown> } & Partial<AuthenticatedRequest>
    >();
    const token = this.accessToken(request, this.reflector.getAllAndOverride<boolean>(ALLOW_QUERY_TOKEN, targets));
    if (!token) {
      throw new DomainError('unauthenticated', 'Send an access token: Authorization: Bearer <token>');
    }
    const session = await this.tokens.authenticate(token, this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets));
    request.session = session;
    request.user = session.user;
    return true;
  }

  /** The bearer token of the header, else `?access_token=` on routes marked `@AllowQueryToken()`. */
  private accessToken(
    request: { headers: Record<string, string>; query?: Record<string, unknown> },
    allowQuery: boolean | undefined,
  ): string | undefined {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() === 'bearer' && token) return token;
    const fromQuery = allowQuery ? request.query?.access_token : undefined;
    return typeof fromQuery === 'string' && fromQuery ? fromQuery : undefined;
  }
}
