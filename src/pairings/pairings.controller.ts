import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import { CreatePairingDto, EndPairingDto, PairingDto, PairingListQueryDto, PairingPageDto } from './dto/pairing.dto';
import { PairingsService } from './pairings.service';

@ApiTags('pairings')
@Authenticated()
@Controller('pairings')
export class PairingsController {
  constructor(private readonly pairings: PairingsService) {}

  @Get()
  @ApiOperation({ summary: 'Pairings, current and past, newest first; `at` gives those in force on a day', description: 'Any signed-in user; filter by leader or enterprise, or by the day in force (`at`).' })
  @ApiOkResponse({ type: PairingPageDto })
  list(@Query() query: PairingListQueryDto): Promise<PairingPageDto> {
    return this.pairings.list(query);
  }

  @Post()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Pair a leader with an enterprise (包联) from a day, today by default', description: 'Managers and admins. An enterprise has one active paired leader (409); a leader holds a limited number of key enterprises (422).' })
  @ApiCreatedResponse({ type: PairingDto })
  @ApiProblem(400, 'Not a leader, no such enterprise, or a bad date')
  @ApiProblem(409, 'The enterprise already has an active paired leader (enterprise_already_paired)')
  @ApiProblem(422, 'The leader already holds the maximum of key enterprises (pairing_limit_reached)')
  create(@Body() body: CreatePairingDto, @CurrentUser() user: AuthUser): Promise<PairingDto> {
    return this.pairings.create(body, user);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'End a pairing on a day; it stays in the history', description: 'Managers and admins. An ended pairing is kept in the history; ending it again is a 409.' })
  @ApiOkResponse({ type: PairingDto })
  @ApiProblem(400, 'endedOn before the start or after today')
  @ApiProblem(404, 'No such pairing')
  @ApiProblem(409, 'The pairing has already ended')
  end(@Param('id', ParseUUIDPipe) id: string, @Body() body: EndPairingDto): Promise<PairingDto> {
    return this.pairings.end(id, body);
  }
}
