import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOmittable, PatchOf } from '../../common/validation/is-omittable';
import {
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsCreditCode } from '../credit-code';
import { OffsetPageQueryDto, OptionalQueryBoolean, OptionalUuidFilter } from '../../common/validation/query-params';
import { ListOf, MAINLAND_MOBILE, MainlandMobile } from '../../common/validation/validators';

const CREDIT_CODE_EXAMPLE = '914403001922038216';
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ContactDto {
  @ApiProperty({ example: '王建国' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '13800138000', description: 'Mobile or landline; digits, spaces, +, -' })
  @IsString()
  @Matches(/^\+?\d[\d -]{4,19}$/, { message: 'phone must be a phone number (digits, spaces, +, -)' })
  phone: string;

  @ApiPropertyOptional({ example: '总经理', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  role?: string;
}

export class CreateEnterpriseDto {
  @ApiProperty({ example: '襄垣县示范煤化工有限公司' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({
    example: CREDIT_CODE_EXAMPLE,
    description: '统一社会信用代码: 18 characters, the last a GB 32100-2015 check digit; stored uppercase',
  })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsCreditCode()
  creditCode: string;

  @ApiPropertyOptional({ example: '煤化工', type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  industry?: string | null;

  @ApiPropertyOptional({ example: '襄垣经济技术开发区', type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  park?: string | null;

  @ApiPropertyOptional({ example: true, default: false, description: '重点企业' })
  @IsOmittable()
  @IsBoolean()
  isKey?: boolean;

  @ApiPropertyOptional({ type: [ContactDto] })
  @IsOmittable()
  @ListOf(() => ContactDto, 20)
  contacts?: ContactDto[];

  @ApiPropertyOptional({
    example: '13800138000',
    type: String,
    nullable: true,
    pattern: MAINLAND_MOBILE.source,
    description: 'The contact mobile survey links are sent to by SMS (when SMS is configured): a mainland mobile, 11 digits',
  })
  @IsOptional()
  @Transform(trimmed)
  @MainlandMobile()
  contactMobile?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    type: String,
    nullable: true,
    description: 'The liaison officer (领办员) who follows the enterprise: an active liaison_officer',
  })
  @IsOptional()
  @IsUUID()
  liaisonOfficerId?: string | null;
}

/** Every field optional; null clears industry, park and liaisonOfficerId and is refused elsewhere. */
export class UpdateEnterpriseDto extends PatchOf(CreateEnterpriseDto) {}

export class EnterpriseListQueryDto extends OffsetPageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name, or the start of the credit code', example: '煤化工' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ example: true, description: 'true: key enterprises (重点企业) only; false: the others' })
  @OptionalQueryBoolean()
  isKey?: boolean;

  @ApiPropertyOptional({ example: '襄垣经济技术开发区' })
  @IsOptional()
  @IsString()
  park?: string;

  @ApiPropertyOptional({ example: '煤化工' })
  @IsOptional()
  @IsString()
  industry?: string;

  @OptionalUuidFilter()
  liaisonOfficerId?: string;
}

export class EnterpriseDto {
  @ApiProperty({ format: 'uuid', example: '0b6f3a52-8d1e-4f7a-9c0e-2d5b7e9a1c34' })
  id: string;

  @ApiProperty({ example: '襄垣县示范煤化工有限公司' })
  name: string;

  @ApiProperty({ example: CREDIT_CODE_EXAMPLE })
  creditCode: string;

  @ApiProperty({ example: '煤化工', type: String, nullable: true })
  industry: string | null;

  @ApiProperty({ example: '襄垣经济技术开发区', type: String, nullable: true })
  park: string | null;

  @ApiProperty({ example: true })
  isKey: boolean;

  @ApiProperty({ type: [ContactDto] })
  contacts: ContactDto[];

  @ApiProperty({ example: '13800138000', type: String, nullable: true, description: 'Where survey links go by SMS' })
  contactMobile: string | null;

  @ApiProperty({ format: 'uuid', type: String, nullable: true, example: '5a0c8e1b-3f2d-4b6a-8e7c-9d1f0a2b3c4d' })
  liaisonOfficerId: string | null;

  @ApiProperty({ example: '2026-03-16T01:20:00.000Z' })
  createdAt: Date;

  @ApiProperty({ example: '2026-03-16T01:20:00.000Z' })
  updatedAt: Date;
}

export class EnterprisePageDto {
  @ApiProperty({ type: [EnterpriseDto] })
  items: EnterpriseDto[];

  @ApiProperty({ example: 42, description: 'How many enterprises match, over all pages' })
  total: number;
}
