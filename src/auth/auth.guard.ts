import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../common/errors/domain-error';
import { IS_PUBLIC } from '../common/http/public.decorator';
import type { Role } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { ALLOW_QUERY_TOKEN } from './allow-query-token.decorator';
import type { AuthUser } from './current-user';
import { ROLES_KEY } from './roles.decorator';

interface AccessTokenClaims {
  sub: string;
}

/**
 * Global guard: a valid access token for an active user on every route not marked
 * `@Public()`, and the route's roles when it names some. Row-level scope is enforced in
 * the services' queries, not here.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<{
      headers: Record<string, string>;
      query?: Record<string, unknown>;
      user?: AuthUser;
    }>();
    const token = this.accessToken(request, this.reflector.getAllAndOverride<boolean>(ALLOW_QUERY_TOKEN, targets));
    if (!token) {
      throw new DomainError('unauthenticated', 'Send an access token: Authorization: Bearer <token>');
    }
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch {
      throw new DomainError('token_invalid');
    }
    // Other tokens signed with the same key (survey links carry a `purpose`) are not access tokens.
    if (typeof claims.sub !== 'string' || 'purpose' in claims) throw new DomainError('token_invalid');
    const user = await this.users.identity(claims.sub);
    if (!user) throw new DomainError('token_invalid', 'The account of this token is disabled or gone');
    request.user = user;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) {
      throw new DomainError('forbidden', `Only ${roles.join(', ')} may do this`);
    }
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
