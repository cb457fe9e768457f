import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { type Actor, actor, createDepartment, createEnterprise, createPairing } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Collects the body as bytes whatever the content type, so the BOM and the zip arrive intact. */
function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('ledger export (需求台账)', () => {
  let t: TestApp;
  let db: DataSource;
  let manager: Actor;
  let handlerA: Actor;
  let liaison: Actor;
  let landTicket: string;

  const download = (query: string, who: Actor) =>
    t.http.get(`/api/v1/tickets/export${query}`).set('Authorization', who.auth).buffer(true).parse(binary);

  const csvRows = (body: Buffer): string[][] => {
    expect(body.subarray(0, 3).equals(BOM)).toBe(true);
    return parse(body.subarray(3).toString('utf8'), { relax_column_count: false });
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    manager = await actor(t, 'manager', 'manager');
    liaison = await actor(t, 'liaison', 'liaison_officer');
    const deputy = await actor(t, 'deputy', 'deputy_leader');
    const land = await createDepartment(t, '自然资源局', ['land']);
    await createDepartment(t, '供电公司', ['power']);
    handlerA = await actor(t, 'handler_a', 'department_handler', land.id);
    const factory = await createEnterprise(t, { name: '华晟精密制造有限公司' });
    const bakery = await createEnterprise(t, { name: '麦香食品, "老字号"' });
    await createPairing(t, deputy.id, factory.id);

    const file = (enterpriseId: string, category: string, title: string) =>
      t.http
        .post('/api/v1/tickets')
        .set('Authorization', liaison.auth)
        .send({ enterpriseId, category, title, channel: 'online', description: '第一行\n第二行' })
        .expect(201)
        .then((res) => res.body.id as string);
    landTicket = await file(factory.id, 'land', '扩建厂房用地指标');
    await file(bakery.id, 'power', '=HYPERLINK("http://evil.example","点我")');

    await t.http.post(`/api/v1/tickets/${landTicket}/resolve`).set('Authorization', handlerA.auth).send({ resolution: '已协调新增用地30亩' }).expect(200);
    await t.http
      .post(`/api/v1/tickets/${landTicket}/survey-answer`)
      .set('Authorization', liaison.auth)
      .send({ answer: 'basically_satisfied', comment: '进度可以更快' })
      .expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('streams a CSV in UTF-8 with a BOM, one row per ticket, Chinese intact and formulas made inert', async () => {
    const res = await download('?format=csv', manager).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="demand-ledger-\d{8}\.csv"; filename\*=UTF-8''%E9%9C%80%E6%B1%82%E5%8F%B0%E8%B4%A6-\d{8}\.csv$/);
    const [header, ...rows] = csvRows(res.body);
    expect(header.slice(0, 6)).toEqual(['编号', '登记时间', '企业名称', '统一社会信用代码', '来源渠道', '活动日期']);
    expect(rows).toHaveLength(2);
    const byTitle = new Map(rows.map((row) => [row[header.indexOf('诉求标题')], Object.fromEntries(header.map((h, i) => [h, row[i]]))]));

    const land = byTitle.get('扩建厂房用地指标')!;
    expect(land).toMatchObject({
      企业名称: '华晟精密制造有限公司',
      来源渠道: '线上',
      活动日期: '',
      诉求类别: '用地',
      诉求内容: '第一行\n第二行',
      责任部门: '自然资源局',
      包联领导: 'deputy',
      当前负责人: '',
      当前层级: '1',
      最高层级: '1',
      曾超期: '否',
      状态: '已关闭',
      办结层级: '1',
      办理结果: '已协调新增用地30亩',
      办结人: 'handler_a',
      重办次数: '0',
      回访状态: '已回复',
      满意度: '基本满意',
      回访方式: '电话',
      回访意见: '进度可以更快',
    });
    expect(land['统一社会信用代码']).toMatch(/^91140000\d{9}[0-9A-Z]$/);
    expect(land['登记时间']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(land['部门时限']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(Number(land['办理工时（小时）'])).toBeGreaterThanOrEqual(0);

    const power = byTitle.get(`'=HYPERLINK("http://evil.example","点我")`)!;
    expect(power).toMatchObject({ 企业名称: '麦香食品, "老字号"', 责任部门: '供电公司', 包联领导: '', 当前负责人: 'manager', 状态: '已交办', 办结时间: '', 满意度: '' });
  });

  it('writes an Excel workbook: numbers as numbers, times as sortable Shanghai text', async () => {
    const res = await download('?format=xlsx', manager).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('需求台账')!;
    expect(sheet.rowCount).toBe(3);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = sheet.getRow(2).values as unknown[];
    const cell = (name: string) => row[header.indexOf(name) + 1];
    expect(header).toContain('办理工时（小时）');
    const [{ created_at }] = await db.query(`SELECT created_at FROM tickets ORDER BY created_at LIMIT 1`);
    const shanghai = new Date(new Date(created_at).getTime() + 8 * 3_600_000).toISOString();
    expect(cell('登记时间')).toBe(`${shanghai.slice(0, 10)} ${shanghai.slice(11, 16)}`);
    expect(cell('当前层级')).toBe(1);
    expect(cell('最高层级')).toBe(1);
    expect(cell('诉求标题')).toBe('扩建厂房用地指标');
    expect(cell('满意度')).toBe('基本满意');
    // In a workbook a string is only ever a string: no formula guard needed.
    expect((sheet.getRow(3).values as unknown[])[header.indexOf('诉求标题') + 1]).toBe('=HYPERLINK("http://evil.example","点我")');
  });

  it('applies the list filters and the caller scope', async () => {
    const power = csvRows((await download('?category=power', manager).expect(200)).body);
    expect(power.slice(1).map((row) => row[power[0].indexOf('诉求类别')])).toEqual(['用电']);
    const none = csvRows((await download('?status=paused', manager).expect(200)).body);
    expect(none).toHaveLength(1);
    const own = csvRows((await download('', handlerA).expect(200)).body);
    expect(own.slice(1).map((row) => row[own[0].indexOf('责任部门')])).toEqual(['自然资源局']);
  });

  it('reads past every batch boundary in (created_at, id) order, ties included', async () => {
    const before = Number((await db.query(`SELECT count(*) FROM tickets`))[0].count);
    // One statement: 4,500 tickets sharing a single created_at, so only the id orders them.
    await db.query(
      `INSERT INTO tickets (number, enterprise_id, channel, category, title, department_id, starting_tier, tier, status, created_by)
       SELECT 'X-' || lpad(i::text, 6, '0'), enterprise_id, channel, category, 'bulk ' || i, department_id, 1, 1, 'assigned', created_by
       FROM generate_series(1, 4500) i, (SELECT * FROM tickets WHERE id = $1) t`,
      [landTicket],
    );
    try {
      const [header, ...rows] = csvRows((await download('?format=csv', manager).expect(200)).body);
      expect(rows).toHaveLength(before + 4500);
      const numbers = rows.map((row) => row[header.indexOf('编号')]);
      expect(new Set(numbers).size).toBe(numbers.length);
      const expected: { number: string }[] = await db.query(`SELECT number FROM tickets ORDER BY created_at, id`);
      expect(numbers).toEqual(expected.map((r) => r.number));
    } finally {
      await db.query(`DELETE FROM tickets WHERE number LIKE 'X-%'`);
    }
  });

  it.each([
    ['?format=pdf', 'format'],
    ['?status=archived', 'status'],
    ['?createdFrom=yesterday', 'createdFrom'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const res = await t.http.get(`/api/v1/tickets/export${query}`).set('Authorization', manager.auth).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('needs a token', async () => {
    await t.http.get('/api/v1/tickets/export').expect(401);
  });
});
