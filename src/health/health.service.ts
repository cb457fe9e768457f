import { Injectable } from '@nestjs/common';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DomainError } from '../common/errors/domain-error';
import { HealthStatusDto } from './dto/health-status.dto';
import { RedisHealthIndicator } from './redis.health';

type CheckDetails = Record<string, { status: 'up' | 'down' }>;

@Injectable()
export class HealthService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  async assertReady(): Promise<HealthStatusDto> {
    try {
      const result = await this.health.check([
        () => this.postgres.pingCheck('postgres', { timeout: 1500 }),
        () => this.redis.pingCheck('redis'),
      ]);
      return { status: 'ok', checks: this.summarise(result.details as CheckDetails) };
    } catch (error) {
      const details = (error as { response?: { details?: CheckDetails } }).response?.details;
      if (!details) throw error;
      const checks = this.summarise(details);
      const failing = Object.keys(checks).filter((name) => checks[name] === 'down');
      throw new DomainError('not_ready', `Not ready: ${failing.join(', ')} not answering`, {
        failing,
        checks,
      });
    }
  }

  private summarise(details: CheckDetails): Record<string, 'up' | 'down'> {
    return Object.fromEntries(Object.entries(details).map(([name, d]) => [name, d.status]));
  }
}
