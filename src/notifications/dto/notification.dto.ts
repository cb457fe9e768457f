import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OptionalQueryBoolean } from '../../common/validation/query-params';
import { PageQueryDto } from '../../common/pagination/cursor-page-query.dto';
import type { Notification } from '../entities/notification.entity';

export class ListNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only unread notifications', example: true })
  @OptionalQueryBoolean()
  unread?: boolean;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ticket.escalated', description: 'What happened: `ticket.escalated`, `ticket.overdue`, …' })
  type: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  ticketId: string | null;

  @ApiProperty({ example: '诉求 2026-000042 已升级至分管领导' })
  title: string;

  @ApiProperty({ example: '用地指标问题已超过 1 个工作日未办结。' })
  body: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { tier: 2, number: '2026-000042' } })
  data: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null while unread' })
  readAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export const toNotificationDto = (n: Notification): NotificationDto => ({
  id: n.id,
  type: n.type,
  ticketId: n.ticketId,
  title: n.title,
  body: n.body,
  data: n.data,
  readAt: n.readAt,
  createdAt: n.createdAt,
});

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] })
  items: NotificationDto[];

  @ApiProperty({ nullable: true, type: String, example: 'WyIxNzk1MzEzNTUxNzI4NzM2IiwiMGI2ZiJd', description: 'Null on the last page' })
  nextCursor: string | null;
}

export class UnreadCountDto {
  @ApiProperty({ example: 3 })
  count: number;
}

export class ReadAllDto {
  @ApiProperty({ example: 3, description: 'How many notifications were unread and are now read' })
  updated: number;
}
