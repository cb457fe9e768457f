import { ApiProperty } from '@nestjs/swagger';

export class HealthStatusDto {
  @ApiProperty({ example: 'ok' })
  status: 'ok';

  @ApiProperty({ example: { postgres: 'up', redis: 'up' } })
  checks: Record<string, 'up' | 'down'>;
}
