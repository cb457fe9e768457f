import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, ValidateIf } from 'class-validator';
import { CursorPageDto } from '../../common/pagination/cursor-page-query.dto';
import type { DayState } from '../entities/calendar-day-change.entity';
import type { DayKind } from '../working-time';
import { IsDay, ListOf, Text } from '../../common/validation/validators';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export class CalendarDayDto {
  @ApiProperty({ example: '2026-10-01', description: 'Local date (Asia/Shanghai)' })
  @IsDay()
  date: string;

  @ApiProperty({ enum: ['holiday', 'workday'], example: 'holiday', description: 'holiday: a weekday off; workday: a weekend day worked (调休)' })
  @IsIn(['holiday', 'workday'])
  kind: DayKind;

  @ApiPropertyOptional({ example: '国庆节', nullable: true, type: String })
  @IsOptional()
  @Text(100)
  name?: string | null;
}

/** A day as GET shows it. */
export class CalendarDayViewDto extends CalendarDayDto {
  @ApiProperty({ example: false, description: 'Set or changed by hand, day by day (the year keeps its source)' })
  manual: boolean;
}

const KIND_DESCRIPTION =
  'What the day is to be: holiday (off) or workday (worked). Stored as an exception only where it differs from ' +
  'the weekday/weekend rule: a weekday set to workday, or a weekend day set to holiday, is cleared back to that rule.';

export class SetDayDto {
  @ApiProperty({ enum: ['holiday', 'workday'], example: 'holiday', description: KIND_DESCRIPTION })
  @IsIn(['holiday', 'workday'])
  kind: DayKind;

  @ApiPropertyOptional({ example: '国庆节', nullable: true, type: String })
  @IsOptional()
  @Text(100)
  name?: string | null;
}

export class SetDaysDto {
  @ApiProperty({ example: '2026-10-01', description: 'First day of the range, in the URL\'s year' })
  @IsDay()
  from: string;

  @ApiProperty({ example: '2026-10-07', description: 'Last day of the range (included), in the URL\'s year' })
  @IsDay()
  to: string;

  @ApiProperty({ enum: ['holiday', 'workday'], nullable: true, example: 'holiday', description: `${KIND_DESCRIPTION} null clears the range back to the rule.` })
  @ValidateIf((_, value) => value !== null)
  @IsIn(['holiday', 'workday'], { message: 'kind must be holiday, workday or null' })
  kind: DayKind | null;

  @ApiPropertyOptional({ example: '国庆节', nullable: true, type: String, description: 'Only with a kind' })
  @IsOptional()
  @Text(100)
  name?: string | null;
}

export class DayStateDto {
  @ApiProperty({ enum: ['holiday', 'workday'] })
  kind: DayKind;

  @ApiProperty({ nullable: true, type: String })
  name: string | null;
}

export class CalendarDayChangeDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '2026-10-08' })
  date: string;

  @ApiProperty({ type: DayStateDto, nullable: true, description: 'null: the weekday/weekend rule' })
  before: DayState;

  @ApiProperty({ type: DayStateDto, nullable: true, description: 'null: the weekday/weekend rule' })
  after: DayState;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who changed it' })
  actorId: string | null;

  @ApiProperty({ example: '2026-09-30T08:00:00.000Z' })
  at: Date;
}

export class CalendarDayChangePageDto extends CursorPageDto {
  @ApiProperty({ type: [CalendarDayChangeDto] })
  items: CalendarDayChangeDto[];
}

export class ReplaceYearDto {
  @ApiProperty({ type: [CalendarDayDto] })
  @ListOf(() => CalendarDayDto, 366)
  days: CalendarDayDto[];
}

export class WorkingHoursDto {
  @ApiProperty({ example: '09:00', description: '00:00 with 24:00 means whole days' })
  @Matches(HH_MM, { message: 'start must be HH:MM' })
  start: string;

  @ApiProperty({ example: '17:30' })
  @Matches(HH_MM, { message: 'end must be HH:MM' })
  end: string;
}

export class CalendarYearDto {
  @ApiProperty({ example: 2026 })
  year: number;

  @ApiProperty({ example: true, description: 'false: no holidays loaded, only weekends are off' })
  loaded: boolean;

  @ApiProperty({ example: 'chinese-days', nullable: true, type: String })
  source: string | null;

  @ApiProperty({ type: [CalendarDayViewDto] })
  days: CalendarDayViewDto[];

  @ApiProperty({ type: WorkingHoursDto })
  workingHours: WorkingHoursDto;
}
