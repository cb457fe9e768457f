import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { trustProxySetting, validateEnv } from './env.validation';
import { SHIPPED_EXAMPLE_SECRETS } from './jwt-secret';

const SECRET = 'x'.repeat(32);

describe('validateEnv', () => {
  it('applies defaults and converts numbers', () => {
    const env = validateEnv({ JWT_SECRET: SECRET, PORT: '4000' });
    expect(env.PORT).toBe(4000);
    expect(env.APP_ROLE).toBe('all');
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\//);
  });

  it('names a missing variable', () => {
    expect(() => validateEnv({})).toThrow(/JWT_SECRET/);
  });

  it('names every malformed variable', () => {
    let message = '';
    try {
      validateEnv({ JWT_SECRET: SECRET, PORT: 'eighty', APP_ROLE: 'web', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/APP_ROLE/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).not.toMatch(/REDIS_URL/);
  });

  it('sends no SMS by default, and names what a chosen SMS provider still needs', () => {
    expect(validateEnv({ JWT_SECRET: SECRET }).SMS_PROVIDER).toBe('none');
    expect(() => validateEnv({ JWT_SECRET: SECRET, SMS_PROVIDER: 'aliyun', ALIYUN_SMS_ACCESS_KEY_ID: 'id' })).toThrow(
      /ALIYUN_SMS_ACCESS_KEY_SECRET: required when SMS_PROVIDER=aliyun\n.*ALIYUN_SMS_SIGN_NAME.*\n.*ALIYUN_SMS_TEMPLATE_CODE/,
    );
    expect(() => validateEnv({ JWT_SECRET: SECRET, SMS_PROVIDER: 'tencent' })).toThrow(/TENCENT_SMS_SECRET_ID: required/);
    expect(() => validateEnv({ JWT_SECRET: SECRET, SMS_PROVIDER: 'sms' })).toThrow(/SMS_PROVIDER/);
    const tencent = { SMS_PROVIDER: 'tencent', TENCENT_SMS_SECRET_ID: 'AKID', TENCENT_SMS_SECRET_KEY: 'key', TENCENT_SMS_SDK_APP_ID: '1400006666', TENCENT_SMS_SIGN_NAME: '经开区', TENCENT_SMS_TEMPLATE_ID: '1110' };
    expect(validateEnv({ JWT_SECRET: SECRET, ...tencent }).TENCENT_SMS_REGION).toBe('ap-guangzhou');
    expect(() => validateEnv({ JWT_SECRET: SECRET, ...tencent, TENCENT_SMS_TEMPLATE_ID: 'SMS_1' })).toThrow(/TENCENT_SMS_TEMPLATE_ID must be digits/);
    expect(() => validateEnv({ ...tencent, NODE_ENV: 'production', JWT_SECRET: 'Zq8#vP2m!Lr5@Tx9^Wc4&Hn7*Kb3%Jf6', TENCENT_SMS_ENDPOINT: 'http://127.0.0.1:9' })).toThrow(
      /TENCENT_SMS_ENDPOINT: must be https in production/,
    );
  });

  it('keeps the HTTP timeouts in the order Node needs: keep-alive < headers <= request', () => {
    const env = validateEnv({ JWT_SECRET: SECRET });
    expect([env.HTTP_KEEP_ALIVE_TIMEOUT_MS, env.HTTP_HEADERS_TIMEOUT_MS, env.HTTP_REQUEST_TIMEOUT_MS]).toEqual([65_000, 66_000, 90_000]);
    expect(() => validateEnv({ JWT_SECRET: SECRET, HTTP_KEEP_ALIVE_TIMEOUT_MS: '66000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS: must be greater than HTTP_KEEP_ALIVE_TIMEOUT_MS/,
    );
    expect(() => validateEnv({ JWT_SECRET: SECRET, HTTP_REQUEST_TIMEOUT_MS: '60000' })).toThrow(
      /HTTP_REQUEST_TIMEOUT_MS: must be at least HTTP_HEADERS_TIMEOUT_MS/,
    );
  });

  it('reads webhook target switches as true or false, and refuses loopback targets in production', () => {
    expect(validateEnv({ JWT_SECRET: SECRET })).toMatchObject({ WEBHOOK_ALLOW_PRIVATE: false, WEBHOOK_ALLOW_LOOPBACK: false });
    expect(validateEnv({ JWT_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_LOOPBACK: 'false' })).toMatchObject({
      WEBHOOK_ALLOW_PRIVATE: true,
      WEBHOOK_ALLOW_LOOPBACK: false,
    });
    expect(() => validateEnv({ JWT_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(validateEnv({ JWT_SECRET: SECRET, NODE_ENV: 'test', WEBHOOK_ALLOW_LOOPBACK: 'true' }).WEBHOOK_ALLOW_LOOPBACK).toBe(true);
    expect(() => validateEnv({ JWT_SECRET: SECRET, NODE_ENV: 'production', WEBHOOK_ALLOW_LOOPBACK: 'true' })).toThrow(
      /WEBHOOK_ALLOW_LOOPBACK/,
    );
  });

  it('bounds the survey spans', () => {
    expect(validateEnv({ JWT_SECRET: SECRET, SURVEY_REMINDERS: '1,3', SURVEY_WINDOW: 'PT4S' }).SURVEY_WINDOW).toBe('PT4S');
    expect(() => validateEnv({ JWT_SECRET: SECRET, SURVEY_WINDOW: 'P14285000W' })).toThrow(/SURVEY_WINDOW/);
    expect(() => validateEnv({ JWT_SECRET: SECRET, SURVEY_REMINDERS: '1,9999' })).toThrow(/SURVEY_REMINDERS/);
  });
});

describe('JWT_SECRET in production', () => {
  const RANDOM = 'q8Zr1vN0xKc4Lw7PbT2mYs9HdJf3GaUe';
  /** A directory holding `files`, standing in for the working directory the process starts in. */
  const root = (files: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-env-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  const failure = (env: Record<string, unknown>, dir = root()) => {
    try {
      validateEnv(env, dir);
    } catch (error) {
      return (error as Error).message;
    }
    return undefined;
  };
  const production = (secret: string) => ({ NODE_ENV: 'production', JWT_SECRET: secret });

  it('accepts a random secret', () => {
    expect(failure(production(RANDOM))).toBeUndefined();
  });

  it("refuses .env.example's value, whatever it is", () => {
    const secret = 'a-value-someone-put-in-the-example-0123456789';
    const dir = root({ '.env.example': `# Signs tokens\nNODE_ENV=development\nJWT_SECRET=${secret}\nJWT_TTL=8h\n` });
    expect(failure(production(secret), dir)).toMatch(/JWT_SECRET is the example value from \.env\.example/);
    expect(failure({ NODE_ENV: 'development', JWT_SECRET: secret }, dir)).toBeUndefined();
  });

  it("refuses docker-compose.yml's value, plain or as the default of ${JWT_SECRET:-…}", () => {
    const plain = 'compose-plain-value-abcdefghijklmnop-0123456789';
    const fallback = 'compose-default-value-abcdefghijklmnop-0123456789';
    const dir = root({
      'docker-compose.yml': `services:\n  api:\n    environment:\n      JWT_SECRET: "${plain}"\n  worker:\n    environment:\n      JWT_SECRET: \${JWT_SECRET:-${fallback}}\n`,
    });
    expect(failure(production(plain), dir)).toMatch(/JWT_SECRET is the example value from docker-compose\.yml/);
    expect(failure(production(fallback), dir)).toMatch(/JWT_SECRET is the example value from docker-compose\.yml/);
  });

  it('refuses the shipped examples without the files (the Docker image has neither)', () => {
    for (const secret of SHIPPED_EXAMPLE_SECRETS) {
      expect(failure(production(secret))).toMatch(/JWT_SECRET is an example value shipped with Demand Desk/);
    }
  });

  it("reads this repository's own example files", () => {
    // The repository root: the files' current values are refused even if the built-in list lags.
    const env = failure(production('dev-only-secret-change-me-0123456789abcdef'), process.cwd());
    expect(env).toMatch(/from \.env\.example/);
    const compose = failure(production('compose-only-secret-change-me-0123456789'), process.cwd());
    expect(compose).toMatch(/from docker-compose\.yml/);
  });

  it('refuses a short, low-variety or "change me" secret, with one line naming JWT_SECRET', () => {
    expect(failure(production('short-but-random-9Xq'))).toMatch(/JWT_SECRET must be at least 32 characters/);
    const repeated = failure(production('abababababababababababababababab12'));
    expect(repeated).toMatch(/JWT_SECRET has fewer than 10 distinct characters/);
    expect(repeated!.split('\n').filter((line) => line.includes('JWT_SECRET'))).toHaveLength(1);
    expect(failure(production('please-change-me-Xq81vNz0KcLw7PbT2mYs'))).toMatch(/change me/);
  });

  it('keeps development and test working with weak or example secrets', () => {
    for (const NODE_ENV of ['development', 'test']) {
      expect(failure({ NODE_ENV, JWT_SECRET: SHIPPED_EXAMPLE_SECRETS[0] }, process.cwd())).toBeUndefined();
      expect(failure({ NODE_ENV, JWT_SECRET: SECRET })).toBeUndefined();
    }
  });
});

describe('TRUST_PROXY', () => {
  const trustProxy = (value: string) => validateEnv({ JWT_SECRET: SECRET, TRUST_PROXY: value }).TRUST_PROXY;

  it('is off by default', () => {
    expect(trustProxySetting(validateEnv({ JWT_SECRET: SECRET }).TRUST_PROXY)).toBe(false);
  });

  it('takes a hop count or proxy addresses, CIDRs and range names', () => {
    expect(trustProxySetting(trustProxy('1'))).toBe(1);
    expect(trustProxySetting(trustProxy('10.0.0.0/8, 192.168.1.7,loopback,fd00::/8'))).toEqual(['10.0.0.0/8', '192.168.1.7', 'loopback', 'fd00::/8']);
  });

  it('refuses true (it believes any client) and anything that is not an address', () => {
    for (const value of ['true', 'yes', '10.0.0.0/33', '300.1.1.1', 'proxy.internal', '1.2.3.4/8/8', '']) {
      expect(() => trustProxy(value)).toThrow(/TRUST_PROXY/);
    }
  });
});
