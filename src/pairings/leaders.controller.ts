import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import { LeaderEnterpriseDto } from './dto/pairing.dto';
import { PairingsService } from './pairings.service';

@ApiTags('pairings')
@Authenticated()
@Controller('leaders')
export class LeadersController {
  constructor(private readonly pairings: PairingsService) {}

  @Get(':id/enterprises')
  @ApiOperation({ summary: "A leader's currently paired enterprises, each with its last engagement", description: 'Any signed-in user: the enterprises paired with that leader now.' })
  @ApiOkResponse({ type: [LeaderEnterpriseDto] })
  @ApiProblem(404, 'No leader with this id')
  enterprises(@Param('id', ParseUUIDPipe) id: string): Promise<LeaderEnterpriseDto[]> {
    return this.pairings.leaderEnterprises(id);
  }
}
