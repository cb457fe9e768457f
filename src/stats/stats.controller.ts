import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import {
  PairingCoverageDto,
  PairingQueryDto,
  StatsBreakdownDto,
  StatsBreakdownQueryDto,
  StatsRangeQueryDto,
  StatsSummaryDto,
} from './dto/stats.dto';
import { StatsService } from './stats.service';

/** The figures managers read (docs/statistics.md); liaison officers log, they do not read these. */
@ApiTags('stats')
@Authenticated()
@ApiProblem(400, 'Invalid input')
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('summary')
  @Roles('department_handler', 'deputy_leader', 'principal_leader', 'manager', 'admin')
  @ApiOperation({ summary: 'Every figure over the tickets raised in [from, to), within your scope', description: 'Figures are computed within your scope (what your role may see). Dates are read in Asia/Shanghai. Definitions: docs/statistics.md.' })
  @ApiOkResponse({ type: StatsSummaryDto })
  summary(@CurrentUser() user: AuthUser, @Query() query: StatsRangeQueryDto): Promise<StatsSummaryDto> {
    return this.stats.summary(user, query);
  }

  @Get('breakdown')
  @Roles('department_handler', 'deputy_leader', 'principal_leader', 'manager', 'admin')
  @ApiOperation({ summary: 'The same figures per department, leader, category, channel, enterprise or Shanghai month', description: 'Grouped by `groupBy`; each group has the summary\'s figures. Definitions: docs/statistics.md.' })
  @ApiOkResponse({ type: StatsBreakdownDto })
  breakdown(@CurrentUser() user: AuthUser, @Query() query: StatsBreakdownQueryDto): Promise<StatsBreakdownDto> {
    return this.stats.breakdown(user, query);
  }

  @Get('pairing')
  @Roles('deputy_leader', 'principal_leader', 'manager', 'admin')
  @ApiOperation({ summary: 'Pairing coverage of a month per leader (a deputy leader sees their own)', description: 'Per leader, for the month asked. A deputy leader sees only their own row.' })
  @ApiOkResponse({ type: PairingCoverageDto })
  pairing(@CurrentUser() user: AuthUser, @Query() query: PairingQueryDto): Promise<PairingCoverageDto> {
    return this.stats.pairing(user, query.month);
  }
}
