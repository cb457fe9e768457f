import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ProblemDetailsDto } from '../common/errors/problem-details';
import { CreatePairingDto, EndPairingDto, PairingDto, PairingListQueryDto, PairingPageDto } from './dto/pairing.dto';
import { PairingsService } from './pairings.service';

@ApiTags('pairings')
@Authenticated()
@Controller('pairings')
export class PairingsController {
  constructor(private readonly pairings: PairingsService) {}

  @Get()
  @ApiOperation({ summary: 'Pairings, current and past, newest first; `at` gives those in force on a day' })
  @ApiOkResponse({ type: PairingPageDto })
  list(@Query() query: PairingListQueryDto): Promise<PairingPageDto> {
    return this.pairings.list(query);
  }

  @Post()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Pair a leader with an enterprise (包联) from a day, today by default' })
  @ApiCreatedResponse({ type: PairingDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Not a leader, no such enterprise, or a bad date' })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'The enterprise already has an active paired leader (enterprise_already_paired)',
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetailsDto,
    description: 'The leader already holds the maximum of key enterprises (pairing_limit_reached)',
  })
  create(@Body() body: CreatePairingDto, @CurrentUser() user: AuthUser): Promise<PairingDto> {
    return this.pairings.create(body, user);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'End a pairing on a day; it stays in the history' })
  @ApiOkResponse({ type: PairingDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'endedOn before the start or after today' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'No such pairing' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'The pairing has already ended' })
  end(@Param('id', ParseUUIDPipe) id: string, @Body() body: EndPairingDto): Promise<PairingDto> {
    return this.pairings.end(id, body);
  }
}
