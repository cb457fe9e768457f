import { BullModule } from '@nestjs/bullmq';
import { QUEUES } from '../common/lifecycle/queues';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { Notification } from './entities/notification.entity';
import { Webhook } from './entities/webhook.entity';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookDeliveryProcessor } from './jobs/webhook-delivery.processor';
import { NotificationStream } from './notification-stream.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { WebhookOutbox } from './webhook-outbox.service';
import { WebhookSender } from './webhook-sender.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Notification, Webhook, WebhookDelivery]),
    BullModule.registerQueue({ name: QUEUES.webhooks.name }),
    UsersModule,
  ],
  controllers: [NotificationsController, WebhooksController],
  providers: [
    NotificationsService,
    NotificationStream,
    WebhooksService,
    WebhookOutbox,
    WebhookSender,
    WebhookDeliveryProcessor,
  ],
  exports: [NotificationsService],
})
export class NotificationsModule {}
