import { calendarFromExceptions, type DayKind, type WorkCalendar, WHOLE_DAY } from './working-time';

type Query = (sql: string) => Promise<unknown[]>;

/**
 * The working calendar as the tables hold it, read with a bare query function: for migrations
 * that back-fill working times (the app reads it through CalendarService, cached).
 */
export async function storedWorkCalendar(query: Query): Promise<WorkCalendar> {
  const days = (await query(`SELECT to_char(date, 'YYYY-MM-DD') AS date, kind FROM calendar_days`)) as { date: string; kind: DayKind }[];
  const [hours] = (await query(`SELECT work_start_minute AS start, work_end_minute AS end FROM calendar_settings WHERE id = 1`)) as {
    start: number;
    end: number;
  }[];
  return calendarFromExceptions(
    new Map(days.map((d) => [d.date, d.kind])),
    hours ? { startMinute: hours.start, endMinute: hours.end } : WHOLE_DAY,
  );
}
