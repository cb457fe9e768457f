/**
 * Writes the OpenAPI document the app serves to docs/openapi.json, without a database or
 * Redis: Nest's preview mode resolves the modules but instantiates no provider. `npm run
 * openapi:write` then generates the typed client's schema from it.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { applyGlobalPrefix } from '../src/app.factory';
import { buildOpenApiDocument } from '../src/docs/openapi';

export const OPENAPI_FILE = 'docs/openapi.json';

async function main(): Promise<void> {
  // Env validation runs at import; the values only have to be well formed.
  process.env.JWT_SECRET ??= 'preview-only-secret-that-is-long-enough-0123456789';
  const app = await NestFactory.create(AppModule.forRole('api'), { preview: true, logger: false, abortOnError: false });
  applyGlobalPrefix(app);
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  await app.close();
}

void main();
