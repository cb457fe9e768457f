import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable, Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource, type QueryRunner } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { localDate } from '../calendar/working-time';
import { Clock } from '../common/clock';
import { cursorMicrosSql, type CursorKey, whereAfterKey } from '../common/pagination/keyset';
import { Department } from '../departments/entities/department.entity';
import { Engagement } from '../engagements/entities/engagement.entity';
import { Enterprise } from '../enterprises/entities/enterprise.entity';
import { Survey } from '../surveys/entities/survey.entity';
import { User } from '../users/entities/user.entity';
import type { ExportFormat, TicketFiltersDto } from './dto/ticket.dto';
import { csvCells, csvText, excelCells, LEDGER_COLUMNS, type LedgerRecord } from './ledger';
import { EVER_OVERDUE_SQL, MAX_TIER_SQL } from './rounds';
import { ownerNamesSelect } from './ticket-owner';
import { TicketsService } from './tickets.service';

/** Rows fetched per query: small enough to keep memory flat, large enough to keep round trips rare. */
const BATCH_SIZE = 2000;
const KEY = { alias: 't', column: 'created_at', descending: false } as const;

/** Times are formatted by Postgres, in Shanghai time: far cheaper than a Date per cell in Node. */
const shanghai = (column: string, format = 'YYYY-MM-DD HH24:MI') => `to_char(${column} AT TIME ZONE 'Asia/Shanghai', '${format}')`;

const LEDGER_SELECT = [
  't.number AS number',
  `${shanghai('t.created_at')} AS created_at`,
  'e.name AS enterprise_name',
  'e.credit_code AS credit_code',
  't.channel AS channel',
  `${shanghai('g.occurred_at', 'YYYY-MM-DD')} AS engagement_on`,
  't.category AS category',
  't.title AS title',
  't.description AS description',
  'd.name AS department_name',
  'leader.display_name AS paired_leader_name',
  `(${ownerNamesSelect('t')}) AS owner_names`,
  't.tier AS tier',
  `${MAX_TIER_SQL} AS max_tier`,
  't.status AS status',
  `${shanghai('t.tier1_due_at')} AS tier1_due_at`,
  `${shanghai('t.tier2_due_at')} AS tier2_due_at`,
  `${shanghai('t.tier3_due_at')} AS tier3_due_at`,
  `${shanghai('t.overdue_at')} AS overdue_at`,
  `${EVER_OVERDUE_SQL} AS ever_overdue`,
  'round(t.overdue_working_ms / 3600000.0, 2)::float8 AS overdue_working_hours',
  `${shanghai('t.resolved_at')} AS resolved_at`,
  't.resolved_tier AS resolved_tier',
  't.resolution AS resolution',
  'resolver.display_name AS resolver_name',
  'round(t.resolve_working_ms / 3600000.0, 2)::float8 AS resolve_working_hours',
  't.reopen_count AS reopen_count',
  's.status AS survey_status',
  's.answer AS survey_answer',
  's.channel AS survey_channel',
  's.comment AS survey_comment',
  `${shanghai('t.closed_at')} AS closed_at`,
].join(', ');

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface LedgerExport {
  /** `attachment; filename="demand-ledger-….csv"; filename*=UTF-8''需求台账-….csv` (RFC 6266). */
  contentDisposition: string;
  contentType: string;
  /** Streams the whole ledger into `out`, a batch at a time, and ends it. */
  writeTo(out: Writable): Promise<void>;
}

/**
 * The demand ledger export: the list's filters and scope, oldest first, read in keyset batches
 * inside one read-only REPEATABLE READ transaction, so the file is one consistent snapshot
 * and never holds more than a batch in memory.
 */
@Injectable()
export class TicketExportService {
  private readonly logger = new Logger('LedgerExport');

  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Reads the first batch before anything is sent, so a failure there is still an ordinary
   * error response rather than a truncated file.
   */
  async export(user: AuthUser, filters: TicketFiltersDto, format: ExportFormat): Promise<LedgerExport> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      const first = await this.batch(runner, user, filters);
      const suffix = `${localDate(this.clock.now()).replaceAll('-', '')}.${format}`;
      // An ASCII name for clients that ignore filename*, rather than a row of question marks.
      const contentDisposition = `attachment; filename="demand-ledger-${suffix}"; filename*=UTF-8''${encodeURIComponent(`需求台账-${suffix}`)}`;
      return {
        contentDisposition,
        contentType: CONTENT_TYPES[format],
        writeTo: async (out) => {
          let rows = 0;
          try {
            const batches = this.batches(runner, user, filters, first);
            const counted = async function* () {
              for await (const batch of batches) {
                rows += batch.length;
                yield batch;
              }
            };
            await (format === 'csv' ? writeCsv(counted(), out) : writeXlsx(counted(), out));
            this.logger.log(`${user.id} exported ${rows} tickets as ${format}`);
          } finally {
            await release(runner);
          }
        },
      };
    } catch (error) {
      await release(runner);
      throw error;
    }
  }

  private async *batches(
    runner: QueryRunner,
    user: AuthUser,
    filters: TicketFiltersDto,
    first: LedgerRecord[],
  ): AsyncGenerator<LedgerRecord[]> {
    let batch = first;
    while (batch.length > 0) {
      yield batch;
      if (batch.length < BATCH_SIZE) return;
      const last = batch[batch.length - 1];
      batch = await this.batch(runner, user, filters, { micros: String(last.cursor_micros), id: last.id });
    }
  }

  private batch(runner: QueryRunner, user: AuthUser, filters: TicketFiltersDto, after?: CursorKey): Promise<LedgerRecord[]> {
    const query = this.tickets
      .filtered(user, filters, runner.manager)
      .select('t.id', 'id')
      .addSelect(cursorMicrosSql(KEY), 'cursor_micros')
      .addSelect(LEDGER_SELECT)
      .innerJoin(Enterprise, 'e', 'e.id = t.enterprise_id')
      .leftJoin(Engagement, 'g', 'g.id = t.engagement_id')
      .leftJoin(Department, 'd', 'd.id = t.department_id')
      .leftJoin(User, 'leader', 'leader.id = t.paired_leader_id')
      .leftJoin(User, 'resolver', 'resolver.id = t.resolved_by')
      // The latest round's survey: an earlier round's answer is history (it reopened the ticket).
      .leftJoin(Survey, 's', 's.ticket_id = t.id AND s.round = (SELECT max(r.round) FROM surveys r WHERE r.ticket_id = t.id)')
      .orderBy('t.created_at', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(BATCH_SIZE);
    if (after) whereAfterKey(query, KEY, after);
    return query.getRawMany<LedgerRecord>();
  }
}

async function release(runner: QueryRunner): Promise<void> {
  if (runner.isReleased) return;
  if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
  await runner.release();
}

async function writeCsv(batches: AsyncIterable<LedgerRecord[]>, out: Writable): Promise<void> {
  // One string per batch: per-record stream plumbing costs more than the formatting itself.
  async function* chunks() {
    // The byte-order mark is what makes Excel read the file as UTF-8 (Chinese text intact).
    yield csvText([LEDGER_COLUMNS.map((column) => column.header)], true);
    for await (const batch of batches) yield csvText(batch.map(csvCells));
  }
  await pipeline(Readable.from(chunks()), out);
}

/** Excel caps a sheet at 1,048,576 rows: a bigger ledger continues on the next sheet. */
const ROWS_PER_SHEET = 1_000_000;

async function writeXlsx(batches: AsyncIterable<LedgerRecord[]>, out: Writable): Promise<void> {
  // Without styles and shared strings the writer keeps nothing per row once it is committed;
  // times stay sortable text (YYYY-MM-DD HH:mm) as in the CSV.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  let sheet: ExcelJS.Worksheet | undefined;
  let rowsInSheet = 0;
  const nextSheet = (number: number) => {
    sheet?.commit();
    const created = workbook.addWorksheet(number === 1 ? '需求台账' : `需求台账${number}`, { views: [{ state: 'frozen', ySplit: 1 }] });
    created.columns = LEDGER_COLUMNS.map((column) => ({ header: column.header, width: column.width }));
    rowsInSheet = 0;
    return created;
  };
  let sheets = 1;
  sheet = nextSheet(sheets);
  for await (const batch of batches) {
    for (const record of batch) {
      if (rowsInSheet === ROWS_PER_SHEET) sheet = nextSheet((sheets += 1));
      sheet.addRow(excelCells(record)).commit();
      rowsInSheet += 1;
    }
    // Wait for a slow client rather than buffering the rest of the ledger for it.
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  sheet.commit();
  await workbook.commit();
}
