import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '../users/entities/user.entity';

/** The caller, as the auth guard loaded it from the database for this request. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  departmentId: string | null;
}

export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
