import { type ConfigService } from '@nestjs/config';
import { type EnvironmentVariables } from './env.validation';

/** Typed access to validated variables: `config.get('PORT', { infer: true })`. */
export type AppConfigService = ConfigService<EnvironmentVariables, true>;

/** Splits a redis:// URL into the options ioredis and BullMQ take. */
export function redisOptionsFromUrl(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}
