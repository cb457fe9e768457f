import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsOmittable } from '../../common/validation/is-omittable';
import { CursorPageDto, PageQueryDto } from '../../common/pagination/cursor-page-query.dto';
import { ArrayMax, IsTimestamp, NestedList, Text, TimestampFilter } from '../../common/validation/validators';
import { DemandDto, TicketDto } from '../../tickets/dto/ticket.dto';
import { ENGAGEMENT_TYPES, type EngagementType } from '../engagement-types';

/** Two spellings of one uuid are one id. */
const uuidIdentity = (id: unknown) => String(id).toLowerCase();

export class CreateEngagementDto {
  @ApiProperty({ enum: ENGAGEMENT_TYPES, example: 'afternoon_tea' })
  @IsIn(ENGAGEMENT_TYPES)
  type: EngagementType;

  @ApiProperty({ example: '2026-05-12T15:00:00+08:00', description: 'When it took place' })
  @IsTimestamp()
  occurredAt: string;

  @ApiPropertyOptional({ example: '开发区企业服务中心二楼会议室', maxLength: 200 })
  @IsOmittable()
  @Text(200)
  place?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Users (officials) present', example: [] })
  @IsOmittable()
  @IsArray()
  @ArrayMax(50)
  @ArrayUnique(uuidIdentity)
  @IsUUID(undefined, { each: true })
  officialIds?: string[];

  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    example: ['9d3c7f0e-2b1a-4c5d-8e6f-7a8b9c0d1e2f'],
    description: 'Enterprises present (at least one)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMax(50)
  @ArrayUnique(uuidIdentity)
  @IsUUID(undefined, { each: true })
  enterpriseIds: string[];

  @ApiPropertyOptional({ example: '三家企业参加，围绕用地、用电、融资、用工提出诉求。', maxLength: 5000 })
  @IsOmittable()
  @Text(5000)
  notes?: string;

  @ApiPropertyOptional({
    type: [DemandDto],
    description: 'Demands raised there; each by an enterprise in enterpriseIds. Written with the engagement, all or nothing.',
  })
  @NestedList(() => DemandDto, 50)
  demands?: DemandDto[];
}

export class ListEngagementsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ENGAGEMENT_TYPES })
  @IsOptional()
  @IsIn(ENGAGEMENT_TYPES)
  type?: EngagementType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Engagements this enterprise was present at' })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;

  @TimestampFilter('Took place at or after (inclusive)', '2026-05-01T00:00:00+08:00')
  from?: string;

  @TimestampFilter('Took place before (exclusive)', '2026-06-01T00:00:00+08:00')
  to?: string;
}

export class EngagementDto {
  @ApiProperty({ format: 'uuid', example: 'c2a4e6f8-1b3d-4f5a-9c7e-0d2b4f6a8c1e' })
  id: string;

  @ApiProperty({ enum: ENGAGEMENT_TYPES, example: 'afternoon_tea' })
  type: EngagementType;

  @ApiProperty({ example: '2026-05-12T07:00:00.000Z' })
  occurredAt: Date;

  @ApiProperty({ nullable: true, type: String, example: '开发区企业服务中心二楼会议室' })
  place: string | null;

  @ApiProperty({ type: [String], format: 'uuid', example: [] })
  officialIds: string[];

  @ApiProperty({ type: [String], format: 'uuid', example: ['9d3c7f0e-2b1a-4c5d-8e6f-7a8b9c0d1e2f'] })
  enterpriseIds: string[];

  @ApiProperty({ nullable: true, type: String, example: '三家企业参加，围绕用地、用电、融资、用工提出诉求。' })
  notes: string | null;

  @ApiProperty({ format: 'uuid', example: '7e9a1c3b-5d7f-4b2e-9a4c-8e0b2d4f6a8c' })
  createdBy: string;

  @ApiProperty({ example: '2026-05-12T09:10:00.000Z' })
  createdAt: Date;
}

export class EngagementDetailDto extends EngagementDto {
  @ApiProperty({ type: [TicketDto], description: 'The demands raised there that you may see' })
  tickets: TicketDto[];
}

export class EngagementPageDto extends CursorPageDto {
  @ApiProperty({ type: [EngagementDto] })
  items: EngagementDto[];
}
