import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation/is-omittable';
import { IsTimestamp, NestedList, Text } from '../../common/validation/validators';
import { AttachmentDto } from './ticket.dto';

/** Every action may carry the version the caller read; a stale one is a 409. */
class VersionedActionDto {
  @ApiPropertyOptional({ example: 3, description: 'The version you read (or send If-Match)' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ReasonDto extends VersionedActionDto {
  @ApiProperty({ example: '等待企业补充土地权属材料', description: 'Why (kept in the timeline)' })
  @Text(2000, 2)
  reason: string;
}

export class OptionalNoteDto extends VersionedActionDto {
  @ApiPropertyOptional({ example: '企业已提交材料', nullable: true, type: String })
  @IsOptional()
  @Text(2000)
  note?: string;
}

export class RouteDto extends VersionedActionDto {
  @ApiProperty({ format: 'uuid', description: 'The department that takes the demand' })
  @IsUUID()
  departmentId: string;

  @ApiPropertyOptional({ example: '属供电业务，转供电服务中心', nullable: true, type: String })
  @IsOptional()
  @Text(2000)
  note?: string;
}

export class ResolveDto extends VersionedActionDto {
  @ApiProperty({ example: '已协调供电公司完成双回路接入，企业确认送电', description: 'What was done' })
  @Text(10_000, 2)
  resolution: string;

  @ApiPropertyOptional({ type: [AttachmentDto] })
  @NestedList(() => AttachmentDto, 20)
  attachments?: AttachmentDto[];
}

export class ExtendDto extends ReasonDto {
  @ApiProperty({ example: '2026-11-30T18:00:00+08:00', description: "The current tier's new deadline" })
  @IsTimestamp()
  newDeadline: string;
}
