import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOmittable, PatchOf } from '../../common/validation/is-omittable';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination/cursor-page-query.dto';
import { ArrayMax, HttpUrl } from '../../common/validation/validators';
import type { Webhook } from '../entities/webhook.entity';
import type { WebhookDelivery } from '../entities/webhook-delivery.entity';
import { DELIVERY_STATUSES, type DeliveryStatus, WEBHOOK_EVENTS, type WebhookEvent } from '../webhook-events';

/** One or more distinct events of the vocabulary: what a webhook or a robot rule subscribes to. */
export const EventList = () =>
  applyDecorators(
    ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['ticket.escalated', 'ticket.overdue'] }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMax(WEBHOOK_EVENTS.length),
    ArrayUnique(),
    IsIn(WEBHOOK_EVENTS, { each: true }),
  );

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://relay.example.gov.cn/demand-desk', description: 'http or https' })
  @MaxLength(2000)
  @HttpUrl({ requireTld: false })
  url: string;

  @EventList()
  events: WebhookEvent[];

  @ApiProperty({
    minLength: 16,
    writeOnly: true,
    example: 'b1f0c3a9e4d27f6a',
    description: 'Signs every delivery (HMAC-SHA256); never returned',
  })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret: string;

  @ApiPropertyOptional({ example: '营商办企业微信群中转', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateWebhookDto extends PatchOf(CreateWebhookDto) {
  @ApiPropertyOptional({ example: false, description: 'A paused webhook receives nothing; its pending deliveries fail' })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'https://relay.example.gov.cn/demand-desk' })
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['ticket.escalated', 'ticket.overdue'] })
  events: WebhookEvent[];

  @ApiProperty({ nullable: true, type: String, example: '营商办企业微信群中转' })
  description: string | null;

  @ApiProperty({ example: true })
  active: boolean;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  createdBy: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
}

export const toWebhookDto = (w: Webhook): WebhookDto => ({
  id: w.id,
  url: w.url,
  events: w.events,
  description: w.description,
  active: w.active,
  createdBy: w.createdBy,
  createdAt: w.createdAt,
  updatedAt: w.updatedAt,
});

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also sent as `id` in the body and as `X-DemandDesk-Delivery`' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  webhookId: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, example: 'ticket.escalated' })
  event: WebhookEvent;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { ticketId: '0b6f…', tier: 2 } })
  payload: Record<string, unknown>;

  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'failed' })
  status: DeliveryStatus;

  @ApiProperty({ example: 6, description: 'HTTP attempts so far, redeliveries included' })
  attempts: number;

  @ApiProperty({ nullable: true, type: Number, example: 502 })
  lastStatusCode: number | null;

  @ApiProperty({ nullable: true, type: String, example: 'The receiver answered HTTP 502' })
  lastError: string | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the event happened (`occurredAt`)' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt: Date | null;
}

export const toDeliveryDto = (d: WebhookDelivery): DeliveryDto => ({
  id: d.id,
  webhookId: d.webhookId,
  event: d.event,
  payload: d.payload,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  createdAt: d.createdAt,
  deliveredAt: d.deliveredAt,
});

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] })
  items: DeliveryDto[];

  @ApiProperty({ nullable: true, type: String, example: 'WyIxNzk1MzEzNTUxNzI4NzM2IiwiMGI2ZiJd', description: 'Null on the last page' })
  nextCursor: string | null;
}
