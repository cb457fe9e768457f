import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '../users/entities/user.entity';

/** The caller, as the auth guard loaded it from the database for this request. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  departmentId: string | null;
  /** The user's current token version, which the caller's token carries. */
  tokenVersion: number;
}

/** A verified access token: whose it is, and when it expires (epoch ms). */
export interface Session {
  user: AuthUser;
  expiresAt: number;
}

/** What the auth guard leaves on a request it lets through. */
export interface AuthenticatedRequest {
  user: AuthUser;
  session: Session;
}

export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<AuthenticatedRequest>().user,
);

/** For what outlives the request (an event stream): the session must end with its token. */
export const CurrentSession = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Session => ctx.switchToHttp().getRequest<AuthenticatedRequest>().session,
);
