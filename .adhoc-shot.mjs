import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:3917';
const [, , tokenFile, ...paths] = process.argv;
const token = readFileSync(tokenFile, 'utf8').trim();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [device, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 800 }]]) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: device === 'phone' });
  await context.addInitScript(`localStorage.setItem('demand-desk.token', ${JSON.stringify(token)})`);
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log('console error:', m.text()));
  page.on('pageerror', (e) => console.log('page error:', e.message));
  for (const p of paths) {
    await page.goto(base + p);
    await page.waitForTimeout(2500);
    await page.screenshot({ path: `/tmp/shots/${p.replace(/\W/g, '_').slice(0, 20)}-${device}.png`, fullPage: true });
  }
  await context.close();
}
await browser.close();
