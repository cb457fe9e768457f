import { QueryFailedError } from 'typeorm';

function violates(error: unknown, code: string, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === code && driverError.constraint === constraint;
}

/** True when a query failed on the named unique constraint or index (Postgres 23505). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return violates(error, '23505', constraint);
}

/** True when a query failed on the named foreign key (Postgres 23503). */
export function isForeignKeyViolation(error: unknown, constraint: string): boolean {
  return violates(error, '23503', constraint);
}
