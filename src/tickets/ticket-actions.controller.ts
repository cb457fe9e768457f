import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated } from '../auth/roles.decorator';
import { ExtendDto, OptionalNoteDto, ReasonDto, ResolveDto, RouteDto } from './dto/ticket-action.dto';
import { TicketDto } from './dto/ticket.dto';
import { TicketWorkflowService } from './ticket-workflow.service';
import { IfMatch, LifecycleAction } from './ticket-versioning.decorators';

/**
 * Lifecycle actions, one route each. Who may take which action from which status is the
 * table in ticket-workflow.ts; an illegal move is a 409 naming the current status.
 */
@ApiTags('ticket lifecycle')
@Authenticated()
@Controller('tickets/:id')
export class TicketActionsController {
  constructor(private readonly workflow: TicketWorkflowService) {}

  @Post('route')
  @LifecycleAction({ summary: 'Route (or re-route a handed-back demand) to a department: a manager, a principal leader or the paired leader', description: 'From new or returned, to assigned. Send the ETag you read as If-Match (or `version`); answers the moved ticket with its new ETag.' })
  route(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: RouteDto, @IfMatch() ifMatch?: string): Promise<TicketDto> {
    return this.workflow.route(user, id, body, ifMatch);
  }

  @Post('start')
  @LifecycleAction({ summary: 'The owner starts working on it', description: 'From assigned or reopened, to in progress. The body may be left out. Send the ETag you read as If-Match (or `version`).' })
  start(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: OptionalNoteDto, @IfMatch() ifMatch?: string): Promise<TicketDto> {
    return this.workflow.start(user, id, body, ifMatch);
  }

  @Post('pause')
  @LifecycleAction({ summary: 'Wait on the enterprise (待企业补充材料): the SLA clock stops', description: 'From assigned, in progress or reopened, to paused; liaison officers may pause too. The reason is kept in the timeline.' })
  pause(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @IfMatch() ifMatch?: string): Promise<TicketDto> {
    return this.workflow.pause(user, id, body, ifMatch);
  }

  @Post('resume')
  @LifecycleAction({ summary: 'The enterprise answered: the clock runs again with the time it had left', description: 'From paused, back to the status before the pause. The body may be left out. Send the ETag you read as If-Match (or `version`).' })
  resume(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: OptionalNoteDto, @IfMatch() ifMatch?: string): Promise<TicketDto> {
    return this.workflow.resume(user, id, body, ifMatch);
  }

  @Post('return')
  @LifecycleAction({ summary: 'A department hands a misrouted demand back, with a reason; the clock keeps running', description: 'From assigned, in progress or reopened, to returned, to be routed again. Department handlers, managers and admins.' })
  giveBack(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto, @IfMatch() ifMatch?: string): Promise<TicketDto> {
    return this.workflow.return(user, id, body, ifMatch);
  }

  @Post('resolve')
  @LifecycleAction({ summary: 'Resolved: record what was done; the SLA clock stops and the follow-up begins', description: 'From assigned, in progress or reopened, to resolved; the follow-up survey is scheduled. Send the ETag you read as If-Match (or `version`).' })
  resolve(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: ResolveDto, @IfMatch() ifMatch?: string): Promise<TicketDto> {
    return this.workflow.resolve(user, id, body, ifMatch);
  }

  @Post('extend')
  @LifecycleAction({ summary: "A leader of the current tier or above approves a later deadline for it (延期), with a reason", description: 'Deputy and principal leaders, on a running ticket; the status does not change. The current tier gets the new deadline and the timeline records the reason.' })
  extend(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: ExtendDto, @IfMatch() ifMatch?: string): Promise<TicketDto> {
    return this.workflow.extend(user, id, body, ifMatch);
  }
}
