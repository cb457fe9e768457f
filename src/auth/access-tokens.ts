import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../common/errors/domain-error';
import type { EnvironmentVariables } from '../config/env.validation';
import type { Role, User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import type { Session } from './current-user';
import type { TokenDto } from './dto/login.dto';

interface AccessTokenClaims {
  sub: string;
  role: Role;
  /** The user's token version when it was issued. */
  ver: number;
  exp: number;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `8h` → 28800. The format is checked at boot by the env validation. */
export function ttlSeconds(ttl: string): number {
  return Number(ttl.slice(0, -1)) * UNIT_SECONDS[ttl.slice(-1)];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Issues access tokens and checks them: the one check behind the API guard and the queue
 * dashboard, so neither can drift from the other.
 */
@Injectable()
export class AccessTokens {
  private readonly ttl: number;

  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.ttl = ttlSeconds(config.get('JWT_TTL', { infer: true }));
  }

  async issue(user: Pick<User, 'id' | 'role' | 'tokenVersion'>): Promise<TokenDto> {
    const claims: Omit<AccessTokenClaims, 'exp'> = { sub: user.id, role: user.role, ver: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.ttl });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.ttl };
  }

  /**
   * The session of `token` when it is ours (signature, expiry), an access token (no `purpose`:
   * survey links share the key), names a user by UUID (anything else would reach SQL as a bad
   * uuid), that user is active, and the token's version is the user's current one; `token_invalid`
   * otherwise. Then `forbidden` unless the user has one of `roles` (when given).
   */
  async authenticate(token: string, roles?: readonly Role[]): Promise<Session> {
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch {
      throw new DomainError('token_invalid');
    }
    if ('purpose' in claims || typeof claims.sub !== 'string' || !UUID.test(claims.sub) || !Number.isSafeInteger(claims.ver) || typeof claims.exp !== 'number') {
      throw new DomainError('token_invalid');
    }
    const version = claims.ver!;
    const user = await this.users.identity(claims.sub, version);
    if (!user) throw new DomainError('token_invalid', 'The account of this token is disabled or gone');
    if (user.tokenVersion !== version) {
      throw new DomainError('token_invalid', 'This token was revoked (password changed or account disabled); sign in again');
    }
    if (roles && !roles.includes(user.role)) throw new DomainError('forbidden', `Only ${roles.join(', ')} may do this`);
    return { user, expiresAt: claims.exp * 1000 };
  }
}
