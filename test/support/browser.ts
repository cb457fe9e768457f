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

/** axe-core on the page as it is now: no serious or critical violation. */
export async function expectNoSeriousViolations(page: Page): Promise<void> {
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
