import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../users/entities/user.entity';
import { Text } from '../../common/validation/validators';

export class LoginDto {
  @ApiProperty({ example: 'liaison1' })
  @Text(64, 1)
  username: string;

  @ApiProperty({ example: 'demo-liaison1' })
  @Text(256, 1)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'demo-liaison1' })
  @Text(256, 1)
  currentPassword: string;

  @ApiProperty({ example: 'a-new-long-password', minLength: 10 })
  @Text(256, 10)
  newPassword: string;
}

export class TokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIs...' })
  accessToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ example: 28800, description: 'Seconds until the token expires' })
  expiresIn: number;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'liaison1' })
  username: string;

  @ApiProperty({ example: '王联络' })
  displayName: string;

  @ApiProperty({ enum: ROLES, example: 'liaison_officer' })
  role: Role;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  departmentId: string | null;
}
