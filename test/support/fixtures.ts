import { DataSource } from 'typeorm';
import { Department } from '../../src/departments/entities/department.entity';
import { creditCodeCheckChar } from '../../src/enterprises/credit-code';
import { Enterprise } from '../../src/enterprises/entities/enterprise.entity';
import { Pairing } from '../../src/pairings/entities/pairing.entity';
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

/** The n-th of a series of distinct valid unified social credit codes (check digit computed). */
export function validCreditCode(n: number): string {
  const first17 = `91140000${String(n).padStart(9, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

let enterpriseSeq = 0;

/** An enterprise written straight to the database; name and credit code are made up unless given. */
export async function createEnterprise(t: TestApp, fields: Partial<Enterprise> = {}): Promise<Enterprise> {
  enterpriseSeq += 1;
  const enterprises = t.app.get(DataSource).getRepository(Enterprise);
  return enterprises.save(
    enterprises.create({ name: `企业${enterpriseSeq}`, creditCode: validCreditCode(900_000 + enterpriseSeq), ...fields }),
  );
}

/** An active pairing written straight to the database, bypassing the pairing rules. */
export async function createPairing(t: TestApp, leaderId: string, enterpriseId: string): Promise<Pairing> {
  const pairings = t.app.get(DataSource).getRepository(Pairing);
  return pairings.save(pairings.create({ leaderId, enterpriseId, startedOn: '2026-01-01', createdBy: leaderId }));
}

/** Rows in a table, to show that a refused request wrote nothing. */
export async function countRows(t: TestApp, table: string): Promise<number> {
  const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM ${table}`);
  return n;
}

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The token of a survey link: the enterprise opens the survey page `…/s/{token}`; the API takes the same token. */
export function surveyTokenOf(link: string): string {
  const match = /\/s\/([^/?#]+)$/.exec(link);
  if (!match) throw new Error(`Not a survey page link: ${link}`);
  return match[1];
}

/** A ticket answer (or one holding tickets) without `workingMsLeft`, which counts down between two reads of the same ticket. */
export function timeless<T>(body: T): T {
  return JSON.parse(JSON.stringify(body), (key: string, value: unknown) => (key === 'workingMsLeft' ? undefined : value)) as T;
}
