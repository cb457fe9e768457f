import { isIP } from 'node:net';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidatorConstraint,
  validateSync,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { productionSecretProblem } from './jwt-secret';

const SPAN = String.raw`(\d+(\.\d+)?|P(\d+[WD])*(T(\d+(\.\d+)?[HMS])+)?)`;
const SURVEY_SPAN = new RegExp(`^${SPAN}$`);
const SURVEY_SPANS = new RegExp(`^${SPAN}(,${SPAN})*$`);

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY like addresses. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY as Express's `trust proxy` takes it: `false` (the client is the socket's peer),
 * a number of proxy hops, or the proxies' addresses, CIDRs or range names, comma-separated.
 * Never `true`, which would believe any X-Forwarded-For a client writes.
 */
export function trustProxySetting(value: string): false | number | string[] {
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

const isProxyAddress = (entry: string): boolean => {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
};

@ValidatorConstraint({ name: 'trustProxy' })
class TrustProxyValue implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    const setting = trustProxySetting(value);
    return !Array.isArray(setting) || setting.every(isProxyAddress);
  }

  defaultMessage(): string {
    return 'TRUST_PROXY must be false, a number of proxy hops, or comma-separated proxy addresses/CIDRs (loopback, linklocal, uniquelocal also work); never true';
  }
}

export const APP_ROLES = ['api', 'worker', 'all'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/**
 * Every variable the process reads. Defaults suit a developer machine; anything
 * missing without a default, or malformed, stops the boot with its name.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(APP_ROLES)
  APP_ROLE: AppRole = 'all';

  @IsString()
  HOST: string = '0.0.0.0';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/demand_desk';

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @Matches(/^[a-z0-9_-]{1,32}$/i, { message: 'QUEUE_PREFIX must be 1-32 letters, digits, _ or -' })
  QUEUE_PREFIX: string = 'dd';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string;

  /** Which proxies' X-Forwarded-For to believe for the client address (`req.ip`): see trustProxySetting. */
  @Validate(TrustProxyValue)
  TRUST_PROXY: string = 'false';

  @Matches(/^\d+[smhd]$/, { message: 'JWT_TTL must look like 15m, 8h or 1d' })
  JWT_TTL: string = '8h';

  @IsInt()
  @Min(1)
  @Max(100)
  PAIRING_MAX_KEY_ENTERPRISES: number = 8;

  @IsOptional()
  @IsString()
  PUBLIC_BASE_URL?: string;

  @IsInt()
  @Min(200)
  @Max(3_600_000)
  SLA_SWEEP_EVERY_MS: number = 60_000;

  /** When unanswered surveys are reminded, after they are sent: working days (`1,3`) or ISO 8601 durations (`PT1S,PT2S`). */
  @Matches(SURVEY_SPANS, { message: 'SURVEY_REMINDERS must be a comma-separated list of working days or ISO 8601 durations' })
  SURVEY_REMINDERS: string = '1,3';

  /** How long a survey stays open before it is recorded as no response: working days (`5`) or a duration (`PT4S`). */
  @Matches(SURVEY_SPAN, { message: 'SURVEY_WINDOW must be a number of working days or an ISO 8601 duration' })
  SURVEY_WINDOW: string = '5';

  @IsInt()
  @Min(1000)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS: number = 30_000;

  /** Delay before the first webhook retry; each later retry waits twice as long. */
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  WEBHOOK_BACKOFF_MS: number = 2000;
}

/**
 * The validated environment, or an error naming every bad variable. In production a guessable
 * JWT_SECRET is one: an example value of the files under `root` (the working directory) or
 * shipped with the code, or one of little variety (see jwt-secret.ts).
 */
export function validateEnv(raw: Record<string, unknown>, root = process.cwd()): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, raw, { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ') || 'invalid'}`);
  if (env.NODE_ENV === 'production' && typeof env.JWT_SECRET === 'string' && !errors.some((e) => e.property === 'JWT_SECRET')) {
    const problem = productionSecretProblem(env.JWT_SECRET, root);
    if (problem) lines.push(`  JWT_SECRET: ${problem}`);
  }
  if (lines.length > 0) {
    throw new Error(`Invalid environment configuration:\n${lines.join('\n')}\nSee .env.example.`);
  }
  return env;
}
