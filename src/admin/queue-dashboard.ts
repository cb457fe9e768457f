import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { AccessTokens } from '../auth/access-tokens';
import { AuthService } from '../auth/auth.service';
import { DomainError } from '../common/errors/domain-error';
import { QUEUES as CATALOGUE } from '../common/lifecycle/queues';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const QUEUES = Object.values(CATALOGUE).map((queue) => queue.name);

/**
 * Bull Board for admins at /admin/queues. A browser signs in with HTTP Basic (an admin's
 * username and password, throttled like the login); tools may send an admin's Bearer token,
 * checked exactly as the API checks it (AccessTokens).
 */
export function mountQueueDashboard(app: INestApplication): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: QUEUES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false }))),
    serverAdapter,
  });
  app.use(QUEUE_DASHBOARD_PATH, adminOnly(app), serverAdapter.getRouter());
}

function adminOnly(app: INestApplication) {
  const tokens = app.get(AccessTokens, { strict: false });
  const auth = app.get(AuthService, { strict: false });

  const challenge = (res: Response, status = 401) => {
    res.setHeader('WWW-Authenticate', 'Basic realm="queues", charset="UTF-8"');
    res.status(status).type('text/plain').send(status === 429 ? 'Too many attempts' : 'Admins only');
  };

  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const [scheme, credentials] = (req.headers.authorization ?? '').split(' ');
      if (scheme?.toLowerCase() === 'bearer' && credentials) {
        try {
          await tokens.authenticate(credentials, ['admin']);
        } catch (error) {
          // Any refusal (another role included) is the challenge, so a browser asks again.
          if (error instanceof DomainError) return challenge(res);
          throw error;
        }
        return next();
      }
      if (scheme?.toLowerCase() !== 'basic' || !credentials) return challenge(res);
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      const [username, password] = [decoded.slice(0, separator), decoded.slice(separator + 1)];
      try {
        // A header without "user:password" is a failed attempt too.
        await auth.verifyCredentials(username, password, req.ip ?? 'unknown', (user) => separator > 0 && user.role === 'admin');
      } catch (error) {
        return challenge(res, error instanceof DomainError && error.code === 'too_many_requests' ? 429 : 401);
      }
      return next();
    } catch (error) {
      return next(error);
    }
  };
}
