import { stringify } from 'csv-stringify/sync';
import { CATEGORY_LABELS, CHANNEL_LABELS, STATUS_LABELS, SURVEY_ANSWER_LABELS, SURVEY_CHANNEL_LABELS, SURVEY_STATUS_LABELS } from './labels';
import type { EngagementType } from '../engagements/engagement-types';
import type { Category } from './categories';
import type { TicketStatus } from './ticket-status';

/**
 * The demand ledger (需求台账): one row per ticket, as exported to CSV and Excel. Headers and
 * codes are in Chinese because the ledger is an office document; docs/statistics.md maps
 * each column back to the figures.
 */

/** One ticket as the ledger query returns it (snake_case, straight from SQL; times already Shanghai text). */
export interface LedgerRecord {
  id: string;
  cursor_micros: string;
  number: string;
  created_at: string;
  enterprise_name: string;
  credit_code: string;
  channel: EngagementType;
  engagement_on: string | null;
  category: Category;
  title: string;
  description: string;
  department_name: string | null;
  paired_leader_name: string | null;
  owner_names: string | null;
  tier: number;
  max_tier: number;
  status: TicketStatus;
  tier1_due_at: string | null;
  tier2_due_at: string | null;
  tier3_due_at: string | null;
  overdue_at: string | null;
  ever_overdue: boolean;
  overdue_working_hours: number;
  resolved_at: string | null;
  resolved_tier: number | null;
  resolution: string | null;
  resolver_name: string | null;
  resolve_working_hours: number | null;
  reopen_count: number;
  survey_status: string | null;
  survey_answer: string | null;
  survey_channel: string | null;
  survey_comment: string | null;
  closed_at: string | null;
}

export type LedgerValue = string | number | null;

interface LedgerColumn {
  header: string;
  width: number;
  value: (r: LedgerRecord) => LedgerValue;
}

const label = (labels: Record<string, string>, code: string | null) => (code === null ? null : (labels[code] ?? code));

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { header: '编号', width: 13, value: (r) => r.number },
  { header: '登记时间', width: 17, value: (r) => r.created_at },
  { header: '企业名称', width: 28, value: (r) => r.enterprise_name },
  { header: '统一社会信用代码', width: 21, value: (r) => r.credit_code },
  { header: '来源渠道', width: 12, value: (r) => label(CHANNEL_LABELS, r.channel) },
  { header: '活动日期', width: 11, value: (r) => r.engagement_on },
  { header: '诉求类别', width: 10, value: (r) => label(CATEGORY_LABELS, r.category) },
  { header: '诉求标题', width: 30, value: (r) => r.title },
  { header: '诉求内容', width: 40, value: (r) => r.description },
  { header: '责任部门', width: 16, value: (r) => r.department_name },
  { header: '包联领导', width: 10, value: (r) => r.paired_leader_name },
  { header: '当前负责人', width: 16, value: (r) => r.owner_names },
  // A reopening starts again at tier 1: the current round's tier, then the highest any round reached.
  { header: '当前层级', width: 9, value: (r) => r.tier },
  { header: '最高层级', width: 9, value: (r) => r.max_tier },
  { header: '状态', width: 9, value: (r) => label(STATUS_LABELS, r.status) },
  { header: '部门时限', width: 17, value: (r) => r.tier1_due_at },
  { header: '分管领导时限', width: 17, value: (r) => r.tier2_due_at },
  { header: '主要领导时限', width: 17, value: (r) => r.tier3_due_at },
  { header: '超期时间', width: 17, value: (r) => r.overdue_at },
  { header: '曾超期', width: 7, value: (r) => (r.ever_overdue ? '是' : '否') },
  { header: '超期工时（小时）', width: 10, value: (r) => r.overdue_working_hours },
  { header: '办结时间', width: 17, value: (r) => r.resolved_at },
  { header: '办结层级', width: 9, value: (r) => r.resolved_tier },
  { header: '办理结果', width: 40, value: (r) => r.resolution },
  { header: '办结人', width: 10, value: (r) => r.resolver_name },
  { header: '办理工时（小时）', width: 10, value: (r) => r.resolve_working_hours },
  { header: '重办次数', width: 9, value: (r) => r.reopen_count },
  { header: '回访状态', width: 9, value: (r) => label(SURVEY_STATUS_LABELS, r.survey_status) },
  { header: '满意度', width: 9, value: (r) => label(SURVEY_ANSWER_LABELS, r.survey_answer) },
  { header: '回访方式', width: 9, value: (r) => label(SURVEY_CHANNEL_LABELS, r.survey_channel) },
  { header: '回访意见', width: 30, value: (r) => r.survey_comment },
  { header: '关闭时间', width: 17, value: (r) => r.closed_at },
];

/**
 * What a spreadsheet may read as the start of a formula: = + - @ after any run of whitespace
 * and invisible format characters (zero-width space and joiners, word joiner, BOM, bidi
 * marks: \p{Cf}), or a TAB, CR or LF anywhere in that run (some spreadsheets strip it or start
 * a row there). Full-width and small variants (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫) are caught by comparing
 * the first visible character in its NFKC form.
 */
const LEADING_INVISIBLE = /^[\s\p{Cf}]*/u;
const FORMULA_START = /^[=+\-@]/;

/**
 * The one formula guard of the ledger, for every string cell of CSV and XLSX alike: a cell that
 * could start a formula gets a leading single quote, which spreadsheets show as text (OWASP
 * "CSV injection"). Text an enterprise, officer or survey answer typed must never run.
 */
export function inertText(text: string): string {
  const invisible = LEADING_INVISIBLE.exec(text)![0];
  if (/[\t\r\n]/.test(invisible)) return `'${text}`;
  const first = String.fromCodePoint(text.codePointAt(invisible.length) ?? 0x20);
  return FORMULA_START.test(first.normalize('NFKC')) ? `'${text}` : text;
}

/** One cell, guarded: numbers stay numbers, strings are made inert, null stays empty. */
const inertCell = (value: LedgerValue): LedgerValue => (typeof value === 'string' ? inertText(value) : value);

/** The CSV cells of one ticket, as text. */
export function csvCells(record: LedgerRecord): string[] {
  return LEDGER_COLUMNS.map((column) => {
    const value = inertCell(column.value(record));
    return value === null ? '' : String(value);
  });
}

/**
 * The Excel cells of one ticket: numbers stay numbers and strings are written as strings (never
 * a formula), guarded as in the CSV so that editing the cell in Excel does not turn it into one.
 */
export function excelCells(record: LedgerRecord): LedgerValue[] {
  return LEDGER_COLUMNS.map((column) => inertCell(column.value(record)));
}

/**
 * CSV text per RFC 4180 with CRLF between records. csv-stringify stops quoting a field that holds
 * a bare LF or CR once `record_delimiter` is set (only the whole CRLF then counts), and a
 * spreadsheet starts a new, unguarded row at such a break: `quote_record_delimiter` quotes
 * every field containing CR or LF (and, as always, a comma or a double quote).
 */
export function csvText(rows: readonly string[][], bom = false): string {
  return stringify(rows as string[][], { bom, record_delimiter: 'windows', quote_record_delimiter: true });
}
