import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type ApiClient, type components, createApiClient } from '../../clients/api';
import { hashPassword } from '../../src/users/users.service';
import { type AppProcess, startAppProcess } from '../support/app-process';
import { expectNoSeriousViolations, launchChromium, openContext, stopAll, PHONE, shoot } from '../support/browser';
import { type ClonedDatabase, cloneTemplateDatabase, withDatabase } from '../support/databases';
import { PASSWORD, validCreditCode } from '../support/fixtures';
import { until } from '../support/polling';

type Ticket = components['schemas']['TicketDto'];
type Category = Ticket['category'];

/** The key the console keeps its session under (web/src/console/api/session.ts). */
const TOKEN_KEY = 'demand-desk.token';
/** The actions the console has a form for; reopen and close belong to the survey loop. */
const CONSOLE_ACTIONS = ['start', 'pause', 'resume', 'return', 'resolve', 'extend', 'route'];

/**
 * Drill policies by category: power escalates to the deputy leader 8 s after intake (labor 5 s);
 * gas is warned (预警) 9 s in but not due for minutes; water runs through all three tiers in
 * 6 s. Land keeps the default policy (working days), so its tickets stay still during the file.
 */
const DRILLS: { category: Category; budgets: string[]; warnRatio: number }[] = [
  { category: 'power', budgets: ['PT8S', 'PT20M', 'PT30M'], warnRatio: 0.9 },
  { category: 'gas', budgets: ['PT3M', 'PT20M', 'PT30M'], warnRatio: 0.05 },
  { category: 'water', budgets: ['PT2S', 'PT4S', 'PT6S'], warnRatio: 0.5 },
  { category: 'labor', budgets: ['PT5S', 'PT20M', 'PT30M'], warnRatio: 0.9 },
];

describe('the console, in Chromium, against the built app', () => {
  let database: ClonedDatabase;
  let app: AppProcess;
  let browser: Browser;
  const clients = new Map<string, ApiClient>();
  const tokens = new Map<string, string>();
  let enterpriseId: string;
  const queuePrefix = `browser_console_${randomBytes(4).toString('hex')}`;

  async function apiSignIn(username: string, password = PASSWORD): Promise<ApiClient> {
    const { data, error } = await createApiClient(app.baseUrl!).POST('/api/v1/auth/login', { body: { username, password } });
    if (!data) throw new Error(`login of ${username} failed: ${error?.code}`);
    tokens.set(username, data.accessToken);
    const client = createApiClient(app.baseUrl!, data.accessToken);
    clients.set(username, client);
    return client;
  }
  const as = (username: string) => clients.get(username)!;

  /** A demand filed by the liaison officer through the API. */
  async function file(title: string, category: Category = 'land', description = ''): Promise<Ticket> {
    const { data, error } = await as('c_officer').POST('/api/v1/tickets', { body: { enterpriseId, category, title, description, channel: 'visit' } });
    if (!data) throw new Error(`filing refused: ${error?.detail}`);
    return data;
  }
  const ticketAs = async (username: string, id: string) => (await as(username).GET('/api/v1/tickets/{id}', { params: { path: { id } } })).data!;

  /** A context already signed in as `username` (the token the API gave, where the console keeps it). */
  async function signedIn(username: string, device: 'phone' | 'desktop' = 'desktop'): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await openContext(browser, device);
    await opened.context.addInitScript(`localStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(tokens.get(username))})`);
    return opened;
  }

  async function signInThroughForm(page: Page, username: string, password = PASSWORD): Promise<void> {
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
  }

  /** Started, paused for the enterprise, resumed, and extended by the deputy leader: a ticket page with a history to show. */
  async function withHistory(ticket: Ticket): Promise<Ticket> {
    const id = ticket.id;
    const current = async (username: string) => ({ path: { id }, header: { 'If-Match': `"${(await ticketAs(username, id)).version}"` } });
    const steps = [
      await as('c_handler').POST('/api/v1/tickets/{id}/start', { params: await current('c_handler') }),
      await as('c_handler').POST('/api/v1/tickets/{id}/pause', { params: await current('c_handler'), body: { reason: '待企业补充厂区道路平面图' } }),
      await as('c_officer').POST('/api/v1/tickets/{id}/resume', { params: await current('c_officer') }),
    ];
    const due = Date.parse((await ticketAs('c_deputy', id)).tier1DueAt!);
    steps.push(
      await as('c_deputy').POST('/api/v1/tickets/{id}/extend', {
        params: await current('c_deputy'),
        body: { reason: '需与供电公司协调线路，延长一个工作日', newDeadline: new Date(due + 86_400_000).toISOString() },
      }),
    );
    expect(steps.map((step) => step.response.status)).toEqual([200, 200, 200, 200]);
    return ticketAs('c_handler', id);
  }

  const queueReady = (page: Page) => page.locator('[data-queue-ready="true"]').waitFor();
  const queueRow = (page: Page, title: string) => page.getByTestId('queue-table').getByText(title, { exact: true });
  const bellCount = async (page: Page) => Number(await page.getByTestId('bell').getAttribute('data-unread'));
  const expectNoSidewaysScroll = async (page: Page) => expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  const shownActions = async (page: Page) =>
    (await page.getByTestId('ticket-actions').locator('[data-action]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action')!))).sort();

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    const passwordHash = await hashPassword(PASSWORD);
    enterpriseId = await withDatabase(database.url, async (db) => {
      const addUser = async (username: string, displayName: string, role: string, departmentId: string | null = null) =>
        (
          await db.query<{ id: string }>(`INSERT INTO users (username, display_name, role, department_id, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
            username,
            displayName,
            role,
            departmentId,
            passwordHash,
          ])
        ).rows[0].id;
      const deputy = await addUser('c_deputy', '张副主任', 'deputy_leader');
      const department = async (name: string, categories: Category[]) =>
        (await db.query<{ id: string }>(`INSERT INTO departments (name, categories, deputy_leader_id) VALUES ($1, $2, $3) RETURNING id`, [name, categories, deputy])).rows[0].id;
      const land = await department('自然资源和规划局', ['land', 'gas', 'water', 'labor']);
      const power = await department('供电服务中心', ['power']);
      await addUser('c_officer', '联络员 吴', 'liaison_officer');
      await addUser('c_handler', '自规局 赵科长', 'department_handler', land);
      await addUser('c_handler2', '自规局 钱科员', 'department_handler', land);
      await addUser('c_power', '供电中心 孙工', 'department_handler', power);
      await addUser('c_manager', '营商办 刘主任', 'manager');
      await addUser('c_principal', '管委会 王书记', 'principal_leader');
      const [enterprise] = (
        await db.query<{ id: string }>(`INSERT INTO enterprises (name, credit_code, park, is_key) VALUES ('襄垣县新材料科技有限公司', $1, '襄垣经开区', true) RETURNING id`, [
          validCreditCode(988_100_001),
        ])
      ).rows;
      return enterprise.id;
    });
    app = await startAppProcess({ role: 'all', databaseUrl: database.url, queuePrefix });
    for (const username of ['c_officer', 'c_handler', 'c_handler2', 'c_power', 'c_deputy', 'c_manager', 'c_principal']) await apiSignIn(username);
    const deputyId = (await as('c_deputy').GET('/api/v1/me')).data!.id;
    const paired = await as('c_manager').POST('/api/v1/pairings', { body: { leaderId: deputyId, enterpriseId } });
    expect(paired.response.status).toBe(201);
    for (const drill of DRILLS) {
      const made = await as('c_manager').POST('/api/v1/sla-policies', { body: { name: `演练-${drill.category}`, mode: 'duration', ...drill } });
      expect(made.response.status).toBe(201);
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(() => stopAll({ browser, app, database, queuePrefix }), 60_000);

  it('a handler signs in, finds a new demand in 我的待办, starts and resolves it; the session survives a reload, a revoked one returns to sign-in and back; sign-out', async () => {
    const ticket = await file('新建厂房用地规划许可咨询', 'land', '企业计划在园区东侧新建厂房，需咨询用地规划许可办理流程及所需材料。');
    const { context, page } = await openContext(browser, 'desktop');
    await page.goto(`${app.baseUrl}/`);
    await page.waitForURL(/\/login\?next=%2F/);

    // Wrong password first: said in Chinese, nothing else happens.
    await signInThroughForm(page, 'c_handler', 'wrong-password');
    await page.getByText('用户名或密码错误。').waitFor();
    await signInThroughForm(page, 'c_handler');
    await queueReady(page);
    expect(await page.getByTestId('current-user').innerText()).toContain('自规局 赵科长');
    await queueRow(page, ticket.title).click();

    await page.waitForURL(`**/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: ticket.title }).waitFor();
    await page.getByRole('button', { name: '开始办理' }).click();
    await page.getByRole('button', { name: '确认开始办理' }).click();
    await page.getByTestId('ticket-status').getByText('办理中').waitFor();
    expect((await ticketAs('c_handler', ticket.id)).status).toBe('in_progress');

    await page.getByRole('button', { name: '办结', exact: true }).click();
    await page.getByLabel('办理情况（做了什么、结果如何）').fill('已向企业说明用地规划许可办理流程，并现场指导准备申请材料。');
    await page.getByRole('button', { name: '添加附件链接' }).click();
    await page.getByLabel('附件名称').fill('办理指南');
    await page.getByLabel('附件链接').fill('https://example.gov.cn/guide.pdf');
    await page.getByRole('button', { name: '确认办结' }).click();
    await page.getByTestId('ticket-status').getByText('已办结').waitFor();
    const resolved = await ticketAs('c_handler', ticket.id);
    expect([resolved.status, resolved.resolution, resolved.resolutionAttachments.map((a) => a.url)]).toEqual([
      'resolved',
      '已向企业说明用地规划许可办理流程，并现场指导准备申请材料。',
      ['https://example.gov.cn/guide.pdf'],
    ]);
    const resolvedEvent = page.locator('.tl-item', { hasText: '办结' });
    await resolvedEvent.waitFor();
    expect(await resolvedEvent.innerText()).toContain('自规局 赵科长');
    expect(await page.getByRole('link', { name: '办理指南' }).getAttribute('href')).toBe('https://example.gov.cn/guide.pdf');

    // A reload keeps the session and the page.
    await page.reload();
    await page.getByRole('heading', { name: ticket.title }).waitFor();
    expect(page.url()).toContain(`/tickets/${ticket.id}`);

    // A password change (through the API) revokes the token the page holds: its next call
    // sends it to sign in, and signing in brings it back to the ticket.
    const changed = await as('c_handler').POST('/api/v1/me/password', { body: { currentPassword: PASSWORD, newPassword: 'new-password-for-zhao' } });
    expect(changed.response.status).toBe(200);
    await page.reload();
    await page.waitForURL(/\/login\?next=/);
    await page.getByText('登录已失效，请重新登录。').waitFor();
    await signInThroughForm(page, 'c_handler', 'new-password-for-zhao');
    await page.waitForURL(`**/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: ticket.title }).waitFor();
    await apiSignIn('c_handler', 'new-password-for-zhao');

    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${app.baseUrl}/inbox`);
    await page.waitForURL(/\/login\?next=%2Finbox/);
    expect(await page.evaluate(`localStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toBeNull();
    await context.close();
  }, 60_000);

  it('a sign-in locked after repeated failures says in Chinese how long to wait', async () => {
    const { context, page } = await openContext(browser, 'phone');
    await page.goto(`${app.baseUrl}/login`);
    // Five failures of one username from one address lock the pair (README, Login throttling).
    const attempt = async (password: string) => {
      const answered = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/login'));
      await signInThroughForm(page, 'c_manager', password);
      return (await answered).status();
    };
    for (let failure = 1; failure <= 5; failure += 1) expect(await attempt(`wrong-${failure}`)).toBe(401);
    expect(await attempt(PASSWORD)).toBe(429);
    await page.getByText(/登录失败次数过多，请 1[45] 分钟后再试。/).waitFor();
    expect(page.url()).toContain('/login');
    await shoot(page, 'console-signin-locked-phone-390x844');
    await context.close();
  }, 60_000);

  it('a deputy leader whose queue is open sees a drill ticket escalate to them within 2 s, and the bell counts it', async () => {
    const { context, page } = await signedIn('c_deputy');
    await page.goto(`${app.baseUrl}/`);
    await queueReady(page);
    const unreadBefore = await bellCount(page);
    const ticket = await file('变压器增容申请（演练）', 'power');
    expect(ticket.tier).toBe(1);

    await queueRow(page, ticket.title).waitFor({ timeout: 30_000 });
    const seenAt = Date.now();
    const timeline = (await as('c_manager').GET('/api/v1/tickets/{id}/timeline', { params: { path: { id: ticket.id } } })).data!;
    const escalated = timeline.find((e) => e.type === 'escalated');
    expect(escalated).toBeDefined();
    const lagMs = seenAt - Date.parse(escalated!.createdAt);
    process.stdout.write(`[console] escalation to the deputy's open queue: shown ${lagMs} ms after the escalation\n`);
    expect(lagMs).toBeLessThanOrEqual(2000);
    await until('the bell to count the escalation', async () => (await bellCount(page)) > unreadBefore, 5);
    expect(await queueRow(page, ticket.title).locator('xpath=ancestor::tr').locator('.tier-tag').innerText()).toBe('二级');
    await context.close();
  }, 60_000);

  it('two users on the same ticket: the second one\'s action is refused with "此工单已被他人更新", what changed, and a reload', async () => {
    const ticket = await file('污水管网接入申请', 'land');
    const first = await signedIn('c_handler');
    const second = await signedIn('c_handler2');
    for (const { page } of [first, second]) {
      await page.goto(`${app.baseUrl}/tickets/${ticket.id}`);
      await page.getByRole('button', { name: '开始办理' }).waitFor();
    }
    await first.page.getByRole('button', { name: '开始办理' }).click();
    await first.page.getByRole('button', { name: '确认开始办理' }).click();
    await first.page.getByTestId('ticket-status').getByText('办理中').waitFor();

    await second.page.getByRole('button', { name: '暂停' }).click();
    await second.page.getByLabel('暂停原因（如待企业补充材料）').fill('等待企业补充管网图纸');
    await second.page.getByRole('button', { name: '确认暂停' }).click();
    const conflict = second.page.getByTestId('conflict');
    await conflict.getByText('此工单已被他人更新').waitFor();
    expect(await conflict.innerText()).toMatch(/状态：已交办\s*→\s*办理中/);
    // Nothing was overwritten: the ticket is as the first user left it.
    expect((await ticketAs('c_handler', ticket.id)).status).toBe('in_progress');
    await expectNoSeriousViolations(second.page);
    await shoot(second.page, 'console-conflict-desktop');

    await conflict.getByRole('button', { name: '重新加载' }).click();
    await second.page.getByTestId('ticket-status').getByText('办理中').waitFor();
    expect(await second.page.getByTestId('conflict').count()).toBe(0);
    expect(await shownActions(second.page)).not.toContain('start');
    await first.context.close();
    await second.context.close();
  }, 60_000);

  it('a deputy leader extends a deadline and routes a handed-back demand through their dialogs', async () => {
    const ticket = await file('供水管道迁改协调', 'land');
    const { context, page } = await signedIn('c_deputy');
    await page.goto(`${app.baseUrl}/tickets/${ticket.id}`);
    await page.getByRole('button', { name: '延期' }).click();
    const newDeadline = new Date(Date.parse(ticket.tier1DueAt!) + 3 * 86_400_000);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(newDeadline);
    await page.getByLabel('新的办理时限').fill(local);
    await page.getByLabel('新的办理时限').press('Enter');
    await page.getByLabel('延期理由').fill('涉及自来水公司管网改线，需协调施工窗口');
    await page.getByRole('button', { name: '确认延期' }).click();
    await page.locator('.tl-item', { hasText: '延期' }).waitFor();
    const extended = await ticketAs('c_deputy', ticket.id);
    expect(Math.abs(Date.parse(extended.tier1DueAt!) - Math.floor(newDeadline.getTime() / 60_000) * 60_000)).toBeLessThan(60_000);

    // The department hands it back; the deputy leader routes it to another department.
    const returned = await as('c_handler').POST('/api/v1/tickets/{id}/return', {
      params: { path: { id: ticket.id }, header: { 'If-Match': `"${extended.version}"` } },
      body: { reason: '属供水企业职责，非本局办理' },
    });
    expect(returned.response.status).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: '转派' }).click();
    await page.getByLabel('承办部门').click();
    await page.getByTitle('供电服务中心').click();
    await page.getByRole('button', { name: '确认转派' }).click();
    await page.getByTestId('ticket-status').getByText('已交办').waitFor();
    const routed = await ticketAs('c_deputy', ticket.id);
    expect([routed.status, routed.departmentName]).toEqual(['assigned', '供电服务中心']);
    await context.close();
  }, 60_000);

  it('shows exactly the actions the API allows each role on the ticket', async () => {
    const ticket = await file('用地指标调整', 'land');
    const checked: string[][] = [];
    for (const username of ['c_handler', 'c_deputy', 'c_officer', 'c_manager', 'c_principal']) {
      const allowed = (await ticketAs(username, ticket.id)).allowedActions.filter((a) => CONSOLE_ACTIONS.includes(a)).sort();
      const { context, page } = await signedIn(username);
      await page.goto(`${app.baseUrl}/tickets/${ticket.id}`);
      await page.getByRole('heading', { name: ticket.title }).waitFor();
      await page.locator('.timeline').waitFor();
      expect([username, await shownActions(page)]).toEqual([username, allowed]);
      checked.push(allowed);
      await context.close();
    }
    // The roles differ (the officer may only pause; a handler may not extend), so the check means something.
    expect(new Set(checked.map((a) => a.join())).size).toBeGreaterThan(2);
  }, 90_000);

  it('every page at phone and desktop size: no serious accessibility violation, no sideways scroll on a phone, a screenshot each', async () => {
    // A queue worth looking at: quiet demands, one warned (预警), some overdue in 我经手的.
    const lit = await withHistory(await file('园区道路照明改造', 'land', '厂区外道路夜间照明不足，影响员工通勤安全，申请增设路灯并纳入园区照明维护。'));
    const warned = await file('天然气管道开口接驳', 'gas', '新建车间需接入天然气，申请管道开口接驳。');
    const overdue = await file('厂区雨水排放改造', 'water', '雨季厂区积水，需对接市政雨水管网。');
    await file('闲置土地盘活利用咨询', 'land');
    const escalated = await file('园区企业用工招聘对接', 'labor', '新投产车间需招聘一线操作工约80人。');
    await until('the gas demand to be warned', async () => (await ticketAs('c_handler', warned.id)).warned, 30);
    await until('the water demand to be overdue', async () => (await ticketAs('c_manager', overdue.id)).workingMsLeft! < 0, 30);
    await until('the labor demand to reach the deputy leader', async () => (await ticketAs('c_manager', escalated.id)).tier === 2, 30);

    for (const device of ['phone', 'desktop'] as const) {
      const size = device === 'phone' ? '390x844' : '1280x800';
      const signIn = await openContext(browser, device);
      await signIn.page.goto(`${app.baseUrl}/login`);
      await signIn.page.getByRole('button', { name: '登录' }).waitFor();
      await expectNoSeriousViolations(signIn.page);
      await shoot(signIn.page, `console-signin-${device}-${size}`);
      await signInThroughForm(signIn.page, 'c_officer', 'wrong-password');
      await signIn.page.getByText('用户名或密码错误。').waitFor();
      // The button fades while it spins (antd's loading state); judged once it has stopped.
      await signIn.page.locator('button.ant-btn-loading').waitFor({ state: 'detached' });
      await expectNoSeriousViolations(signIn.page);
      await shoot(signIn.page, `console-signin-refused-${device}-${size}`);
      await signIn.context.close();

      const { context, page } = await signedIn('c_handler', device);
      await page.goto(`${app.baseUrl}/`);
      await queueReady(page);
      await queueRow(page, warned.title).waitFor();
      expect(await page.locator('[data-urgency="warned"]').count()).toBeGreaterThan(0);
      if (device === 'phone') await expectNoSidewaysScroll(page);
      await expectNoSeriousViolations(page);
      await shoot(page, `console-queue-${device}-${size}`);

      await page.getByTestId('tab-handled').click();
      await queueRow(page, overdue.title).waitFor();
      await page.locator('[data-urgency="overdue"]').first().waitFor();
      await expectNoSeriousViolations(page);
      await shoot(page, `console-queue-handled-${device}-${size}`);

      await page.goto(`${app.baseUrl}/tickets/${lit.id}`);
      await page.getByRole('heading', { name: lit.title }).waitFor();
      await page.locator('.dl-paused').first().waitFor();
      await page.locator('.timeline').waitFor();
      if (device === 'phone') await expectNoSidewaysScroll(page);
      await expectNoSeriousViolations(page);
      await shoot(page, `console-ticket-${device}-${size}`);
      await page.getByRole('button', { name: '暂停' }).click();
      await page.getByRole('dialog').waitFor();
      await expectNoSeriousViolations(page);
      await shoot(page, `console-ticket-pause-${device}-${size}`, false);
      await page.getByRole('button', { name: '取消' }).click();

      await page.goto(`${app.baseUrl}/inbox`);
      await page.getByRole('heading', { name: '消息' }).waitFor();
      await page.locator('.inbox-item').first().waitFor();
      if (device === 'phone') await expectNoSidewaysScroll(page);
      await expectNoSeriousViolations(page);
      await shoot(page, `console-inbox-${device}-${size}`);
      await context.close();
    }
  }, 120_000);
});
