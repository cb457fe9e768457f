import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsIn, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { IsOmittable, PatchOf } from '../../common/validation/is-omittable';
import { CATEGORIES, type Category } from '../../tickets/categories';
import { SLA_COUNTINGS, SLA_MODES, type SlaCounting, type SlaMode, TIER2_OWNERS, type Tier2Owner } from '../entities/sla-policy.entity';
import { ArrayMax, Text } from '../../common/validation/validators';

const COUNTING_DESCRIPTION =
  'How working days count. legal (default for working_days): the intake day is not counted and tier N ends at the close ' +
  '(24:00, or the end of office hours) of the Nth working day after it; budgets must be whole days. elapsed: N working ' +
  "days' worth of working time from the instant of intake. Mode duration is always elapsed.";

export class CreateSlaPolicyDto {
  @ApiProperty({ example: '用地类 1-2-3' })
  @Text(100, 1)
  name: string;

  @ApiPropertyOptional({ enum: CATEGORIES, nullable: true, type: String, description: 'null: the default policy' })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: Category | null;

  @ApiProperty({ enum: SLA_MODES, example: 'working_days' })
  @IsIn(SLA_MODES)
  mode: SlaMode;

  @ApiProperty({
    example: [1, 2, 3],
    description: 'Per tier, cumulative from intake: working days (numbers) or ISO 8601 durations such as "PT30S" (mode duration)',
    type: 'array',
    items: { oneOf: [{ type: 'number' }, { type: 'string' }] },
  })
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMax(3)
  budgets: (number | string)[];

  @ApiPropertyOptional({ example: 0.75, default: 0.75, description: 'Warn the owner after this share of the tier' })
  @IsOmittable()
  @IsNumber()
  @Min(0.05)
  @Max(0.99)
  warnRatio?: number;

  @ApiPropertyOptional({ enum: TIER2_OWNERS, default: 'deputy_leader', description: 'Who owns tier 2' })
  @IsOmittable()
  @IsIn(TIER2_OWNERS)
  tier2Owner?: Tier2Owner;

  @ApiPropertyOptional({ example: 'PT10S', nullable: true, type: String, description: 'Overdue reminder period; null: every working day' })
  @IsOptional()
  @Text(40)
  reminderInterval?: string | null;

  @ApiPropertyOptional({ enum: SLA_COUNTINGS, description: COUNTING_DESCRIPTION })
  @IsOmittable()
  @IsIn(SLA_COUNTINGS)
  counting?: SlaCounting;
}

export class UpdateSlaPolicyDto extends PatchOf(CreateSlaPolicyDto) {}

export class SlaPolicyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '1-2-3 办结制 (default)' })
  name: string;

  @ApiProperty({ enum: CATEGORIES, nullable: true, type: String })
  category: Category | null;

  @ApiProperty({ enum: SLA_MODES })
  mode: SlaMode;

  @ApiProperty({ example: [1, 2, 3], type: 'array', items: { oneOf: [{ type: 'number' }, { type: 'string' }] } })
  budgets: (number | string)[];

  @ApiProperty({ example: 0.75 })
  warnRatio: number;

  @ApiProperty({ enum: TIER2_OWNERS })
  tier2Owner: Tier2Owner;

  @ApiProperty({ nullable: true, type: String, example: null })
  reminderInterval: string | null;

  @ApiProperty({ enum: SLA_COUNTINGS, description: COUNTING_DESCRIPTION })
  counting: SlaCounting;
}
