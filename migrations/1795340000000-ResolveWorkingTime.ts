import type { MigrationInterface, QueryRunner } from 'typeorm';
import { storedWorkCalendar } from '../src/calendar/stored-calendar';
import { workingTimeBetween } from '../src/calendar/working-time';

/**
 * Working time from intake to resolution, stored when a ticket is resolved, so the statistics
 * take its median and p90 with `percentile_cont` in the same GROUP BY as every other figure
 * instead of loading every resolved ticket into the application (the calendar lives there).
 * Existing resolutions are back-filled with today's calendar.
 *
 * The ledger export reads tickets in (created_at, id) order, which tickets_created_idx serves;
 * the survey answer it shows is the latest round, which the (ticket_id, round) key serves.
 */
export class ResolveWorkingTime1795340000000 implements MigrationInterface {
  name = 'ResolveWorkingTime1795340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN resolve_working_ms bigint CHECK (resolve_working_ms >= 0)`);
    await this.backfill(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP COLUMN resolve_working_ms`);
  }

  private async backfill(q: QueryRunner): Promise<void> {
    const calendar = await storedWorkCalendar((sql) => q.query(sql));
    const batch = 5000;
    for (;;) {
      const rows: { id: string; created_at: Date; resolved_at: Date }[] = await q.query(
        `SELECT id, created_at, resolved_at FROM tickets
         WHERE resolved_at IS NOT NULL AND resolve_working_ms IS NULL LIMIT ${batch}`,
      );
      if (rows.length === 0) return;
      await q.query(
        `UPDATE tickets t SET resolve_working_ms = v.ms
         FROM unnest($1::uuid[], $2::bigint[]) AS v(id, ms) WHERE t.id = v.id`,
        [rows.map((r) => r.id), rows.map((r) => workingTimeBetween(r.created_at, r.resolved_at, calendar))],
      );
      if (rows.length < batch) return;
    }
  }
}
