import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, type Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import {
  type ListNotificationsQueryDto,
  type NotificationDto,
  type NotificationPageDto,
  toNotificationDto,
} from './dto/notification.dto';
import { Notification } from './entities/notification.entity';
import { newestFirst } from './newest-first';
import { NOTIFICATIONS_CHANNEL } from './notification-stream.service';
import { EVENT_NAMES } from '../events/event-map';
import type { NotificationType } from './webhook-events';
import { EventBus } from '../events/event-bus.service';

export interface NotificationInput {
  /** The event the notice reports, from the bus's vocabulary, or the morning digest. */
  type: NotificationType;
  ticketId?: string | null;
  title: string;
  body: string;
  data?: Record<string, unknown>;
}

/**
 * Users' inboxes: an in-transaction hook of the event bus writes the notice an event carries, so
 * the inbox commits (and the stream hears, through NOTIFY) exactly when the event does.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    bus: EventBus,
  ) {
    // Nobody's inbox hears of a filing: `ticket.created` is recorded inside the intake's statement.
    const told = EVENT_NAMES.filter((event) => event !== 'ticket.created');
    bus.inTransaction('inbox', told, async (manager, { name, payload, notice }) => {
      if (!notice) return;
      await this.notifyUsers(notice.recipients, { type: name, ticketId: payload.ticketId, title: notice.title, body: notice.body, data: notice.data }, manager);
    });
  }

  /**
   * Writes one inbox row per user (deduplicated ids) inside `manager`'s transaction when given.
   * Each row is announced with NOTIFY, which Postgres delivers to every API process at commit.
   */
  async notifyUsers(userIds: string[], input: NotificationInput, manager?: EntityManager): Promise<void> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return;
    await (manager ?? this.notifications.manager).query(
      `WITH inserted AS (
         INSERT INTO notifications (user_id, type, ticket_id, title, body, data)
         SELECT user_id, $2, $3, $4, $5, $6::jsonb FROM unnest($1::uuid[]) AS user_id
         RETURNING id
       )
       SELECT pg_notify($7, id::text) FROM inserted`,
      [unique, input.type, input.ticketId ?? null, input.title, input.body, input.data ?? {}, NOTIFICATIONS_CHANNEL],
    );
  }

  async list(userId: string, query: ListNotificationsQueryDto): Promise<NotificationPageDto> {
    const rows = this.notifications.createQueryBuilder('n').where('n.userId = :userId', { userId });
    if (query.unread) rows.andWhere('n.readAt IS NULL');
    const page = await newestFirst(rows, 'n', query);
    return { items: page.items.map(toNotificationDto), nextCursor: page.nextCursor };
  }

  async unreadCount(userId: string): Promise<number> {
    return this.notifications.countBy({ userId, readAt: IsNull() });
  }

  /** Marks one of the user's notifications read; reading it again keeps the first time. */
  async markRead(userId: string, id: string): Promise<NotificationDto> {
    await this.notifications.update({ id, userId, readAt: IsNull() }, { readAt: () => 'now()' });
    const notification = await this.notifications.findOneBy({ id, userId });
    // Someone else's notification is as unknown as a missing one.
    if (!notification) throw new DomainError('not_found', `No notification ${id}`);
    return toNotificationDto(notification);
  }

  async markAllRead(userId: string): Promise<number> {
    const result = await this.notifications.update({ userId, readAt: IsNull() }, { readAt: () => 'now()' });
    return result.affected ?? 0;
  }
}
