import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AppProcess } from './app-process';
import { DESKTOP, launchChromium as launch, PHONE } from './chromium';
import type { ClonedDatabase } from './databases';
import { deleteQueueKeys } from './test-app';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'browser');

export { DESKTOP, PHONE, SMALL_PHONE } from './chromium';

export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return launch();
}

/** A Chinese-locale context at Shanghai time: a touch phone, or a desktop window. */
export async function openContext(browser: Browser, device: 'phone' | 'desktop'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(
    device === 'phone'
      ? { viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
      : { viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' },
  );
  return { context, page: await context.newPage() };
}

/** The little of the DOM the settle check reads (the Node typecheck has no DOM types). */
interface AnimatedDocument {
  getAnimations(): { playState: string; effect: { getTiming(): { iterations?: number } } | null }[];
}

/** Runs in the page: no finite animation still running. */
const settled = () =>
  (globalThis as unknown as { document: AnimatedDocument }).document
    .getAnimations()
    .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity);

/**
 * axe-core on the page once it has settled: no serious or critical violation. Finite animations
 * (a dialog zooming in, a button fading) are waited out first: mid-fade, colours are half-blended
 * and axe would judge a frame nobody reads.
 */
export async function expectNoSeriousViolations(page: Page): Promise<void> {
  await page.waitForFunction(settled);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** A screenshot into test-results/browser/: the full page, or the viewport (a dialog's mask covers only that). */
export const shoot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });

/** A browser file's teardown: Chromium, the app, its database and its queue keys. */
export async function stopAll(parts: { browser?: Browser; app?: AppProcess; database?: ClonedDatabase; queuePrefix: string }): Promise<void> {
  await parts.browser?.close();
  await parts.app?.stop();
  await parts.database?.drop();
  await deleteQueueKeys(parts.queuePrefix);
}
