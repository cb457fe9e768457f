import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import { CreationIds } from '../common/idempotency/creation-ids';
import { IdempotentCreate } from '../common/idempotency/idempotency.interceptor';
import {
  CreateTicketDto,
  ExportTicketsQueryDto,
  ListTicketsQueryDto,
  QueueCountsDto,
  QueueFiltersDto,
  QueueQueryDto,
  TicketDto,
  TicketEventDto,
  TicketPageDto,
  UpdateTicketDto,
} from './dto/ticket.dto';
import { INTAKE_ROLES } from './ticket-intake.service';
import { TicketExportService } from './ticket-export.service';
import { TicketsService } from './tickets.service';
import { IfMatch, TicketResponse, VersionedTicketWrite } from './ticket-versioning.decorators';

const NOT_VISIBLE = 'No such ticket, or not one you may see';

@ApiTags('tickets')
@Authenticated()
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly exporter: TicketExportService,
  ) {}

  @Post()
  @Roles(...INTAKE_ROLES)
  @IdempotentCreate(TicketDto)
  @ApiOperation({
    summary: 'File a demand that came in directly (online, phone, window), not at a logged engagement',
    description:
      'Routed to the department that owns the category unless departmentId is given; the enterprise\'s active paired leader is recorded.',
  })
  @ApiProblem(400, 'Invalid field, or an unknown enterprise or department')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateTicketDto, @CreationIds() ids: CreationIds): Promise<TicketDto> {
    return this.tickets.create(user, body, ids);
  }

  @Get()
  @ApiOperation({ summary: 'Demands you may see, filtered, newest first, one cursor page at a time', description: 'Filters combine; the scope (what your role may see) is applied in the query. Follow `nextCursor` for the next page.' })
  @ApiOkResponse({ type: TicketPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: ListTicketsQueryDto): Promise<TicketPageDto> {
    return this.tickets.list(user, query);
  }

  // Before ':id', which would otherwise take "queue" for an id.
  @Get('queue')
  @ApiOperation({
    summary: 'Your work queue (我的待办): one view, with the list\'s filters, one cursor page at a time',
    description:
      'Views: `open` what you hold now (`owner.users`), `warned` and `overdue` of those, `awaiting_survey` resolved ones you resolved or held, ' +
      '`handled` everything you hold, held or resolved. Within your scope as every list. Paging is stable while tickets change: ' +
      'a ticket whose sort key did not change is neither repeated nor skipped.',
  })
  @ApiOkResponse({ type: TicketPageDto })
  @ApiProblem(400, 'An invalid view, filter or cursor')
  queue(@CurrentUser() user: AuthUser, @Query() query: QueueQueryDto): Promise<TicketPageDto> {
    return this.tickets.queue(user, query);
  }

  @Get('queue/counts')
  @ApiOperation({
    summary: 'How many demands each queue view holds, with the same filters (the tabs\' badges)',
    description: 'One query; each count is what the view\'s pages hold with these filters, within your scope.',
  })
  @ApiOkResponse({ type: QueueCountsDto })
  @ApiProblem(400, 'An invalid filter')
  queueCounts(@CurrentUser() user: AuthUser, @Query() query: QueueFiltersDto): Promise<QueueCountsDto> {
    return this.tickets.queueCounts(user, query);
  }

  // Before ':id', which would otherwise take "export" for an id.
  @Get('export')
  @ApiOperation({
    summary: 'The demand ledger (需求台账) as CSV or Excel: one row per demand you may see, with the list\'s filters',
    description:
      'Streamed oldest first from one consistent snapshot. CSV is UTF-8 with a byte-order mark (Excel opens Chinese text correctly) and CRLF line ends; ' +
      'times are Asia/Shanghai. Columns: docs/statistics.md, "The ledger export".',
  })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'The file, as an attachment', schema: { type: 'string', format: 'binary' } })
  @ApiProblem(400, 'An invalid filter or format')
  async export(@CurrentUser() user: AuthUser, @Query() query: ExportTicketsQueryDto, @Res() res: Response): Promise<void> {
    const { format = 'csv', ...filters } = query;
    const ledger = await this.exporter.export(user, filters, format);
    res.setHeader('Content-Disposition', ledger.contentDisposition);
    res.type(ledger.contentType);
    await ledger.writeTo(res);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One demand, with its version as ETag', description: 'The ETag is the ticket version, `"<version>"`: send it back as If-Match on a correction or a lifecycle action.' })
  @TicketResponse()
  @ApiProblem(404, NOT_VISIBLE)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<TicketDto> {
    return this.tickets.get(user, id);
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: 'Every event of a demand, oldest first: who, what, when, before and after', description: 'The ticket\'s history as recorded events; visible to whoever may see the ticket.' })
  @ApiOkResponse({ type: [TicketEventDto] })
  @ApiProblem(404, NOT_VISIBLE)
  timeline(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<TicketEventDto[]> {
    return this.tickets.timeline(user, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Correct a demand: title, description, category, department, attachments',
    description:
      'Requires the version you read, as If-Match or `version`. Only fields that differ are changed and recorded in the timeline.',
  })
  @VersionedTicketWrite()
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateTicketDto,
    @IfMatch() ifMatch: string | undefined,
  ): Promise<TicketDto> {
    return this.tickets.update(user, id, body, ifMatch);
  }
}
