import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user';
import { Authenticated, Roles } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import {
  CreateWebhookDto,
  DeliveryDto,
  DeliveryPageDto,
  ListDeliveriesQueryDto,
  UpdateWebhookDto,
  WebhookDto,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Authenticated()
@Roles('admin', 'manager')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to events',
    description:
      'Each event is POSTed as `{ id, event, occurredAt, payload }`, signed in `X-DemandDesk-Signature: sha256=<hex ' +
      'HMAC-SHA256 of "<X-DemandDesk-Timestamp>.<raw body>">` with the secret. Failed attempts are retried 5 times with ' +
      'exponential backoff; a 4xx other than 408/429 is not retried.',
  })
  @ApiCreatedResponse({ type: WebhookDto })
  create(@Body() body: CreateWebhookDto, @CurrentUser() user: AuthUser): Promise<WebhookDto> {
    return this.webhooks.create(body, user.id);
  }

  @Get()
  @ApiOperation({ summary: 'All webhooks (secrets are never returned)', description: 'Admins and managers. The signing secret is write-only.' })
  @ApiOkResponse({ type: [WebhookDto] })
  list(): Promise<WebhookDto[]> {
    return this.webhooks.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook', description: 'Admins and managers. The signing secret is write-only.' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblem(404, 'Not found')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<WebhookDto> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, events or secret, or pause (`active: false`) a webhook', description: 'Admins and managers. Only the fields sent change; a paused webhook receives no deliveries.' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblem(404, 'Not found')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook; its deliveries are kept in the database', description: 'Admins and managers. Answers 204.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(404, 'Not found')
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.webhooks.remove(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "A webhook's deliveries, newest first, failed ones included", description: 'Admins and managers: status, attempts and the last answer of each delivery.' })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiProblem(404, 'Not found')
  deliveries(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListDeliveriesQueryDto): Promise<DeliveryPageDto> {
    return this.webhooks.listDeliveries(id, query);
  }

  @Post('deliveries/:id/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivered or failed delivery again (same id and body)', description: 'Admins and managers. A pending delivery, or one of a paused webhook, is a 409.' })
  @ApiAcceptedResponse({ type: DeliveryDto, description: 'Queued: the delivery is pending again' })
  @ApiProblem(404, 'Not found')
  @ApiProblem(409, 'Still pending, or the webhook is paused')
  redeliver(@Param('id', ParseUUIDPipe) id: string): Promise<DeliveryDto> {
    return this.webhooks.redeliver(id);
  }
}
