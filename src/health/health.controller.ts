import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../common/errors/problem-details';
import { Public } from '../common/http/public.decorator';
import { HealthService } from './health.service';
import { HealthStatusDto } from './dto/health-status.dto';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up', description: 'For liveness probes: answers 200 while the process can serve requests, without touching Postgres or Redis. Public.' })
  @ApiOkResponse({ type: HealthStatusDto })
  live(): HealthStatusDto {
    return { status: 'ok', checks: {} };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Postgres and Redis answer', description: 'For readiness probes: 200 when Postgres and Redis both answer, else 503 naming the failing dependency. Public.' })
  @ApiOkResponse({ type: HealthStatusDto })
  @ApiProblem(503, 'Names the failing dependency')
  ready(): Promise<HealthStatusDto> {
    return this.health.assertReady();
  }
}
