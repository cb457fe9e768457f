import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { type Actor, actor, createDepartment, createEnterprise, createPairing, eventually, surveyTokenOf } from './support/fixtures';
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
    // A string cell is a string, never a formula, and guarded as in the CSV (editing it in Excel must not run it).
    const title = sheet.getRow(3).getCell(header.indexOf('诉求标题') + 1);
    expect(title.type).toBe(ExcelJS.ValueType.String);
    expect(title.value).toBe(`'=HYPERLINK("http://evil.example","点我")`);
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

  describe('cannot be forged by what people type', () => {
    /** Where a spreadsheet looks for a formula: after leading whitespace and invisible characters, folded (＝ is =). */
    const formulaStart = (cell: string) => /^[=+\-@]/.test(cell.replace(/^[\s\p{Cf}]+/u, '').normalize('NFKC'));
    const prefixes = ['', ' ', '\u3000', '\u200b', '\u200c\u200d', '\u2060', '\ufeff', '\t', '\r', '\n', '\r\n', ' \n'];
    const starts = [`=cmd|' /C calc'!A0`, '＝1+1', '@SUM(A1)', '-2+3', '+1', '﹦1', 'plain 文本'];
    const middles = ['a\nb', 'a\rb', 'a\r\nb', 'say "hi"', 'a, b', `x\n=cmd|' /C calc'!A0`, `x\r@SUM(1)`, `x\r\n＋1`];
    /** Text with a line break, a quote, a comma or a formula start, all of them somewhere. */
    const nasty = (i: number) => `${prefixes[i % prefixes.length]}${starts[i % starts.length]}${middles[i % middles.length]}`;
    const TICKETS = 18;
    const originals = new Map<string, string[]>();

    beforeAll(async () => {
      const land = (await db.query(`SELECT id FROM departments WHERE name = '自然资源局'`))[0].id as string;
      for (let i = 0; i < TICKETS; i += 1) {
        const enterprise = await createEnterprise(t, { name: nasty(i + 2), industry: nasty(i + 5), park: nasty(i + 6), contacts: [{ name: nasty(i + 7), phone: '13800000000' }] });
        const id = (
          await t.http
            .post('/api/v1/tickets')
            .set('Authorization', liaison.auth)
            .send({ enterpriseId: enterprise.id, category: 'land', departmentId: land, title: nasty(i), description: nasty(i + 1), channel: 'online' })
            .expect(201)
        ).body.id as string;
        await t.http.post(`/api/v1/tickets/${id}/resolve`).set('Authorization', handlerA.auth).send({ resolution: nasty(i + 3) }).expect(200);
        const comment = nasty(i + 4);
        if (i % 2 === 0) {
          await t.http.post(`/api/v1/tickets/${id}/survey-answer`).set('Authorization', liaison.auth).send({ answer: 'satisfied', comment }).expect(200);
        } else {
          // Anonymously, through the survey link, as the probe did.
          const link = await eventually(async () => {
            const inbox = await t.http.get('/api/v1/notifications?limit=100').set('Authorization', liaison.auth);
            return (inbox.body.items as { type: string; ticketId: string; data: { link?: string } }[]).find((n) => n.type === 'survey.sent' && n.ticketId === id)?.data.link;
          }, 10_000, 'the survey link');
          await t.http.post(`/api/v1/surveys/${surveyTokenOf(link)}`).send({ answer: 'unsatisfied', comment }).expect(200);
        }
        originals.set(nasty(i), [nasty(i + 1), nasty(i + 2), nasty(i + 3), comment]);
      }
    });

    it('writes CSV that a strict parser reads back as one record per ticket, every field intact but guarded', async () => {
      const body = (await download('?format=csv', manager).expect(200)).body as Buffer;
      const text = body.subarray(3).toString('utf8');
      const [header, ...rows]: string[][] = parse(text, { relax_quotes: false, relax_column_count: false, record_delimiter: '\r\n', bom: false });
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM tickets`);
      expect(rows).toHaveLength(n);
      for (const row of rows) {
        expect(row).toHaveLength(header.length);
        for (const cell of row) expect({ cell, formula: formulaStart(cell) }).toEqual({ cell, formula: false });
      }
      const column = (row: string[], name: string) => row[header.indexOf(name)];
      const unguard = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);
      const read = new Map(rows.map((row) => [unguard(column(row, '诉求标题')), ['诉求内容', '企业名称', '办理结果', '回访意见'].map((name) => unguard(column(row, name)))]));
      for (const [title, fields] of originals) expect(read.get(title)).toEqual(fields);
    });

    it('reads "as a spreadsheet would": a line per ticket at every CR or LF outside quotes, no line starting a formula', async () => {
      const text = ((await download('?format=csv', manager).expect(200)).body as Buffer).subarray(3).toString('utf8');
      const lines: string[] = [];
      let line = '';
      let quoted = false;
      for (let i = 0; i < text.length; i += 1) {
        const char = text[i];
        if (char === '"') quoted = !quoted;
        if (!quoted && (char === '\r' || char === '\n')) {
          if (char === '\r' && text[i + 1] === '\n') i += 1;
          lines.push(line);
          line = '';
        } else line += char;
      }
      expect(line).toBe('');
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM tickets`);
      expect(lines).toHaveLength(n + 1);
      for (const start of lines) expect({ start, formula: formulaStart(start) }).toEqual({ start, formula: false });
    });

    it('writes XLSX whose cells are strings or numbers, never formulas, guarded like the CSV', async () => {
      const body = (await download('?format=xlsx', manager).expect(200)).body;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('需求台账')!;
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM tickets`);
      expect(sheet.rowCount).toBe(n + 1);
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect([ExcelJS.ValueType.String, ExcelJS.ValueType.Number]).toContain(cell.type);
          if (typeof cell.value === 'string') expect({ cell: cell.value, formula: formulaStart(cell.value) }).toEqual({ cell: cell.value, formula: false });
        }),
      );
    });
  });
});
