import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { AccessTokens } from './access-tokens';
import type { AuthUser } from './current-user';
import type { MeDto, TokenDto } from './dto/login.dto';
import { LoginThrottleService } from './login-throttle.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: AccessTokens,
    private readonly throttle: LoginThrottleService,
  ) {}

  /**
   * Username and password, throttled (see LoginThrottleService): too many failures is a 429,
   * a wrong password (or a user `accept` refuses) a 401 that counts as a failure.
   */
  async verifyCredentials(username: string, password: string, ip: string, accept: (user: User) => boolean = () => true): Promise<User> {
    await this.throttle.assertAllowed(ip, username);
    const user = await this.users.verifyPassword(username, password);
    if (!user || !accept(user)) {
      await this.throttle.recordFailure(ip, username);
      throw new DomainError('invalid_credentials');
    }
    await this.throttle.recordSuccess(ip, username);
    return user;
  }

  async login(username: string, password: string, ip: string): Promise<TokenDto> {
    return this.tokens.issue(await this.verifyCredentials(username, password, ip));
  }

  /**
   * The caller's own new password, given the current one (checked and throttled like a login,
   * since a stolen token could otherwise guess it). Every token of the user stops working,
   * this one included: the answer is a new token for the caller to go on with.
   */
  async changePassword(caller: AuthUser, currentPassword: string, newPassword: string, ip: string): Promise<TokenDto> {
    try {
      await this.verifyCredentials(caller.username, currentPassword, ip, (user) => user.id === caller.id);
    } catch (error) {
      // Not a 401: the token is fine, and clients take a 401 as "sign in again".
      if (error instanceof DomainError && error.code === 'invalid_credentials') throw new DomainError('current_password_wrong');
      throw error;
    }
    const tokenVersion = await this.users.changePassword(caller.id, newPassword);
    return this.tokens.issue({ id: caller.id, role: caller.role, tokenVersion });
  }

  async me(userId: string): Promise<MeDto> {
    const user = await this.users.findActive(userId);
    if (!user) throw new DomainError('token_invalid');
    const { id, username, displayName, role, departmentId } = user;
    return { id, username, displayName, role, departmentId };
  }
}
