import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsOmittable, PatchOf } from '../../common/validation/is-omittable';
import { CATEGORIES, type Category } from '../../tickets/categories';
import { ArrayMax, Text } from '../../common/validation/validators';

export class CreateDepartmentDto {
  @ApiProperty({ example: '自然资源局' })
  @Text(100, 1)
  name: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The deputy leader in charge (分管领导)' })
  @IsOptional()
  @IsUUID()
  deputyLeaderId?: string;

  @ApiPropertyOptional({ enum: CATEGORIES, isArray: true, example: ['land'] })
  @IsOmittable()
  @IsArray()
  @ArrayMax(CATEGORIES.length)
  @ArrayUnique()
  @IsIn(CATEGORIES, { each: true })
  categories?: Category[];
}

export class UpdateDepartmentDto extends PatchOf(CreateDepartmentDto) {}

export class DepartmentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '自然资源局' })
  name: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  deputyLeaderId: string | null;

  @ApiProperty({ enum: CATEGORIES, isArray: true, example: ['land'] })
  categories: Category[];
}
