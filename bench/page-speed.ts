import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type ApiClient, createApiClient } from '../clients/api';
import { type AppProcess, startAppProcess } from '../test/support/app-process';
import { DESKTOP, launchChromium, PHONE } from '../test/support/chromium';
import { PASSWORD } from '../test/support/fixtures';
import { deleteQueueKeys } from '../test/support/test-app';
import { uniqueQueuePrefix } from './support';

/**
 * Lighthouse's "slow 4G" (issue 15): 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip. CDP
 * takes bytes per second and adds the latency to every request.
 */
export const SLOW_4G = { latencyMs: 150, downloadBytesPerSecond: 1_600_000 / 8, uploadBytesPerSecond: 750_000 / 8 };
/** A mid-range phone's CPU against this machine's: the 4× slowdown Lighthouse applies too. */
export const CPU_SLOWDOWN = 4;

export const PHONE_CONTEXT = { viewport: PHONE, isMobile: true, hasTouch: true };
export const DESKTOP_CONTEXT = { viewport: DESKTOP };

/**
 * The built app as its own process on `databaseUrl` and Chromium, for the length of `measure`;
 * both stopped (and the app's queue keys deleted) however it ends.
 */
export async function withAppAndChromium<T>(
  role: 'api' | 'all',
  databaseUrl: string,
  measure: (app: AppProcess, browser: Browser) => Promise<T>,
): Promise<T> {
  const queuePrefix = uniqueQueuePrefix('pages');
  const app = await startAppProcess({ role, databaseUrl, queuePrefix });
  const browser = await launchChromium();
  try {
    return await measure(app, browser);
  } finally {
    await browser.close();
    await app.stop();
    await deleteQueueKeys(queuePrefix);
  }
}

/** A user of the seeded database signed in through the API: a typed client and the token. */
export async function signIn(app: AppProcess, username: string): Promise<{ client: ApiClient; token: string }> {
  const { data, error } = await createApiClient(app.baseUrl!).POST('/api/v1/auth/login', { body: { username, password: PASSWORD } });
  if (!data) throw new Error(`login of ${username} failed: ${error?.code}`);
  return { client: createApiClient(app.baseUrl!, data.accessToken), token: data.accessToken };
}

export interface Throttling {
  network: typeof SLOW_4G | null;
  cpuSlowdown: number;
}

/**
 * A context of its own (so a cold HTTP cache and new connections) with one page, throttled
 * through a CDP session before anything loads.
 */
export async function throttledPage(
  browser: Browser,
  { network, cpuSlowdown }: Throttling,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  if (network) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: network.latencyMs,
      downloadThroughput: network.downloadBytesPerSecond,
      uploadThroughput: network.uploadBytesPerSecond,
    });
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  return { context, page };
}

export interface Paint {
  ms: number;
  /** What was painted, e.g. `h2 "厂区外道路破损…"`, so a figure can be read against the page. */
  element: string;
}

/**
 * The page's Largest Contentful Paint so far: the last candidate of a buffered
 * PerformanceObserver, as web-vitals reads it. Plain JavaScript: it runs in the page, and
 * the server's TypeScript has no DOM types.
 */
const READ_LCP = `new Promise((resolve) => {
  const describe = (el) => el ? el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') + ' "' + (el.textContent || '').trim().slice(0, 24) + '"' : '(removed)';
  new PerformanceObserver((list, observer) => {
    const last = list.getEntries().at(-1);
    observer.disconnect();
    resolve({ ms: last.startTime, element: describe(last.element) });
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  setTimeout(() => resolve(null), 2000);
})`;

export async function largestContentfulPaint(page: Page): Promise<Paint> {
  const paint = await page.evaluate<Paint | null>(READ_LCP);
  if (!paint) throw new Error(`No largest-contentful-paint entry for ${page.url()}`);
  return paint;
}

/**
 * Request to last byte of the document, from Navigation Timing: at least the emulated round
 * trip when the network profile took effect (Chromium delays the body, not the headers), so a
 * check that the CDP throttling applied.
 */
export const documentFetchMs = (page: Page): Promise<number> =>
  page.evaluate<number>(`(() => { const n = performance.getEntriesByType('navigation')[0]; return n.responseEnd - n.requestStart; })()`);

/** Bytes the page fetched over the wire (headers excluded), by Resource and Navigation Timing. */
export const transferredBytes = (page: Page): Promise<number> =>
  page.evaluate<number>(
    `[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce((sum, e) => sum + e.encodedBodySize, 0)`,
  );

export const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

export function medianAndWorst(values: number[]): { median: number; worst: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, worst: sorted[sorted.length - 1] };
}
