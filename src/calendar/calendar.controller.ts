import { Body, Controller, Delete, Get, HttpCode, Injectable, Param, Patch, type PipeTransform, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { DomainError } from '../common/errors/domain-error';
import { inYearRange, MAX_YEAR, MIN_YEAR } from '../common/validation/validators';
import { ApiProblem } from '../common/errors/problem-details';
import { PageQueryDto } from '../common/pagination/cursor-page-query.dto';
import { CalendarService } from './calendar.service';
import { CalendarDayChangePageDto, CalendarYearDto, ReplaceYearDto, SetDayDto, SetDaysDto, WorkingHoursDto } from './dto/calendar.dto';

/** A calendar year in the URL; anything outside MIN_YEAR-MAX_YEAR is a typo. */
@Injectable()
class YearPipe implements PipeTransform<string | number, number> {
  // The global validation pipe may already have converted the parameter to a number.
  transform(value: string | number): number {
    const text = String(value);
    const year = Number(text);
    if (!/^\d{4}$/.test(text) || !inYearRange(text)) {
      const message = `year must be a year between ${MIN_YEAR} and ${MAX_YEAR}`;
      throw new DomainError('validation_failed', message, { errors: [{ field: 'year', message }] });
    }
    return year;
  }
}

const DATE = { name: 'date', example: '2026-10-08', description: 'A day of the year in the URL (YYYY-MM-DD, Asia/Shanghai)' };
const BAD_DAY = 'Not a real date, or not in that year';
const KEEPS_DEADLINES = 'The year keeps its source; the day is marked manual and the change logged. Deadlines already computed keep their dates; new deadlines use the edited calendar.';

@ApiTags('calendar')
@Authenticated()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get(':year')
  @ApiOperation({ summary: "A year's statutory holidays and make-up working days, and the working hours", description: 'Any signed-in user: the days deadlines count as working or not.' })
  @ApiOkResponse({ type: CalendarYearDto })
  getYear(@Param('year', YearPipe) year: number): Promise<CalendarYearDto> {
    return this.calendar.getYear(year);
  }

  @Put(':year')
  @Roles('manager', 'admin')
  @ApiOperation({
    summary: "Replace a year's holidays and make-up working days",
    description: 'Deadlines already computed keep their dates; new deadlines use the new calendar.',
  })
  @ApiOkResponse({ type: CalendarYearDto })
  replaceYear(@CurrentUser() user: AuthUser, @Param('year', YearPipe) year: number, @Body() body: ReplaceYearDto): Promise<CalendarYearDto> {
    return this.calendar.replaceYear(user, year, body.days);
  }

  @Put(':year/days/:date')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Make one day a holiday (off) or a working day, leaving the rest of the year as it is', description: KEEPS_DEADLINES })
  @ApiParam(DATE)
  @ApiOkResponse({ type: CalendarYearDto })
  @ApiProblem(400, BAD_DAY)
  setDay(
    @CurrentUser() user: AuthUser,
    @Param('year', YearPipe) year: number,
    @Param('date') date: string,
    @Body() body: SetDayDto,
  ): Promise<CalendarYearDto> {
    return this.calendar.setDays(user, year, { from: date, to: date }, body.kind, body.name ?? null, { from: 'date', to: 'date' });
  }

  @Delete(':year/days/:date')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Clear one day back to the weekday/weekend rule', description: KEEPS_DEADLINES })
  @ApiParam(DATE)
  @ApiOkResponse({ type: CalendarYearDto })
  @ApiProblem(400, BAD_DAY)
  clearDay(@CurrentUser() user: AuthUser, @Param('year', YearPipe) year: number, @Param('date') date: string): Promise<CalendarYearDto> {
    return this.calendar.setDays(user, year, { from: date, to: date }, null, null, { from: 'date', to: 'date' });
  }

  @Patch(':year/days')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Set a range of days (from-to, included) to holiday or workday, or clear it (kind null)', description: KEEPS_DEADLINES })
  @ApiOkResponse({ type: CalendarYearDto })
  @ApiProblem(400, BAD_DAY)
  setDays(@CurrentUser() user: AuthUser, @Param('year', YearPipe) year: number, @Body() body: SetDaysDto): Promise<CalendarYearDto> {
    return this.calendar.setDays(user, year, body, body.kind, body.name ?? null);
  }

  @Get(':year/changes')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Who changed which day of the year when, from what to what, newest first', description: 'Managers and admins: the audit log of calendar edits. Follow `nextCursor` for the next page.' })
  @ApiOkResponse({ type: CalendarDayChangePageDto })
  changes(@Param('year', YearPipe) year: number, @Query() query: PageQueryDto): Promise<CalendarDayChangePageDto> {
    return this.calendar.changes(year, query);
  }

  @Post(':year/import')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Load a year from the bundled chinese-days data (replaces that year)', description: 'Managers and admins. A year the bundled data does not cover is a 422.' })
  @ApiOkResponse({ type: CalendarYearDto })
  @ApiProblem(422, 'No bundled data for that year')
  importYear(@CurrentUser() user: AuthUser, @Param('year', YearPipe) year: number): Promise<CalendarYearDto> {
    return this.calendar.importYear(user, year);
  }

  @Put('settings/working-hours')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Working hours of a working day (00:00-24:00 means whole days, the default)', description: 'Managers and admins: the hours of every working day deadlines count.' })
  @ApiOkResponse({ type: WorkingHoursDto })
  setWorkingHours(@Body() body: WorkingHoursDto): Promise<WorkingHoursDto> {
    return this.calendar.setWorkingHours(body);
  }
}
