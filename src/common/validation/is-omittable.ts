import { PartialType } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';

/**
 * Like `@IsOptional()` but only for a missing property: an explicit `null` is still
 * validated (and refused), so it cannot reach a NOT NULL column as a 500.
 */
export const IsOmittable = () => ValidateIf((_object, value) => value !== undefined);

/**
 * The body of a PATCH: every field of `type` may be left out, but `null` is refused unless the
 * field itself is `@IsOptional()` (a nullable column). Plain `PartialType` lets `null` through
 * to NOT NULL columns; ESLint forbids it outside this file.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PatchOf = <T>(type: new (...args: any[]) => T) => PartialType(type, { skipNullProperties: false });
