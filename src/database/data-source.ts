import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { typeormOptions } from './typeorm-options';

// For the TypeORM CLI only (CommonJS, from source with ts-node or from dist). It reads
// no environment itself: take DATABASE_URL from the shell or .env.
if (existsSync('.env')) process.loadEnvFile('.env');

const root = join(__dirname, '..', '..');

export default new DataSource({
  ...typeormOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/demand_desk'),
  entities: [join(root, 'src', '**', '*.entity.{ts,js}')],
  migrations: [join(root, 'migrations', '*.{ts,js}')],
});
