import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHttpApp, createWorkerContext } from './app.factory';
import { type AppConfigService } from './config/app.config';
import { APP_ROLES, type AppRole, validateEnv } from './config/env.validation';
import { DOCS_PATH } from './docs/openapi';

/**
 * Graceful shutdown is bounded: a BullMQ worker whose Redis connection is stuck reconnecting
 * can wait forever in close() (taskforcesh/bullmq#4656), and an orchestrator would kill us anyway.
 */
function boundShutdown(): void {
  const limitMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 30_000);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        console.error(`Shutdown took over ${limitMs} ms; exiting`);
        process.exit(1);
      }, limitMs).unref();
    });
  }
}

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  // ConfigModule validates too, but inside a promise Nest awaits later: a bad variable would
  // surface as an unhandled rejection with a stack trace instead of the message alone.
  validateEnv(process.env);
  boundShutdown();
  const role = (process.env.APP_ROLE ?? 'all') as AppRole;
  if (!APP_ROLES.includes(role)) {
    throw new Error(`APP_ROLE must be one of ${APP_ROLES.join(', ')}; got "${role}"`);
  }
  if (role === 'worker') {
    await createWorkerContext();
    new Logger('Bootstrap').log('Worker started');
    return;
  }
  const app = await createHttpApp(role);
  const config = app.get<AppConfigService>(ConfigService);
  const port = config.get('PORT', { infer: true });
  await app.listen(port, config.get('HOST', { infer: true }));
  const base = `http://localhost:${port}`;
  new Logger('Bootstrap').log(`API on ${base}/api/v1 (role ${role}); docs on ${base}/${DOCS_PATH}`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
