import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './keyset';

/** `cursor` + `limit` of every keyset-paginated list. */
export class PageQueryDto {
  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page; omit for the first page',
    example: 'WyIxNzk1MzEzNTUxNzI4NzM2IiwiMGI2ZiJd',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

/** What every page answers besides its items. */
export abstract class CursorPageDto {
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'WyIxNzk1MzEzNTUxNzI4NzM2IiwiMGI2ZiJd',
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
}
