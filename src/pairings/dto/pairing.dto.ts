import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { EnterpriseDto } from '../../enterprises/dto/enterprise.dto';
import { OffsetPageQueryDto, OptionalQueryBoolean, OptionalUuidFilter } from '../../common/validation/query-params';
import { IsOmittable } from '../../common/validation/is-omittable';
import { IsDay } from '../../common/validation/validators';

export class CreatePairingDto {
  @ApiProperty({ format: 'uuid', description: 'An active deputy_leader or principal_leader' })
  @IsUUID()
  leaderId: string;

  @ApiProperty({ format: 'uuid', example: '0b6f3a52-8d1e-4f7a-9c0e-2d5b7e9a1c34' })
  @IsUUID()
  enterpriseId: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-03-16',
    description: 'First day of the pairing; default today (Asia/Shanghai); not in the future',
  })
  @IsOmittable()
  @IsDay()
  startedOn?: string;
}

export class EndPairingDto {
  @ApiProperty({
    format: 'date',
    example: '2026-09-30',
    description: 'First day the pairing no longer holds; between its start and today (Asia/Shanghai)',
  })
  @IsDay()
  endedOn: string;

  @ApiPropertyOptional({ example: '领导岗位调整', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class PairingListQueryDto extends OffsetPageQueryDto {
  @OptionalUuidFilter()
  leaderId?: string;

  @OptionalUuidFilter()
  enterpriseId?: string;

  @ApiPropertyOptional({ example: true, description: 'true: not ended; false: ended' })
  @OptionalQueryBoolean()
  active?: boolean;

  @ApiPropertyOptional({ format: 'date', example: '2026-03-16', description: 'Pairings in force on this day' })
  @IsOptional()
  @IsDay()
  at?: string;
}

export class PairingDto {
  @ApiProperty({ format: 'uuid', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  id: string;

  @ApiProperty({ format: 'uuid', example: '5a0c8e1b-3f2d-4b6a-8e7c-9d1f0a2b3c4d' })
  leaderId: string;

  @ApiProperty({ format: 'uuid', example: '0b6f3a52-8d1e-4f7a-9c0e-2d5b7e9a1c34' })
  enterpriseId: string;

  @ApiProperty({ format: 'date', example: '2026-03-16' })
  startedOn: string;

  @ApiProperty({
    format: 'date',
    type: String,
    nullable: true,
    example: null,
    description: 'First day the pairing no longer holds; null while active',
  })
  endedOn: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  endReason: string | null;

  @ApiProperty({ format: 'uuid', example: '9b2d4f6a-1c3e-4a5b-8d7f-0e1a2b3c4d5e' })
  createdBy: string;

  @ApiProperty({ example: '2026-03-16T01:20:00.000Z' })
  createdAt: Date;
}

export class PairingPageDto {
  @ApiProperty({ type: [PairingDto] })
  items: PairingDto[];

  @ApiProperty({ example: 3, description: 'How many pairings match, over all pages' })
  total: number;
}

export class LeaderEnterpriseDto {
  @ApiProperty({ format: 'uuid', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  pairingId: string;

  @ApiProperty({ format: 'date', example: '2026-03-16' })
  pairedSince: string;

  @ApiProperty({ type: EnterpriseDto })
  enterprise: EnterpriseDto;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-04-02T02:30:00.000Z',
    description: 'When the enterprise was last met in an engagement; null when never',
  })
  lastEngagementAt: Date | null;
}
