import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Route } from 'playwright-core';
import { type ApiClient, createApiClient } from '../../clients/api';
import { hashPassword } from '../../src/users/users.service';
import { type AppProcess, startAppProcess } from '../support/app-process';
import { DESKTOP, expectNoSeriousViolations, launchChromium, openContext, stopAll, PHONE, shoot, SMALL_PHONE } from '../support/browser';
import { type ClonedDatabase, cloneTemplateDatabase, withDatabase } from '../support/databases';
import { PASSWORD, surveyTokenOf, validCreditCode } from '../support/fixtures';
import { until } from '../support/polling';

const PUBLIC_BASE_URL = 'https://desk.example.test';

describe('the survey page an enterprise opens from its link, in Chromium, against the built app', () => {
  let database: ClonedDatabase;
  let app: AppProcess;
  let browser: Browser;
  let officer: ApiClient;
  let handler: ApiClient;
  let enterpriseId: string;
  const queuePrefix = `browser_${randomBytes(4).toString('hex')}`;

  async function signIn(username: string): Promise<ApiClient> {
    const { data, error } = await createApiClient(app.baseUrl!).POST('/api/v1/auth/login', { body: { username, password: PASSWORD } });
    if (!data) throw new Error(`login failed: ${error?.code}`);
    return createApiClient(app.baseUrl!, data.accessToken);
  }

  /** A demand filed and resolved through the API; returns it with the survey link its officer received. */
  async function resolvedDemand(title: string, resolution: string): Promise<{ id: string; link: string }> {
    const filed = await officer.POST('/api/v1/tickets', { body: { enterpriseId, category: 'land', title, channel: 'online' } });
    if (!filed.data) throw new Error(`filing refused: ${filed.error?.detail}`);
    const { id } = filed.data;
    const resolved = await handler.POST('/api/v1/tickets/{id}/resolve', { params: { path: { id } }, body: { resolution } });
    if (!resolved.data) throw new Error(`resolution refused: ${resolved.error?.detail}`);
    const link = await until('the survey link in the officer inbox', async () => {
      const inbox = await officer.GET('/api/v1/notifications', { params: { query: { limit: 100 } } });
      const sent = inbox.data?.items.find((n) => n.ticketId === id && n.type === 'survey.sent');
      return typeof sent?.data.link === 'string' ? sent.data.link : undefined;
    });
    return { id, link };
  }

  /** The page behind a link, served by the app under test (the link itself names the public host). */
  const pageUrl = (link: string) => `${app.baseUrl}/s/${surveyTokenOf(link)}`;

  const phone = () => openContext(browser, 'phone');
  const ticketStatus = async (id: string) => (await officer.GET('/api/v1/tickets/{id}', { params: { path: { id } } })).data?.status;

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    const passwordHash = await hashPassword(PASSWORD);
    enterpriseId = await withDatabase(database.url, async (db) => {
      const [department] = (await db.query<{ id: string }>(`INSERT INTO departments (name, categories) VALUES ('自然资源局', $1) RETURNING id`, [['land']])).rows;
      const addUser = (username: string, role: string, departmentId: string | null) =>
        db.query(`INSERT INTO users (username, display_name, role, department_id, password_hash) VALUES ($1, $1, $2, $3, $4)`, [username, role, departmentId, passwordHash]);
      await addUser('b_officer', 'liaison_officer', null);
      await addUser('b_handler', 'department_handler', department.id);
      const [enterprise] = (
        await db.query<{ id: string }>(`INSERT INTO enterprises (name, credit_code, park) VALUES ('襄垣县新材料科技有限公司', $1, '襄垣经开区') RETURNING id`, [
          validCreditCode(988_000_001),
        ])
      ).rows;
      return enterprise.id;
    });
    app = await startAppProcess({
      role: 'all',
      databaseUrl: database.url,
      queuePrefix,
      // A window that stays open for the whole file; links name the public host, not the test's.
      env: { SURVEY_REMINDERS: 'PT1H', SURVEY_WINDOW: 'PT2H', PUBLIC_BASE_URL },
    });
    officer = await signIn('b_officer');
    handler = await signIn('b_handler');
    browser = await launchChromium();
  }, 120_000);

  afterAll(() => stopAll({ browser, app, database, queuePrefix }), 60_000);

  it('shows the demand on a phone; 不满意 reopens it; the used link then says so', async () => {
    const { id, link } = await resolvedDemand('厂区外道路破损影响货车通行', '已协调交通运输局完成路面修补，并增设限速标志。');
    expect(link.startsWith(`${PUBLIC_BASE_URL}/s/`)).toBe(true);
    const { context, page } = await phone();
    await page.goto(pageUrl(link));

    await page.getByRole('heading', { name: '厂区外道路破损影响货车通行' }).waitFor();
    const text = await page.locator('main').innerText();
    for (const shown of ['襄垣县新材料科技有限公司', '已协调交通运输局完成路面修补', '自然资源局', '诉求编号']) expect(text).toContain(shown);
    expect(await page.locator('.zone').innerText()).toBe('襄垣经开区');
    // Large touch targets: every choice and the button are at least 48 px tall and span the card.
    for (const target of [...(await page.locator('label.choice').all()), page.getByRole('button', { name: '提交评价' })]) {
      const box = await target.boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(48);
      expect(box!.width).toBeGreaterThan(300);
    }
    await expectNoSeriousViolations(page);
    await shoot(page, 'survey-phone-390x844');

    // Readable at 320 px: nothing wider than the screen.
    await page.setViewportSize(SMALL_PHONE);
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(SMALL_PHONE.width);
    await shoot(page, 'survey-phone-320');
    await page.setViewportSize(DESKTOP);
    await shoot(page, 'survey-desktop-1280x800');
    await page.setViewportSize(PHONE);

    await page.getByText('不满意', { exact: true }).click();
    await page.getByLabel('意见或建议').fill('路面修补后仍有积水，希望再处理一次。');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByRole('heading', { name: '提交成功，感谢您的评价' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('重新交办');
    await expectNoSeriousViolations(page);
    await shoot(page, 'survey-answered-phone');

    // Checked through the API: the demand is reopened and the round records the answer.
    expect(await ticketStatus(id)).toBe('reopened');
    const rounds = await officer.GET('/api/v1/tickets/{id}/surveys', { params: { path: { id } } });
    expect(rounds.data?.map((r) => [r.answer, r.comment, r.channel])).toEqual([['unsatisfied', '路面修补后仍有积水，希望再处理一次。', 'link']]);

    await page.reload();
    await page.getByRole('heading', { name: '此回访已完成评价' }).waitFor();
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    await shoot(page, 'survey-used-phone');
    await context.close();
  });

  /**
   * Opens the link on a phone whose first survey POST goes through `firstPost` (the rest go
   * through untouched), then picks `choice` and submits; returns the page and a POST counter.
   */
  async function answerOverFlakyNetwork(link: string, choice: string, firstPost: (route: Route) => Promise<void>) {
    const { context, page } = await phone();
    let posts = 0;
    await page.route('**/api/v1/surveys/*', async (route) => {
      if (route.request().method() !== 'POST' || ++posts > 1) return route.continue();
      return firstPost(route);
    });
    await page.goto(pageUrl(link));
    await page.getByText(choice, { exact: true }).click();
    await page.getByRole('button', { name: '提交评价' }).click();
    return { context, page, posts: () => posts };
  }

  it('keeps the answer when the network drops before it reaches the server, says so, and retries it', async () => {
    const { id, link } = await resolvedDemand('变压器增容申请', '供电公司已完成 800 kVA 增容并通电。');
    const { context, page, posts } = await answerOverFlakyNetwork(link, '基本满意', (route) => route.abort('internetdisconnected'));

    await page.getByText('网络不稳定，您的评价已保留，正在自动重新提交').waitFor();
    await shoot(page, 'survey-retrying-phone');
    await page.getByRole('heading', { name: '提交成功，感谢您的评价' }).waitFor();
    expect(posts()).toBe(2);
    expect(await ticketStatus(id)).toBe('closed');
    await context.close();
  });

  it('counts an answer whose reply was lost once: the retry finds it recorded and thanks the enterprise', async () => {
    const { id, link } = await resolvedDemand('招工信息发布', '人社局已在公共招聘平台发布岗位信息。');
    const { context, page, posts } = await answerOverFlakyNetwork(link, '满意', async (route) => {
      // The server records the answer; the connection drops before the reply reaches the phone.
      await route.fetch();
      await route.abort('connectionreset');
    });

    await page.getByRole('heading', { name: '提交成功，感谢您的评价' }).waitFor();
    expect(posts()).toBe(2);
    expect(await ticketStatus(id)).toBe('closed');
    const rounds = await officer.GET('/api/v1/tickets/{id}/surveys', { params: { path: { id } } });
    expect(rounds.data?.map((r) => r.answer)).toEqual(['satisfied']);
    await context.close();
  });

  it('says plainly that a link whose answering window has passed has expired, with no form', async () => {
    const { id, link } = await resolvedDemand('排水管网接入', '住建局已完成排水管网接入。');
    // The window closes: the survey's deadline is moved into the past, as time would.
    await withDatabase(database.url, (db) => db.query(`UPDATE surveys SET expires_at = now() - interval '1 minute' WHERE ticket_id = $1`, [id]));
    const { context, page } = await phone();
    await page.goto(pageUrl(link));
    await page.getByRole('heading', { name: '回访链接已过期' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('联络员');
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    await expectNoSeriousViolations(page);
    await shoot(page, 'survey-expired-phone');
    await context.close();
  });

  it('says plainly that a forged or garbled link is not valid', async () => {
    const { context, page } = await phone();
    for (const path of ['/s/eyJhbGciOiJIUzI1NiJ9.eyJwdXJwb3NlIjoic3VydmV5In0.forged', '/s/not-a-link']) {
      await page.goto(`${app.baseUrl}${path}`);
      await page.getByRole('heading', { name: '链接无效' }).waitFor();
    }
    await expectNoSeriousViolations(page);
    await shoot(page, 'survey-unknown-phone');
    await context.close();
  });

  it('serves the API, probes and docs as before beside the pages', async () => {
    const base = app.baseUrl!;
    const unknownApi = await fetch(`${base}/api/v1/no-such-route`);
    expect([unknownApi.status, unknownApi.headers.get('content-type')]).toEqual([404, 'application/problem+json; charset=utf-8']);
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/docs-json`)).headers.get('content-type')).toContain('application/json');
    const page = await fetch(`${base}/s/anything`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('诉求办理满意度回访');
    // A console route the server does not know is the console's page, for client-side routing.
    expect(await (await fetch(`${base}/queue/mine`)).text()).toContain('企业诉求服务平台');
  });
});
