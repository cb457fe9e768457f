import { isIP } from 'node:net';
import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateBy,
  ValidatorConstraint,
  validateSync,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { SMS_PROVIDERS, type SmsProviderName } from '../sms/sms-provider';
import { parseSpan, parseSpans } from '../surveys/survey-schedule';
import { productionSecretProblem } from './jwt-secret';

/** `true` or `false` (implicit conversion would read the string "false" as true). */
const EnvBoolean = () =>
  applyDecorators(
    Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
      const raw = obj[key];
      return raw === undefined ? false : raw === 'true' || raw === true ? true : raw === 'false' || raw === false ? false : raw;
    }),
    IsBoolean({ message: '$property must be true or false' }),
  );

/** Valid when `parse` accepts the text (the same parser reads it at run time, bounds included). */
const Parses = (parse: (text: string) => unknown, message: string) =>
  ValidateBy({
    name: 'parses',
    validator: {
      validate: (value: unknown) => {
        try {
          return typeof value === 'string' && (parse(value), true);
        } catch {
          return false;
        }
      },
      defaultMessage: () => message,
    },
  });

/** An HTTP server timeout: 1 s to 10 min. */
const HttpTimeout = () => applyDecorators(IsInt(), Min(1000), Max(600_000));

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
  @Parses(parseSpans, 'SURVEY_REMINDERS must be a comma-separated list of working days (at most 365) or ISO 8601 durations (at most 366 days)')
  SURVEY_REMINDERS: string = '1,3';

  /** How long a survey stays open before it is recorded as no response: working days (`5`) or a duration (`PT4S`). */
  @Parses(parseSpan, 'SURVEY_WINDOW must be a number of working days (at most 365) or an ISO 8601 duration (at most 366 days)')
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

  /** Delay before a robot message's first retry; each later retry waits twice as long (8 attempts: about an hour at 30 s). */
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  ROBOT_BACKOFF_MS: number = 30_000;

  /**
   * How long an idle keep-alive connection stays open. Longer than clients' and load balancers'
   * own idle timeouts (often 60 s): when the server closes first, a request the client sends on
   * the closing socket ends in ECONNRESET.
   */
  @HttpTimeout()
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 65_000;

  /** Longest wait for a request's headers; longer than the keep-alive timeout (see validateEnv). */
  @HttpTimeout()
  HTTP_HEADERS_TIMEOUT_MS: number = 66_000;

  /** Longest wait for a whole request (headers and body), so a slow client cannot hold a socket. */
  @HttpTimeout()
  HTTP_REQUEST_TIMEOUT_MS: number = 90_000;

  /** Webhooks may target private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): intranet relays. */
  @EnvBoolean()
  WEBHOOK_ALLOW_PRIVATE: boolean = false;

  /** Webhooks may target this machine (127/8, ::1, localhost): for tests only, refused in production. */
  @EnvBoolean()
  WEBHOOK_ALLOW_LOOPBACK: boolean = false;

  /** Who sends survey links by SMS: `none` (the link stays in the inboxes), `aliyun` or `tencent`, each needing its variables below. */
  @IsIn(SMS_PROVIDERS)
  SMS_PROVIDER: SmsProviderName = 'none';

  @IsOptional()
  @IsString()
  ALIYUN_SMS_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  ALIYUN_SMS_ACCESS_KEY_SECRET?: string;

  /** The approved sign name (签名), e.g. 襄垣经开区. */
  @IsOptional()
  @IsString()
  ALIYUN_SMS_SIGN_NAME?: string;

  /** The approved template's code, SMS_123456789, with variables ${zone}, ${number}, ${link}. */
  @IsOptional()
  @Matches(/^SMS_\d+$/, { message: 'ALIYUN_SMS_TEMPLATE_CODE must look like SMS_123456789' })
  ALIYUN_SMS_TEMPLATE_CODE?: string;

  @Matches(/^https?:\/\/[^/?#]+\/?$/, { message: 'ALIYUN_SMS_ENDPOINT must be an http(s) origin' })
  ALIYUN_SMS_ENDPOINT: string = 'https://dysmsapi.aliyuncs.com';

  @IsOptional()
  @IsString()
  TENCENT_SMS_SECRET_ID?: string;

  @IsOptional()
  @IsString()
  TENCENT_SMS_SECRET_KEY?: string;

  /** The SMS application's SdkAppId, 1400006666. */
  @IsOptional()
  @Matches(/^\d+$/, { message: 'TENCENT_SMS_SDK_APP_ID must be digits' })
  TENCENT_SMS_SDK_APP_ID?: string;

  @IsOptional()
  @IsString()
  TENCENT_SMS_SIGN_NAME?: string;

  /** The approved template's id, with variables {1} zone, {2} demand number, {3} link. */
  @IsOptional()
  @Matches(/^\d+$/, { message: 'TENCENT_SMS_TEMPLATE_ID must be digits' })
  TENCENT_SMS_TEMPLATE_ID?: string;

  @Matches(/^[a-z]+-[a-z]+$/, { message: 'TENCENT_SMS_REGION must look like ap-guangzhou' })
  TENCENT_SMS_REGION: string = 'ap-guangzhou';

  @Matches(/^https?:\/\/[^/?#]+\/?$/, { message: 'TENCENT_SMS_ENDPOINT must be an http(s) origin' })
  TENCENT_SMS_ENDPOINT: string = 'https://sms.tencentcloudapi.com';

  /** Delay before the first retry of an SMS the platform answered with a transient error; each later retry waits twice as long. */
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  SMS_BACKOFF_MS: number = 5000;
}

/** What each SMS provider cannot work without; the others' variables may stay unset. */
const SMS_REQUIRED: Record<Exclude<SmsProviderName, 'none'>, (keyof EnvironmentVariables)[]> = {
  aliyun: ['ALIYUN_SMS_ACCESS_KEY_ID', 'ALIYUN_SMS_ACCESS_KEY_SECRET', 'ALIYUN_SMS_SIGN_NAME', 'ALIYUN_SMS_TEMPLATE_CODE'],
  tencent: ['TENCENT_SMS_SECRET_ID', 'TENCENT_SMS_SECRET_KEY', 'TENCENT_SMS_SDK_APP_ID', 'TENCENT_SMS_SIGN_NAME', 'TENCENT_SMS_TEMPLATE_ID'],
};

function smsFaults(env: EnvironmentVariables): string[] {
  if (env.SMS_PROVIDER === 'none') return [];
  const faults = SMS_REQUIRED[env.SMS_PROVIDER].filter((name) => !env[name]).map((name) => `  ${name}: required when SMS_PROVIDER=${env.SMS_PROVIDER}`);
  const endpoint = env.SMS_PROVIDER === 'aliyun' ? 'ALIYUN_SMS_ENDPOINT' : 'TENCENT_SMS_ENDPOINT';
  if (env.NODE_ENV === 'production' && !env[endpoint].startsWith('https://')) faults.push(`  ${endpoint}: must be https in production (it carries the signed request)`);
  return faults;
}

/**
 * Node's own rules for its HTTP timeouts: headers time out after the keep-alive idle time
 * (else an idle socket can be cut by the headers timer; nodejs/node#27363), and a request
 * timeout shorter than the headers one is refused by http.createServer.
 */
function timeoutOrderFaults(env: EnvironmentVariables): string[] {
  const faults: string[] = [];
  if (env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_KEEP_ALIVE_TIMEOUT_MS) {
    faults.push('  HTTP_HEADERS_TIMEOUT_MS: must be greater than HTTP_KEEP_ALIVE_TIMEOUT_MS');
  }
  if (env.HTTP_REQUEST_TIMEOUT_MS < env.HTTP_HEADERS_TIMEOUT_MS) {
    faults.push('  HTTP_REQUEST_TIMEOUT_MS: must be at least HTTP_HEADERS_TIMEOUT_MS');
  }
  return faults;
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
  if (errors.length === 0) lines.push(...timeoutOrderFaults(env), ...smsFaults(env));
  if (env.NODE_ENV === 'production' && env.WEBHOOK_ALLOW_LOOPBACK === true) {
    lines.push('  WEBHOOK_ALLOW_LOOPBACK: must not be true in production (webhooks could reach this machine)');
  }
  if (env.NODE_ENV === 'production' && typeof env.JWT_SECRET === 'string' && !errors.some((e) => e.property === 'JWT_SECRET')) {
    const problem = productionSecretProblem(env.JWT_SECRET, root);
    if (problem) lines.push(`  JWT_SECRET: ${problem}`);
  }
  if (lines.length > 0) {
    throw new Error(`Invalid environment configuration:\n${lines.join('\n')}\nSee .env.example.`);
  }
  return env;
}
