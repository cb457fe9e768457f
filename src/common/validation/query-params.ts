import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** Offset pagination of the enterprise and pairing lists; answers carry `{ items, total }`. */
export class OffsetPageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, default: 0, example: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset: number = 0;
}

/** An optional query-string flag: only `true` or `false`; anything else fails validation. */
export const OptionalQueryBoolean = () =>
  applyDecorators(
    IsOptional(),
    Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
      const raw = obj[key];
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    }),
    IsBoolean(),
  );

/** An optional filter by the id of a row. */
export const OptionalUuidFilter = () => applyDecorators(ApiPropertyOptional({ format: 'uuid' }), IsOptional(), IsUUID());
