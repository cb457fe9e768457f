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

/** Where people open the app (links in survey messages and robot notices), without a trailing slash. */
export function publicBaseUrl(config: AppConfigService): string {
  const port = config.get('PORT', { infer: true });
  return (config.get('PUBLIC_BASE_URL', { infer: true }) ?? `http://localhost:${port}`).replace(/\/+$/, '');
}
