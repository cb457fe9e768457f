import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblem } from '../common/errors/problem-details';
import type { Role } from '../users/entities/user.entity';

export const ROLES_KEY = 'roles';

/** Restricts a route (or controller) to these roles; without it any signed-in user may call. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiProblem(403, `Only for: ${roles.join(', ')}`),
  );

/** Every authenticated controller: documents the bearer token requirement. */
export const Authenticated = () => ApiBearerAuth();
