import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:3917';
const [, , user, ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [device, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 800 }]]) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: device === 'phone' });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log('console error:', m.text()));
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await page.goto(base + '/login');
  await page.getByRole('button', { name: '登录' }).waitFor();
  await page.screenshot({ path: `/tmp/shots/login-${device}.png`, fullPage: true });
  if (user) {
    await page.getByLabel('用户名').fill(user);
    await page.getByLabel('密码').fill('demo-' + user);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForTimeout(2500);
    await page.screenshot({ path: `/tmp/shots/after-${device}.png`, fullPage: true });
    for (const p of paths) {
      await page.goto(base + p);
      await page.waitForTimeout(2500);
      await page.screenshot({ path: `/tmp/shots/${p.replace(/\W/g, '_')}-${device}.png`, fullPage: true });
    }
  }
  await context.close();
}
await browser.close();
