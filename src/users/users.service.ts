import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { Repository } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { DomainError } from '../common/errors/domain-error';
import { Department } from '../departments/entities/department.entity';
import type { CreateUserDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { type Role, User } from './entities/user.entity';

const toDto = ({ id, username, displayName, role, departmentId, phone, active }: User): UserDto => ({
  id,
  username,
  displayName,
  role,
  departmentId,
  phone,
  active,
});

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Department) private readonly departments: Repository<Department>,
  ) {}

  async list(role?: Role): Promise<UserDto[]> {
    return (await this.users.find({ where: role ? { role } : {}, order: { username: 'ASC' } })).map(toDto);
  }

  async create(input: CreateUserDto): Promise<UserDto> {
    await this.checkDepartment(input.role, input.departmentId ?? null);
    if (await this.users.existsBy({ username: input.username })) {
      throw new DomainError('duplicate', `Username ${input.username} is taken`);
    }
    const user = this.users.create({
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      departmentId: input.departmentId ?? null,
      phone: input.phone ?? null,
      passwordHash: await argon2.hash(input.password),
    });
    return toDto(await this.users.save(user));
  }

  async update(id: string, input: UpdateUserDto): Promise<UserDto> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new DomainError('not_found', `No user ${id}`);
    const { password, ...fields } = input;
    Object.assign(user, fields);
    await this.checkDepartment(user.role, user.departmentId);
    if (password) user.passwordHash = await argon2.hash(password);
    return toDto(await this.users.save(user));
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

  /** Who an access token's subject is, if still active: read on every request, so plain SQL. */
  async identity(id: string): Promise<AuthUser | null> {
    const [user] = await this.users.query<AuthUser[]>(
      `SELECT id, username, role, department_id AS "departmentId" FROM users WHERE id = $1 AND active`,
      [id],
    );
    return user ?? null;
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
