import { Body, Controller, Get, HttpCode, Injectable, Param, type PipeTransform, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { DomainError } from '../common/errors/domain-error';
import { inYearRange, MAX_YEAR, MIN_YEAR } from '../common/validation/validators';
import { ProblemDetailsDto } from '../common/errors/problem-details';
import { CalendarService } from './calendar.service';
import { CalendarYearDto, ReplaceYearDto, WorkingHoursDto } from './dto/calendar.dto';

/** A calendar year in the URL; anything outside MIN_YEAR-MAX_YEAR is a typo. */
@Injectable()
class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const year = Number(value);
    if (!/^\d{4}$/.test(value) || !inYearRange(value)) {
      const message = `year must be a year between ${MIN_YEAR} and ${MAX_YEAR}`;
      throw new DomainError('validation_failed', message, { errors: [{ field: 'year', message }] });
    }
    return year;
  }
}

@ApiTags('calendar')
@Authenticated()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get(':year')
  @ApiOperation({ summary: "A year's statutory holidays and make-up working days, and the working hours" })
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
  replaceYear(@Param('year', YearPipe) year: number, @Body() body: ReplaceYearDto): Promise<CalendarYearDto> {
    return this.calendar.replaceYear(year, body.days);
  }

  @Post(':year/import')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Load a year from the bundled chinese-days data (replaces that year)' })
  @ApiOkResponse({ type: CalendarYearDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDetailsDto, description: 'No bundled data for that year' })
  importYear(@Param('year', YearPipe) year: number): Promise<CalendarYearDto> {
    return this.calendar.importYear(year);
  }

  @Put('settings/working-hours')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Working hours of a working day (00:00-24:00 means whole days, the default)' })
  @ApiOkResponse({ type: WorkingHoursDto })
  setWorkingHours(@Body() body: WorkingHoursDto): Promise<WorkingHoursDto> {
    return this.calendar.setWorkingHours(body);
  }
}
