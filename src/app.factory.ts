import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { AppModule } from './app.module';
import { assignRequestId } from './common/logging/logging.module';
import { createValidationPipe } from './common/errors/validation';
import { refuseHostileJson } from './common/validation/input-limits';
import type { AppConfigService } from './config/app.config';
import { type AppRole, trustProxySetting } from './config/env.validation';
import { setupOpenApi } from './docs/openapi';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = '1mb';

/** The HTTP app exactly as production serves it; e2e tests build it through here too. */
export async function createHttpApp(role: Exclude<AppRole, 'worker'>): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRole(role), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  applyServerTimeouts(app.getHttpServer() as Server, app.get<AppConfigService>(ConfigService));
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    assignRequestId(req, res);
    next();
  });
  // Nest's option type reserves `verify` for its rawBody mode, unused here; body-parser takes it as is.
  const jsonOptions = { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: refuseHostileJson };
  app.useBodyParser('json', jsonOptions);
  app.set('query parser', 'extended');
  app.disable('x-powered-by');
  // req.ip (login throttling, rate limits) is the socket's peer unless proxies are trusted.
  app.set('trust proxy', trustProxySetting(app.get<AppConfigService>(ConfigService).get('TRUST_PROXY', { infer: true })));
  // Express's automatic weak ETag would stand beside (and on writes, replace) the ticket's `"<version>"`.
  app.set('etag', false);
  applyGlobalPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  mountQueueDashboard(app);
  app.enableShutdownHooks();
  setupOpenApi(app);
  return app;
}

/** Probes stay at the root where orchestrators look; everything else is versioned. */
export function applyGlobalPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready'] });
}

/** Slow clients cannot hold a socket: see HTTP_*_TIMEOUT_MS in env.validation.ts for the values' order. */
function applyServerTimeouts(server: Server, config: AppConfigService): void {
  server.keepAliveTimeout = config.get('HTTP_KEEP_ALIVE_TIMEOUT_MS', { infer: true });
  server.headersTimeout = config.get('HTTP_HEADERS_TIMEOUT_MS', { infer: true });
  server.requestTimeout = config.get('HTTP_REQUEST_TIMEOUT_MS', { infer: true });
}

/** A worker process: queues and schedulers, no HTTP. */
export async function createWorkerContext(): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.forRole('worker'), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
