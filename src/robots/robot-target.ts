import { classifyAddress, type TargetPolicy } from '../notifications/webhook-target';
import { PLATFORM_RULES, type RobotPlatform } from './robot-platforms';

/** The part of a robot's webhook URL that is its credential: WeCom's `key`, DingTalk's `access_token`, Feishu's hook id. */
function credentialOf(platform: RobotPlatform, url: URL): string | null {
  if (platform === 'wecom') return url.searchParams.get('key');
  if (platform === 'dingtalk') return url.searchParams.get('access_token');
  return url.pathname.split('/').pop() || null;
}

const isLoopbackHost = (hostname: string) => {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || ((host.includes('.') || host.includes(':')) && /^[0-9a-f.:]+$/i.test(host) && classifyAddress(host) === 'loopback');
};

/**
 * Why `webhookUrl` cannot be `platform`'s robot, or null when it can: https on the platform's
 * official host with its path and credential. A loopback host is taken only where the webhook
 * policy allows loopback (WEBHOOK_ALLOW_LOOPBACK: tests, never production), for fake servers.
 */
export function robotUrlRefusal(platform: RobotPlatform, webhookUrl: string, policy: TargetPolicy): string | null {
  const rules = PLATFORM_RULES[platform];
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    return 'not a URL';
  }
  const official = url.protocol === 'https:' && url.hostname === rules.host && url.port === '';
  const testHost = policy.allowLoopback && (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  if (!official && !testHost) return `a ${platform} robot is reached at https://${rules.host} only`;
  if (url.username || url.password || url.hash) return 'must not carry user info or a fragment';
  if (!rules.path.test(url.pathname)) return `not the path of a ${platform} robot webhook`;
  if (!credentialOf(platform, url)) return `the ${platform === 'wecom' ? 'key' : 'access_token'} is missing`;
  return null;
}

/** The URL with its credential masked (first and last 4 characters kept), for API answers. */
export function maskedRobotUrl(platform: RobotPlatform, webhookUrl: string): string {
  const url = new URL(webhookUrl);
  const credential = credentialOf(platform, url) ?? '';
  const masked = credential.length > 12 ? `${credential.slice(0, 4)}****${credential.slice(-4)}` : '****';
  if (platform === 'feishu') {
    url.pathname = url.pathname.replace(/[^/]+$/, masked);
    return url.toString();
  }
  url.searchParams.set(platform === 'wecom' ? 'key' : 'access_token', masked);
  // Other query parameters are nobody's business either.
  for (const name of [...url.searchParams.keys()]) if (name !== 'key' && name !== 'access_token') url.searchParams.delete(name);
  return url.toString().replace(/%2A/g, '*');
}
