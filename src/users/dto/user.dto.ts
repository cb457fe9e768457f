import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsOmittable } from '../../common/validation/is-omittable';
import { ROLES, type Role } from '../entities/user.entity';
import { MainlandMobile, Text } from '../../common/validation/validators';

export class CreateUserDto {
  @ApiProperty({ example: 'liaison3', description: 'Lower-case letters, digits, dot, dash, underscore' })
  @Matches(/^[a-z0-9._-]{3,64}$/, { message: 'username must be 3-64 lower-case letters, digits, . _ or -' })
  username: string;

  @ApiProperty({ example: '李联络' })
  @Text(100, 1)
  displayName: string;

  @ApiProperty({ example: 'a-long-initial-password', minLength: 10 })
  @Text(256, 10)
  password: string;

  @ApiProperty({ enum: ROLES, example: 'liaison_officer' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Required for department handlers' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ example: '13800000000', nullable: true, type: String })
  @IsOptional()
  @Matches(/^\+?[0-9 -]{5,20}$/, { message: 'phone must be 5-20 digits' })
  phone?: string;

  @ApiPropertyOptional({
    example: '13800000000',
    nullable: true,
    type: String,
    description: 'A mainland mobile, 11 digits: group robots @-mention the user by it (WeCom, DingTalk)',
  })
  @IsOptional()
  @MainlandMobile()
  mobile?: string | null;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: '李联络' })
  @IsOmittable()
  @Text(100, 1)
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ description: 'false disables the account: its tokens stop working (and stay revoked when it is enabled again)' })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ minLength: 10, description: 'A new password: every token of the user stops working' })
  @IsOmittable()
  @Text(256, 10)
  password?: string;

  @ApiPropertyOptional({
    example: '13800000000',
    nullable: true,
    type: String,
    description: 'A mainland mobile, 11 digits (null removes it): group robots @-mention the user by it (WeCom, DingTalk)',
  })
  @IsOptional()
  @MainlandMobile()
  mobile?: string | null;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'liaison3' })
  username: string;

  @ApiProperty({ example: '李联络' })
  displayName: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  departmentId: string | null;

  @ApiProperty({ nullable: true, type: String, example: '13800000000' })
  phone: string | null;

  @ApiProperty({ nullable: true, type: String, example: '13800000000' })
  mobile: string | null;

  @ApiProperty({ example: true })
  active: boolean;
}

export class ListUsersQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}
