import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { getDayDetail, getHolidaysInRange, getWorkdaysInRange } from 'chinese-days';
import { Between, DataSource, type EntityManager, In } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { ExpiringValue } from '../common/cache/expiring-value';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import type { PageQueryDto } from '../common/pagination/cursor-page-query.dto';
import { DEFAULT_PAGE_SIZE, keysetPage } from '../common/pagination/keyset';
import type { CalendarDayChangePageDto, CalendarDayDto, CalendarYearDto, WorkingHoursDto } from './dto/calendar.dto';
import { CalendarDay } from './entities/calendar-day.entity';
import { CalendarDayChange, type DayState } from './entities/calendar-day-change.entity';
import { CalendarSettings } from './entities/calendar-settings.entity';
import { CalendarYear } from './entities/calendar-year.entity';
import { calendarFromExceptions, type DayKind, isWeekend, type WorkCalendar, WHOLE_DAY } from './working-time';

/** Other processes see an edit within this long; edits in this process are seen at once. */
const CACHE_MS = 30_000;

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const toHhMm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const DAY_MS = 24 * 3600_000;
const isRealDate = (date: string) => {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
};
const invalid = (field: string, message: string) => new DomainError('validation_failed', message, { errors: [{ field, message }] });
/** Calendar edits are rare: one at a time, so each change's `before` is what it replaced. */
const EDIT_LOCK = `SELECT pg_advisory_xact_lock(hashtext('calendar_days'))`;

/**
 * The working-day calendar is data (table calendar_days), editable per year; the
 * `chinese-days` package only seeds it, because next year's notice arrives after any release.
 */
@Injectable()
export class CalendarService {
  private readonly logger = new Logger('Calendar');
  private readonly cached: ExpiringValue<WorkCalendar>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    this.cached = new ExpiringValue(clock, CACHE_MS);
  }

  /**
   * The calendar used for deadline maths, from the database. Pass the transaction's manager
   * when inside one, so the read does not need a second pooled connection.
   */
  async workCalendar(manager: EntityManager = this.dataSource.manager): Promise<WorkCalendar> {
    return this.cached.get(() => this.loadCalendar(manager));
  }

  /** The calendar as stored now, past the cache: for a once-a-minute check that must not fill it (the morning digest). */
  uncachedWorkCalendar(manager: EntityManager = this.dataSource.manager): Promise<WorkCalendar> {
    return this.loadCalendar(manager);
  }

  private async loadCalendar(manager: EntityManager): Promise<WorkCalendar> {
    // One after the other: a transaction's connection runs one query at a time anyway.
    const days = await manager.getRepository(CalendarDay).find();
    const years = await manager.getRepository(CalendarYear).find();
    const settings = await manager.getRepository(CalendarSettings).findOneBy({ id: 1 });
    const loadedYears = new Set(years.map((y) => y.year));
    const warnedYears = new Set<number>();
    const base = calendarFromExceptions(
      new Map(days.map((d) => [d.date, d.kind])),
      settings ? { startMinute: settings.workStartMinute, endMinute: settings.workEndMinute } : WHOLE_DAY,
    );
    const calendar: WorkCalendar = {
      window: base.window,
      isWorkingDay: (date) => {
        const year = Number(date.slice(0, 4));
        if (!loadedYears.has(year) && !warnedYears.has(year)) {
          warnedYears.add(year);
          this.logger.warn(`No holidays loaded for ${year}: counting weekends only. Load it with POST /api/v1/calendar/${year}/import or PUT /api/v1/calendar/${year}.`);
        }
        return base.isWorkingDay(date);
      },
    };
    return calendar;
  }

  async getYear(year: number): Promise<CalendarYearDto> {
    const [record, days, settings] = await Promise.all([
      this.dataSource.getRepository(CalendarYear).findOneBy({ year }),
      this.dataSource
        .getRepository(CalendarDay)
        .find({ where: { date: Between(`${year}-01-01`, `${year}-12-31`) }, order: { date: 'ASC' } }),
      this.dataSource.getRepository(CalendarSettings).findOneBy({ id: 1 }),
    ]);
    return {
      year,
      loaded: record !== null,
      source: record?.source ?? null,
      days: days.map(({ date, kind, name, manual }) => ({ date, kind, name, manual })),
      workingHours: {
        start: toHhMm(settings?.workStartMinute ?? WHOLE_DAY.startMinute),
        end: toHhMm(settings?.workEndMinute ?? WHOLE_DAY.endMinute),
      },
    };
  }

  /** Replaces a year's holidays and make-up days with the given list; every day that changes is logged. */
  async replaceYear(actor: AuthUser, year: number, days: CalendarDayDto[], source = 'manual'): Promise<CalendarYearDto> {
    const errors = days.flatMap((day, i) => this.dayErrors(year, day).map((message) => ({ field: `days.${i}`, message })));
    const dates = days.map((d) => d.date);
    if (new Set(dates).size !== dates.length) errors.push({ field: 'days', message: 'a date appears twice' });
    if (errors.length > 0) {
      throw new DomainError('validation_failed', errors.map((e) => e.message).join('; '), { errors });
    }
    await this.edit(async (manager) => {
      const yearDays = { date: Between(`${year}-01-01`, `${year}-12-31`) };
      const existing = await manager.getRepository(CalendarDay).find({ select: { date: true }, where: yearDays });
      const desired = new Map<string, DayState>(existing.map((day) => [day.date, null]));
      for (const { date, kind, name } of days) desired.set(date, { kind, name: name ?? null });
      await this.applyDays(manager, actor, desired);
      // The whole year now comes from one source: no day is an edit of its own.
      await manager.getRepository(CalendarDay).update({ ...yearDays, manual: true }, { manual: false });
      await manager.upsert(CalendarYear, { year, source }, ['year']);
    });
    return this.getYear(year);
  }

  /**
   * Sets the days `from`..`to` (both included, in `year`) to `kind`, or back to the
   * weekday/weekend rule when `kind` is null, leaving the rest of the year and its source as
   * they are. An exception is stored only where the kind differs from the rule (a weekday
   * set to workday is the rule). `fields` names the inputs in errors.
   */
  async setDays(
    actor: AuthUser,
    year: number,
    range: { from: string; to: string },
    kind: DayKind | null,
    name: string | null,
    fields = { from: 'from', to: 'to' },
  ): Promise<CalendarYearDto> {
    for (const key of ['from', 'to'] as const) {
      const date = range[key];
      if (!isRealDate(date)) throw invalid(fields[key], `${date} is not a real date`);
      if (!date.startsWith(`${year}-`)) throw invalid(fields[key], `${date} is not in ${year}`);
    }
    if (range.from > range.to) throw invalid(fields.to, `to (${range.to}) is before from (${range.from})`);
    if (kind === null && name) throw invalid('name', 'a name goes with a kind; clearing a day removes its name');
    const desired = new Map<string, DayState>();
    for (let at = Date.parse(`${range.from}T00:00:00Z`); at <= Date.parse(`${range.to}T00:00:00Z`); at += DAY_MS) {
      const date = new Date(at).toISOString().slice(0, 10);
      const exception = kind !== null && (kind === 'holiday') !== isWeekend(date);
      desired.set(date, exception ? { kind, name: name ?? null } : null);
    }
    await this.edit((manager) => this.applyDays(manager, actor, desired, true));
    return this.getYear(year);
  }

  /** Who changed which day of `year` when, newest first. */
  async changes(year: number, page: PageQueryDto): Promise<CalendarDayChangePageDto> {
    const query = this.dataSource
      .getRepository(CalendarDayChange)
      .createQueryBuilder('c')
      .where('c.date BETWEEN :from AND :to', { from: `${year}-01-01`, to: `${year}-12-31` });
    const result = await keysetPage(query, {
      alias: 'c',
      column: 'created_at',
      property: 'createdAt',
      descending: true,
      cursor: page.cursor,
      limit: page.limit ?? DEFAULT_PAGE_SIZE,
    });
    return {
      items: result.items.map(({ id, date, before, after, actorId, createdAt }) => ({ id, date, before, after, actorId, at: createdAt })),
      nextCursor: result.nextCursor,
    };
  }

  /** One calendar edit: serialised with the others, and seen at once by this process's deadline maths. */
  private async edit(write: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(EDIT_LOCK);
      await write(manager);
    });
    this.cached.clear();
  }

  /** Writes the days whose state differs from `desired` and logs each change with its actor. */
  private async applyDays(manager: EntityManager, actor: AuthUser, desired: Map<string, DayState>, manual = false): Promise<void> {
    const rows = await manager.getRepository(CalendarDay).findBy({ date: In([...desired.keys()]) });
    const before = new Map<string, DayState>(rows.map((row) => [row.date, { kind: row.kind, name: row.name }]));
    const changes = [...desired]
      .map(([date, after]) => ({ date, before: before.get(date) ?? null, after }))
      .filter((change) => change.before?.kind !== change.after?.kind || change.before?.name !== change.after?.name);
    if (changes.length === 0) return;
    const cleared = changes.filter((change) => change.after === null).map((change) => change.date);
    if (cleared.length > 0) await manager.delete(CalendarDay, { date: In(cleared) });
    const set = changes.flatMap(({ date, after }) => (after ? [{ date, ...after, manual }] : []));
    if (set.length > 0) await manager.upsert(CalendarDay, set, ['date']);
    const createdAt = this.clock.now();
    await manager.insert(
      CalendarDayChange,
      changes.map((change) => ({ ...change, actorId: actor.id, createdAt })),
    );
  }

  /** Loads a year from the `chinese-days` package (statutory holidays and 调休). */
  async importYear(actor: AuthUser, year: number): Promise<CalendarYearDto> {
    const days = chineseDaysExceptions(year);
    if (days.length === 0) {
      throw new DomainError('unprocessable', `The bundled holiday data has no entries for ${year}; enter it with PUT /api/v1/calendar/${year}`);
    }
    return this.replaceYear(actor, year, days, 'chinese-days');
  }

  async setWorkingHours(hours: WorkingHoursDto): Promise<WorkingHoursDto> {
    const workStartMinute = toMinutes(hours.start);
    const workEndMinute = toMinutes(hours.end);
    if (workEndMinute <= workStartMinute) {
      throw new DomainError('validation_failed', 'end must be after start', {
        errors: [{ field: 'end', message: 'end must be after start' }],
      });
    }
    await this.dataSource.getRepository(CalendarSettings).upsert({ id: 1, workStartMinute, workEndMinute }, ['id']);
    this.cached.clear();
    return { start: toHhMm(workStartMinute), end: toHhMm(workEndMinute) };
  }

  private dayErrors(year: number, day: CalendarDayDto): string[] {
    if (!isRealDate(day.date)) return [`${day.date} is not a real date`];
    if (!day.date.startsWith(`${year}-`)) return [`${day.date} is not in ${year}`];
    if (day.kind === 'workday' && !isWeekend(day.date)) return [`${day.date} is a weekday: it is a working day already`];
    if (day.kind === 'holiday' && isWeekend(day.date)) return [`${day.date} is a weekend day: it is off already`];
    return [];
  }
}

/** Replaces one year's exceptions (the caller validated them). Also used by the demo seed. */
export async function writeYear(
  manager: EntityManager,
  year: number,
  days: { date: string; kind: DayKind; name?: string | null }[],
  source: string,
): Promise<void> {
  await manager.delete(CalendarDay, { date: Between(`${year}-01-01`, `${year}-12-31`) });
  if (days.length > 0) {
    await manager.insert(
      CalendarDay,
      days.map(({ date, kind, name }) => ({ date, kind, name: name ?? null })),
    );
  }
  await manager.upsert(CalendarYear, { year, source }, ['year']);
}

/** Weekday holidays and weekend working days of a year, as the package knows them. */
export function chineseDaysExceptions(year: number): { date: string; kind: DayKind; name: string | null }[] {
  const [from, to] = [`${year}-01-01`, `${year}-12-31`];
  const holidays = getHolidaysInRange(from, to, false)
    .filter((date) => !isWeekend(date))
    .map((date) => ({ date, kind: 'holiday' as const }));
  const workdays = getWorkdaysInRange(from, to, true)
    .filter((date) => isWeekend(date))
    .map((date) => ({ date, kind: 'workday' as const }));
  return [...holidays, ...workdays]
    .map((day) => ({ ...day, name: holidayName(day.date) }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** `getDayDetail` names a day "English,中文,n"; keep the Chinese name. */
function holidayName(date: string): string | null {
  const name = getDayDetail(date).name;
  const parts = name.split(',');
  return parts.length >= 2 ? parts[1] : null;
}
