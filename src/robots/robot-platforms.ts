/**
 * What each platform's custom group robot documents (README "Robot channels" links the pages):
 * its official host, message size limit, rate limit and the error codes that mean "later"
 * rather than "never".
 */
export const ROBOT_PLATFORMS = ['wecom', 'dingtalk', 'feishu'] as const;
export type RobotPlatform = (typeof ROBOT_PLATFORMS)[number];

export interface PlatformRules {
  /** Webhook URLs must be https on this host (tests may use loopback: WEBHOOK_ALLOW_LOOPBACK). */
  host: string;
  /** The path every webhook URL of the platform has. */
  path: RegExp;
  /** Whether the platform signs requests with a secret (WeCom's only credential is the URL's key). */
  signed: boolean;
  /** Messages per robot per minute. */
  perMinute: number;
  /** Messages per robot per second, where the platform limits that too. */
  perSecond?: number;
  /** Answer codes meaning the robot is throttled or the platform is busy: retried later. */
  retryableCodes: readonly number[];
}

export const PLATFORM_RULES: Record<RobotPlatform, PlatformRules> = {
  wecom: {
    host: 'qyapi.weixin.qq.com',
    path: /^\/cgi-bin\/webhook\/send$/,
    signed: false,
    perMinute: 20,
    // 45009: API frequency limit; -1: system busy.
    retryableCodes: [45009, -1],
  },
  dingtalk: {
    host: 'oapi.dingtalk.com',
    path: /^\/robot\/send$/,
    signed: true,
    perMinute: 20,
    // 130101: "send too fast, exceed 20 times per minute" (throttled for 10 minutes); 410100: sent too fast; -1: busy.
    retryableCodes: [130101, 410100, -1],
  },
  feishu: {
    host: 'open.feishu.cn',
    path: /^\/open-apis\/bot\/v2\/hook\/[A-Za-z0-9-]+$/,
    signed: true,
    // 100 a minute and 5 a second per robot.
    perMinute: 100,
    perSecond: 5,
    // 11232: frequency limited; 99991400: the open platform's own rate limit (with HTTP 429).
    // 9499 is "Bad Request" (body over 20 KB or malformed): not retried.
    retryableCodes: [11232, 99991400],
  },
};

/** WeCom markdown content: at most 4096 bytes of UTF-8. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
/** WeCom text content (the mention message): at most 2048 bytes. */
export const WECOM_TEXT_MAX_BYTES = 2048;
/** DingTalk markdown text: kept to 20,000 bytes (the limit DingTalk documents for message content). */
export const DINGTALK_MARKDOWN_MAX_BYTES = 20_000;
/** Feishu: the whole request body at most 20 KB; the card's text gets what the envelope leaves. */
export const FEISHU_BODY_MAX_BYTES = 20 * 1024;
