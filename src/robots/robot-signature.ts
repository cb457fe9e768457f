import { createHmac } from 'node:crypto';

/**
 * DingTalk custom robot "加签": base64(HMAC-SHA256 keyed with the secret over
 * `${timestamp}\n${secret}`), timestamp in milliseconds, sent URL-encoded as `sign`.
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/** The DingTalk webhook URL with `timestamp` and `sign` added (the access token stays as given). */
export function dingtalkSignedUrl(webhookUrl: string, secret: string, timestampMs: number): string {
  const url = new URL(webhookUrl);
  url.searchParams.set('timestamp', String(timestampMs));
  url.searchParams.set('sign', dingtalkSign(secret, timestampMs));
  return url.toString();
}

/**
 * Feishu custom bot "签名校验": base64(HMAC-SHA256 keyed with `${timestamp}\n${secret}` over an
 * empty message), timestamp in seconds, sent in the body as `timestamp` and `sign`.
 */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}
