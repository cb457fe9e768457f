import type { DataSourceOptions } from 'typeorm';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Shared by the Nest app and the migration CLI so both see the same schema rules. */
export function typeormOptions(databaseUrl: string): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    extra: { max: 20, connectionTimeoutMillis: 5000 },
  };
}
