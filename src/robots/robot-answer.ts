import { PLATFORM_RULES, type RobotPlatform } from './robot-platforms';

export interface RobotOutcome {
  ok: boolean;
  /** Retrying may help (throttled, busy, 5xx, no answer); false means fix the channel first. */
  retryable: boolean;
  /** The platform's errcode/code, else the HTTP status, else null (never reached it). */
  code: number | null;
  /** Short, safe to show managers: the platform's own message, never the URL. */
  error: string | null;
}

const TRANSIENT_HTTP = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * What a platform's answer means. Each answers HTTP 200 with a JSON code (WeCom/DingTalk
 * `errcode`, Feishu `code`, 0 for success); a code other than 0 is a failure, retried only
 * when the platform documents it as throttling or busy (PLATFORM_RULES.retryableCodes).
 */
export function classifyAnswer(platform: RobotPlatform, statusCode: number, body: string): RobotOutcome {
  let parsed: Record<string, unknown> | null = null;
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === 'object') parsed = value as Record<string, unknown>;
  } catch {
    // Not JSON: judged by the HTTP status alone.
  }
  const rawCode = parsed ? (platform === 'feishu' ? (parsed.code ?? parsed.StatusCode) : parsed.errcode) : undefined;
  const message = parsed ? String((platform === 'feishu' ? (parsed.msg ?? parsed.StatusMessage) : parsed.errmsg) ?? '').slice(0, 200) : '';
  if (typeof rawCode === 'number') {
    if (rawCode === 0 && statusCode >= 200 && statusCode < 300) return { ok: true, retryable: false, code: 0, error: null };
    if (rawCode !== 0) {
      return { ok: false, retryable: PLATFORM_RULES[platform].retryableCodes.includes(rawCode), code: rawCode, error: message || `code ${rawCode}` };
    }
  }
  if (statusCode < 200 || statusCode >= 300) {
    return { ok: false, retryable: TRANSIENT_HTTP.has(statusCode) || statusCode >= 500, code: statusCode, error: `HTTP ${statusCode}` };
  }
  // 2xx without a code: not the platform's documented answer (a proxy's page, say); try again later.
  return { ok: false, retryable: true, code: statusCode, error: 'The answer had no result code' };
}
