import type { Clock } from '../common/clock';

/** What a survey SMS says: the template's variables, in the platforms' own terms. */
export interface SmsMessage {
  /** Mainland mobile, 11 digits (no country code). */
  mobile: string;
  /** The enterprise's zone (园区), or a placeholder when none is recorded. */
  zone: string;
  /** The demand's number, 2026-000123. */
  number: string;
  /** The survey page: `${PUBLIC_BASE_URL}/s/{token}`. */
  link: string;
}

export type SmsOutcome =
  | { status: 'sent'; providerId: string | null }
  /** `transient`: worth retrying (the platform's own fault or throttle, the network); otherwise final (template, number, account). */
  | { status: 'failed'; code: string; message: string; transient: boolean };

export const SMS_PROVIDERS = ['none', 'aliyun', 'tencent'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

/** One platform's SendSms, with its configuration and the clock its signature dates requests by. */
export abstract class SmsProvider<C = unknown> {
  abstract readonly name: Exclude<SmsProviderName, 'none'>;

  constructor(
    protected readonly config: C,
    protected readonly clock: Clock,
  ) {}

  abstract send(message: SmsMessage): Promise<SmsOutcome>;
}

/** How long one call to a platform may take; SendSms answers in well under a second. */
export const SMS_TIMEOUT_MS = 10_000;

/** POSTs and reads a JSON answer; a network failure, a timeout or a body that is not JSON is a transient outcome. */
export async function callJson(url: string, init: { headers: Record<string, string>; body: string }): Promise<{ status: number; json: unknown } | SmsOutcome> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(SMS_TIMEOUT_MS) });
  } catch (error) {
    return { status: 'failed', code: 'network', message: (error as Error).message, transient: true };
  }
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) as unknown };
  } catch {
    return { status: 'failed', code: `http_${response.status}`, message: text.slice(0, 200), transient: response.status >= 500 || response.status === 429 };
  }
}

export const isOutcome = (value: { status: number | string }): value is SmsOutcome => typeof value.status === 'string';
