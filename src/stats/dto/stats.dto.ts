import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { IsMonth, IsTimestamp } from '../../common/validation/validators';

export const GROUP_BY = ['department', 'leader', 'category', 'channel', 'enterprise', 'month'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export class StatsRangeQueryDto {
  @ApiPropertyOptional({
    example: '2026-11-01',
    description: 'Start (inclusive) of the created_at range: an ISO timestamp, or a date read as Shanghai midnight. Default: start of this Shanghai month.',
  })
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'End (exclusive); default: start of next Shanghai month.' })
  @IsOptional()
  @IsTimestamp()
  to?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 1, example: 0.9, description: 'Weight of "basically satisfied" in the hotline satisfaction rate' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  basicWeight: number = 1;
}

export class StatsBreakdownQueryDto extends StatsRangeQueryDto {
  @ApiProperty({ enum: GROUP_BY, example: 'department' })
  @IsIn(GROUP_BY)
  groupBy: GroupBy;
}

export class PairingQueryDto {
  @ApiProperty({ example: '2026-11', description: 'A month, YYYY-MM, in Asia/Shanghai' })
  @IsMonth()
  month: string;
}

export class RateDto {
  @ApiProperty({ example: 9 })
  numerator: number;

  @ApiProperty({ example: 10 })
  denominator: number;

  @ApiProperty({ example: 0.9, nullable: true, type: Number, description: 'numerator / denominator; null when the denominator is 0' })
  rate: number | null;
}

export class HotlineRatesDto {
  @ApiProperty({ type: RateDto, description: '响应率: answered surveys / surveys sent' })
  responseRate: RateDto;

  @ApiProperty({ type: RateDto, description: '解决率: resolved or closed / raised' })
  resolutionRate: RateDto;

  @ApiProperty({ type: RateDto, description: '满意率: (satisfied + basicWeight × basically satisfied) / answered' })
  satisfactionRate: RateDto;
}

export class StatsFiguresDto {
  @ApiProperty({ example: 'dept-uuid-or-value', nullable: true, type: String, description: 'The group key (null: none, e.g. no department)' })
  key: string | null;

  @ApiProperty({ example: '自然资源局', nullable: true, type: String })
  label: string | null;

  @ApiProperty({ example: 10 }) raised: number;
  @ApiProperty({ example: 9 }) closed: number;
  @ApiProperty({ type: RateDto }) closureRate: RateDto;
  @ApiProperty({ example: 8, description: 'Closed, and no round passed its final deadline' }) closedOnTime: number;
  @ApiProperty({ type: RateDto }) onTimeRate: RateDto;
  @ApiProperty({ example: 6, description: 'Done, never overdue, highest tier reached over every round 1' }) resolvedAtTier1: number;
  @ApiProperty({ example: 2 }) resolvedAtTier2: number;
  @ApiProperty({ example: 1 }) resolvedAtTier3: number;
  @ApiProperty({ example: 0, description: 'Done, and some round passed its final deadline' }) resolvedAfterDeadline: number;
  @ApiProperty({ example: 1, description: 'Tickets reopened at least once' }) reopened: number;
  @ApiProperty({ example: 1, description: 'Reopenings, summed over the tickets' }) reopenings: number;
  @ApiProperty({ example: 1 }) open: number;
  @ApiProperty({ example: 0, description: 'Open and past the final deadline now' }) overdue: number;
  @ApiProperty({ example: 1, description: 'Tickets of which some round passed its final deadline (done or open)' }) everOverdue: number;
  @ApiProperty({ example: 12.5, description: 'Working hours past the final deadline, summed over every resolution' }) overdueHours: number;
  @ApiProperty({ example: 0 }) paused: number;
  @ApiProperty({ example: 5.5, nullable: true, type: Number, description: 'Median working hours from intake to resolution' })
  medianHoursToResolve: number | null;

  @ApiProperty({ example: 20, nullable: true, type: Number, description: '90th percentile of working hours from intake to resolution' })
  p90HoursToResolve: number | null;

  @ApiProperty({ example: 9 }) surveysSent: number;
  @ApiProperty({ example: 8 }) surveysAnswered: number;
  @ApiProperty({ type: RateDto }) responseRate: RateDto;
  @ApiProperty({ example: 6 }) satisfied: number;
  @ApiProperty({ example: 1 }) basicallySatisfied: number;
  @ApiProperty({ example: 1 }) unsatisfied: number;
  @ApiProperty({ example: 1 }) noResponse: number;
  @ApiProperty({ type: RateDto }) satisfactionRate: RateDto;
  @ApiProperty({ type: HotlineRatesDto }) hotline: HotlineRatesDto;
}

export class StatsRangeDto {
  @ApiProperty({ example: '2026-10-31T16:00:00.000Z' }) from: string;
  @ApiProperty({ example: '2026-11-30T16:00:00.000Z' }) to: string;
  @ApiProperty({ example: 1 }) basicWeight: number;
}

export class StatsSummaryDto extends StatsRangeDto {
  @ApiProperty({ type: StatsFiguresDto }) figures: StatsFiguresDto;
}

export class StatsBreakdownDto extends StatsRangeDto {
  @ApiProperty({ enum: GROUP_BY, example: 'department' }) groupBy: GroupBy;
  @ApiProperty({ type: [StatsFiguresDto] }) groups: StatsFiguresDto[];
}

export class EnterpriseRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '晋能装备' }) name: string;
}

export class LeaderCoverageDto {
  @ApiProperty({ format: 'uuid' }) leaderId: string;
  @ApiProperty({ example: '王副主任' }) leaderName: string;
  @ApiProperty({ example: 5 }) paired: number;
  @ApiProperty({ example: 4 }) visited: number;
  @ApiProperty({ type: RateDto }) coverage: RateDto;
  @ApiProperty({ type: [EnterpriseRefDto] }) notVisited: EnterpriseRefDto[];
}

export class PairingCoverageDto {
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ type: [LeaderCoverageDto] }) leaders: LeaderCoverageDto[];
}
