import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { LRUCache } from 'lru-cache';
import { type EntityManager, Repository } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { isUniqueViolation } from '../common/errors/constraint-violation';
import { DomainError } from '../common/errors/domain-error';
import { Department } from '../departments/entities/department.entity';
import type { CreateUserDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { type Role, User } from './entities/user.entity';

const toDto = ({ id, username, displayName, role, departmentId, phone, mobile, active }: User): UserDto => ({
  id,
  username,
  displayName,
  role,
  departmentId,
  phone,
  mobile,
  active,
});

/**
 * How long a process answers "who is this token's user" from memory. The process that edits a
 * user forgets it at once; other processes see a deactivation or a new role within this time.
 */
const IDENTITY_CACHE_MS = 5_000;

@Injectable()
export class UsersService {
  private readonly identities = new LRUCache<string, AuthUser>({ max: 10_000, ttl: IDENTITY_CACHE_MS });
  /** Bumped by every edit, so a read that began before it cannot store what it read. */
  private identitiesGeneration = 0;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Department) private readonly departments: Repository<Department>,
  ) {}

  async list(role?: Role): Promise<UserDto[]> {
    return (await this.users.find({ where: role ? { role } : {}, order: { username: 'ASC' } })).map(toDto);
  }

  async create(input: CreateUserDto): Promise<UserDto> {
    await this.checkDepartment(input.role, input.departmentId ?? null);
    const taken = () => new DomainError('duplicate', `Username ${input.username} is taken`);
    if (await this.users.existsBy({ username: input.username })) throw taken();
    const user = this.users.create({
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      departmentId: input.departmentId ?? null,
      phone: input.phone ?? null,
      mobile: input.mobile ?? null,
      passwordHash: await argon2.hash(input.password),
    });
    try {
      return toDto(await this.users.save(user));
    } catch (error) {
      // Two creations of one username at once: the check above passed for both.
      if (isUniqueViolation(error, 'users_username_key')) throw taken();
      throw error;
    }
  }

  /**
   * An admin's edit. A new password or disabling the account revokes every token of the user
   * (see revokeTokens); a role or department change applies to existing tokens as they are.
   */
  async update(id: string, input: UpdateUserDto): Promise<UserDto> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new DomainError('not_found', `No user ${id}`);
    const { password, ...fields } = input;
    // Only the fields sent: the DTO has an own `undefined` for every field left out, which would
    // blank the answer's displayName and role and skip the department check below.
    Object.assign(user, Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)));
    await this.checkDepartment(user.role, user.departmentId);
    if (password) user.passwordHash = await argon2.hash(password);
    const revoke = Boolean(password) || input.active === false;
    const saved = await this.users.manager.transaction(async (manager) => {
      const row = await manager.save(user);
      if (revoke) row.tokenVersion = await this.revokeTokens(manager, id);
      return row;
    });
    this.forgetIdentity(id);
    return toDto(saved);
  }

  /** The user's own new password: revokes every token of theirs; returns the new token version. */
  async changePassword(id: string, password: string): Promise<number> {
    const passwordHash = await argon2.hash(password);
    const version = await this.users.manager.transaction(async (manager) => {
      await manager.update(User, { id }, { passwordHash });
      return this.revokeTokens(manager, id);
    });
    this.forgetIdentity(id);
    return version;
  }

  /** Incremented in SQL, so two revocations at once both move it past every token issued before. */
  private async revokeTokens(manager: EntityManager, id: string): Promise<number> {
    const [rows] = await manager.query<[{ token_version: number }[], number]>(
      `UPDATE users SET token_version = token_version + 1 WHERE id = $1 RETURNING token_version`,
      [id],
    );
    return rows[0].token_version;
  }

  private forgetIdentity(id: string): void {
    this.identitiesGeneration += 1;
    this.identities.delete(id);
  }

  private async checkDepartment(role: Role, departmentId: string | null): Promise<void> {
    const invalid = (message: string) =>
      new DomainError('validation_failed', message, { errors: [{ field: 'departmentId', message }] });
    if (role === 'department_handler' && !departmentId) throw invalid('A department handler needs a departmentId');
    if (departmentId && !(await this.departments.existsBy({ id: departmentId }))) {
      throw invalid(`No department ${departmentId}`);
    }
  }

  findActive(id: string): Promise<User | null> {
    return this.users.findOneBy({ id, active: true });
  }

  /**
   * Who an access token's subject is, if still active: asked on every request (see
   * IDENTITY_CACHE_MS). A token of a newer version than the one remembered (issued after a
   * password change in another process) reads the row again instead of being refused.
   */
  async identity(id: string, tokenVersion: number): Promise<AuthUser | null> {
    const cached = this.identities.get(id);
    if (cached && cached.tokenVersion >= tokenVersion) return cached;
    const generation = this.identitiesGeneration;
    const [user] = await this.users.query<AuthUser[]>(
      `SELECT id, username, role, department_id AS "departmentId", token_version AS "tokenVersion" FROM users WHERE id = $1 AND active`,
      [id],
    );
    // Only the active are kept: an account switched on works at once.
    if (user && generation === this.identitiesGeneration) this.identities.set(id, Object.freeze(user));
    return user ?? null;
  }

  /** The current token version of each of these users that is still active (the others are missing). */
  async activeTokenVersions(ids: string[]): Promise<Map<string, number>> {
    const rows = await this.users.query<{ id: string; tokenVersion: number }[]>(
      `SELECT id, token_version AS "tokenVersion" FROM users WHERE id = ANY($1::uuid[]) AND active`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.tokenVersion]));
  }

  /** The user when the password matches; null otherwise (same answer for unknown users). */
  async verifyPassword(username: string, password: string): Promise<User | null> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username AND u.active', { username: username.toLowerCase() })
      .getOne();
    if (!user) {
      // Spend the same time as a real check so usernames cannot be probed by timing.
      await argon2.hash(password);
      return null;
    }
    return (await argon2.verify(user.passwordHash, password)) ? user : null;
  }
}

export const hashPassword = (password: string) => argon2.hash(password);
