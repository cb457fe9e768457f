import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import { CreationIds } from '../common/idempotency/creation-ids';
import { IdempotentCreate } from '../common/idempotency/idempotency.interceptor';
import { INTAKE_ROLES } from '../tickets/ticket-intake.service';
import {
  CreateEngagementDto,
  EngagementDetailDto,
  EngagementPageDto,
  ListEngagementsQueryDto,
} from './dto/engagement.dto';
import { EngagementsService } from './engagements.service';

@ApiTags('engagements')
@Authenticated()
@Controller('engagements')
export class EngagementsController {
  constructor(private readonly engagements: EngagementsService) {}

  @Post()
  @Roles(...INTAKE_ROLES)
  @IdempotentCreate(EngagementDetailDto)
  @ApiOperation({
    summary: 'Log a visit or meeting with the enterprises present and every demand raised there',
    description:
      'One transaction: the engagement and all its demands are written, or nothing is. Each demand is routed and numbered like POST /tickets.',
  })
  @ApiProblem(400, 'Invalid field; unknown enterprise, official or department; a demand from an enterprise not present')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateEngagementDto, @CreationIds() ids: CreationIds): Promise<EngagementDetailDto> {
    return this.engagements.create(user, body, ids);
  }

  @Get()
  @ApiOperation({ summary: 'Engagements you may see, most recent first, one cursor page at a time', description: 'The scope (what your role may see) is applied in the query. Follow `nextCursor` for the next page.' })
  @ApiOkResponse({ type: EngagementPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: ListEngagementsQueryDto): Promise<EngagementPageDto> {
    return this.engagements.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One engagement with the demands raised there that you may see', description: 'With the demands raised at it that you may see.' })
  @ApiOkResponse({ type: EngagementDetailDto })
  @ApiProblem(404, 'No such engagement, or not one you may see')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<EngagementDetailDto> {
    return this.engagements.get(user, id);
  }
}
