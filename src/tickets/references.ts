import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';

const TABLES = { enterprise: 'enterprises', department: 'departments', user: 'users' } as const;

/** A 400 naming `field` unless every id exists, so a bad reference never reaches a foreign key (a 500). */
export async function assertExisting(
  manager: EntityManager,
  kind: keyof typeof TABLES,
  ids: readonly string[],
  field: string,
): Promise<void> {
  if (ids.length === 0) return;
  const rows: { id: string }[] = await manager.query(`SELECT id FROM ${TABLES[kind]} WHERE id = ANY($1::uuid[])`, [ids]);
  const found = new Set(rows.map((row) => row.id));
  const missing = [...new Set(ids.map((id) => id.toLowerCase()))].filter((id) => !found.has(id));
  if (missing.length > 0) throw missingReference(kind, missing, field);
}

/** The 400 for ids of `kind` that do not exist, naming `field`. */
export function missingReference(kind: keyof typeof TABLES, missing: readonly string[], field: string): DomainError {
  const message = `No ${kind} ${missing.join(', ')}`;
  return new DomainError('validation_failed', message, { errors: [{ field, message }] });
}
