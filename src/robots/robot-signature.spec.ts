import { describe, expect, it } from '@jest/globals';
import { dingtalkSign, dingtalkSignedUrl, feishuSign } from './robot-signature';

// Expected values computed with the platforms' own published Python samples (README links them):
// DingTalk: base64(hmac.new(secret, f"{timestamp}\n{secret}", sha256)); Feishu: base64(hmac.new(f"{timestamp}\n{secret}", b"", sha256)).
describe('robot signatures', () => {
  it('DingTalk: HMAC-SHA256 keyed with the secret over "timestamp\\nsecret", base64', () => {
    expect(dingtalkSign('this is secret', 1577262236757)).toBe('hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=');
  });

  it('DingTalk: the URL keeps the access token and carries timestamp and the URL-encoded sign', () => {
    const url = dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=abc123', 'this is secret', 1577262236757);
    expect(url).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1577262236757&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D',
    );
    expect(new URL(url).searchParams.get('sign')).toBe(dingtalkSign('this is secret', 1577262236757));
  });

  it('Feishu: HMAC-SHA256 keyed with "timestamp\\nsecret" over an empty message, base64 (seconds)', () => {
    expect(feishuSign('qwerty', 1599360473)).toBe('Bnu7qoTZlooUzPgVWNtXJjS3B9WqnXCuK1qLyCCNPDw=');
    expect(feishuSign('qwerty', 1599360474)).not.toBe(feishuSign('qwerty', 1599360473));
  });
});
