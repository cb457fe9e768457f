import { calendarFromExceptions, type DayKind, type WorkingWindow, WHOLE_DAY } from './working-time';

/**
 * China's 2026 holidays and make-up working days exactly as `chinese-days` lists them
 * (dist/years/2026.json), for tests with fixed clocks. The package has no 2027 data yet.
 */
const HOLIDAYS_2026 = [
  '01-01', '01-02', '01-03',
  '02-15', '02-16', '02-17', '02-18', '02-19', '02-20', '02-21', '02-22', '02-23',
  '04-04', '04-05', '04-06',
  '05-01', '05-02', '05-03', '05-04', '05-05',
  '06-19', '06-20', '06-21',
  '09-25', '09-26', '09-27',
  '10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07',
];
const MAKE_UP_WORKDAYS_2026 = ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'];

export const EXCEPTIONS_2026: ReadonlyMap<string, DayKind> = new Map<string, DayKind>([
  ...HOLIDAYS_2026.map((d): [string, DayKind] => [`2026-${d}`, 'holiday']),
  ...MAKE_UP_WORKDAYS_2026.map((d): [string, DayKind] => [`2026-${d}`, 'workday']),
]);

export const calendar2026 = (window: WorkingWindow = WHOLE_DAY) => calendarFromExceptions(EXCEPTIONS_2026, window);

/** Instants written in Shanghai local time. */
export const shanghai = (local: string) => new Date(`${local}+08:00`);
