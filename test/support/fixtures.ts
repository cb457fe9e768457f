import { DataSource } from 'typeorm';
import { Department } from '../../src/departments/entities/department.entity';
import type { Category } from '../../src/tickets/categories';
import { type Role, User } from '../../src/users/entities/user.entity';
import { hashPassword } from '../../src/users/users.service';
import type { TestApp } from './test-app';

export const PASSWORD = 'correct-horse-battery';

export interface Actor {
  id: string;
  username: string;
  role: Role;
  departmentId: string | null;
  token: string;
  /** `Authorization` header value. */
  auth: string;
}

let passwordHash: string | undefined;

export async function createUser(
  t: TestApp,
  username: string,
  role: Role,
  departmentId: string | null = null,
): Promise<User> {
  passwordHash ??= await hashPassword(PASSWORD);
  const users = t.app.get(DataSource).getRepository(User);
  return users.save(users.create({ username, displayName: username, role, departmentId, passwordHash }));
}

export async function createDepartment(
  t: TestApp,
  name: string,
  categories: Category[],
  deputyLeaderId: string | null = null,
): Promise<Department> {
  const departments = t.app.get(DataSource).getRepository(Department);
  return departments.save(departments.create({ name, categories, deputyLeaderId }));
}

export async function login(t: TestApp, user: User): Promise<Actor> {
  const res = await t.http.post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD }).expect(200);
  const token = res.body.accessToken as string;
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    departmentId: user.departmentId,
    token,
    auth: `Bearer ${token}`,
  };
}

export async function actor(t: TestApp, username: string, role: Role, departmentId: string | null = null): Promise<Actor> {
  return login(t, await createUser(t, username, role, departmentId));
}
