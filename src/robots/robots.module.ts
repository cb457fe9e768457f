import { BullModule } from '@nestjs/bullmq';
import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module';
import { RateLimits } from '../common/rate-limit/fixed-window';
import { NotificationsModule } from '../notifications/notifications.module';
import { NotificationsService } from '../notifications/notifications.service';
import { RobotChannel } from './entities/robot-channel.entity';
import { RobotDelivery } from './entities/robot-delivery.entity';
import { RobotRule } from './entities/robot-rule.entity';
import { RobotDeliveryProcessor } from './jobs/robot-delivery.processor';
import { ROBOTS_QUEUE } from './jobs/robots-queue';
import { RobotOutbox } from './robot-outbox.service';
import { RobotSender } from './robot-sender.service';
import { RobotChannelsController, RobotRulesController } from './robots.controller';
import { RobotsService } from './robots.service';

/** Group robots: WeCom, DingTalk and Feishu channels, routing rules, quiet hours, deliveries. */
@Module({
  imports: [
    TypeOrmModule.forFeature([RobotChannel, RobotRule, RobotDelivery]),
    BullModule.registerQueue({ name: ROBOTS_QUEUE }),
    CalendarModule,
    NotificationsModule,
  ],
  controllers: [RobotChannelsController, RobotRulesController],
  providers: [RobotsService, RobotOutbox, RobotSender, RobotDeliveryProcessor, RateLimits],
  // RobotOutbox.send: what the morning digest (and any other sender) calls.
  exports: [RobotOutbox],
})
export class RobotsModule implements OnModuleInit {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly outbox: RobotOutbox,
  ) {}

  /** Until the event bus lands, the robots hear every event published through NotificationsService. */
  onModuleInit(): void {
    this.notifications.subscribe((event, manager) => this.outbox.onEvent(event, manager));
  }
}
