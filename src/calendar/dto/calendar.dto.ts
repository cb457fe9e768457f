import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, Matches, ValidateNested } from 'class-validator';
import type { DayKind } from '../working-time';
import { IsDay, Text } from '../../common/validation/validators';

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

export class ReplaceYearDto {
  @ApiProperty({ type: [CalendarDayDto] })
  @IsArray()
  @ArrayMaxSize(366)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
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

  @ApiProperty({ type: [CalendarDayDto] })
  days: CalendarDayDto[];

  @ApiProperty({ type: WorkingHoursDto })
  workingHours: WorkingHoursDto;
}
