import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated } from '../auth/roles.decorator';
import { ProblemDetailsDto } from '../common/errors/problem-details';
import { ExtendDto, OptionalNoteDto, ReasonDto, ResolveDto, RouteDto } from './dto/ticket-action.dto';
import { TicketDto } from './dto/ticket.dto';
import { TicketWorkflowService } from './ticket-workflow.service';

/**
 * Lifecycle actions, one route each. Who may take which action from which status is the
 * table in ticket-workflow.ts; an illegal move is a 409 naming the current status.
 */
@ApiTags('ticket lifecycle')
@Authenticated()
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you read ("<version>"); a stale one is a 409' })
@ApiOkResponse({ type: TicketDto })
@ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'No such ticket, or not one you may see' })
@ApiConflictResponse({ type: ProblemDetailsDto, description: 'Not allowed from the current status, or a stale version' })
@ApiForbiddenResponse({ type: ProblemDetailsDto, description: 'Your role may not take this action' })
@Controller('tickets/:id')
export class TicketActionsController {
  constructor(private readonly workflow: TicketWorkflowService) {}

  @Post('route')
  @HttpCode(200)
  @ApiOperation({ summary: 'Route (or re-route a handed-back demand) to a department: a manager, a principal leader or the paired leader' })
  route(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: RouteDto, @Headers('if-match') ifMatch?: string): Promise<TicketDto> {
    return this.workflow.route(user, id, body, ifMatch);
  }

  @Post('start')
  @HttpCode(200)
  @ApiOperation({ summary: 'The owner starts working on it' })
  start(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: OptionalNoteDto, @Headers('if-match') ifMatch?: string): Promise<TicketDto> {
    return this.workflow.start(user, id, body, ifMatch);
  }

  @Post('pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Wait on the enterprise (待企业补充材料): the SLA clock stops' })
  pause(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @Headers('if-match') ifMatch?: string): Promise<TicketDto> {
    return this.workflow.pause(user, id, body, ifMatch);
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'The enterprise answered: the clock runs again with the time it had left' })
  resume(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: OptionalNoteDto, @Headers('if-match') ifMatch?: string): Promise<TicketDto> {
    return this.workflow.resume(user, id, body, ifMatch);
  }

  @Post('return')
  @HttpCode(200)
  @ApiOperation({ summary: 'A department hands a misrouted demand back, with a reason; the clock keeps running' })
  giveBack(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @Headers('if-match') ifMatch?: string): Promise<TicketDto> {
    return this.workflow.return(user, id, body, ifMatch);
  }

  @Post('resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolved: record what was done; the SLA clock stops and the follow-up begins' })
  resolve(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: ResolveDto, @Headers('if-match') ifMatch?: string): Promise<TicketDto> {
    return this.workflow.resolve(user, id, body, ifMatch);
  }

  @Post('extend')
  @HttpCode(200)
  @ApiOperation({ summary: "A leader of the current tier or above approves a later deadline for it (延期), with a reason" })
  extend(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: ExtendDto, @Headers('if-match') ifMatch?: string): Promise<TicketDto> {
    return this.workflow.extend(user, id, body, ifMatch);
  }
}
