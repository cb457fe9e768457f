import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../common/errors/domain-error';
import type { EnvironmentVariables } from '../config/env.validation';
import type { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import type { MeDto, TokenDto } from './dto/login.dto';
import { LoginThrottleService } from './login-throttle.service';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `8h` → 28800. The format is checked at boot by the env validation. */
export function ttlSeconds(ttl: string): number {
  return Number(ttl.slice(0, -1)) * UNIT_SECONDS[ttl.slice(-1)];
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  /**
   * Username and password, throttled per address and username: too many failures is a 429,
   * a wrong password (or a user `accept` refuses) a 401 that counts as a failure.
   */
  async verifyCredentials(username: string, password: string, ip: string, accept: (user: User) => boolean = () => true): Promise<User> {
    await this.throttle.assertAllowed(ip, username);
    const user = await this.users.verifyPassword(username, password);
    if (!user || !accept(user)) {
      await this.throttle.recordFailure(ip, username);
      throw new DomainError('invalid_credentials');
    }
    await this.throttle.clear(ip, username);
    return user;
  }

  async login(username: string, password: string, ip: string): Promise<TokenDto> {
    const user = await this.verifyCredentials(username, password, ip);
    const expiresIn = ttlSeconds(this.config.get('JWT_TTL', { infer: true }));
    const accessToken = await this.jwt.signAsync({ sub: user.id, role: user.role }, { expiresIn });
    return { accessToken, tokenType: 'Bearer', expiresIn };
  }

  async me(userId: string): Promise<MeDto> {
    const user = await this.users.findActive(userId);
    if (!user) throw new DomainError('token_invalid');
    const { id, username, displayName, role, departmentId } = user;
    return { id, username, displayName, role, departmentId };
  }
}
