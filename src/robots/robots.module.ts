import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module';
import { QUEUES } from '../common/lifecycle/queues';
import { RateLimits } from '../common/rate-limit/fixed-window';
import { RobotChannel } from './entities/robot-channel.entity';
import { RobotDelivery } from './entities/robot-delivery.entity';
import { RobotRule } from './entities/robot-rule.entity';
import { RobotDeliveryProcessor } from './jobs/robot-delivery.processor';
import { RobotOutbox } from './robot-outbox.service';
import { RobotSender } from './robot-sender.service';
import { RobotChannelsController, RobotRulesController } from './robots.controller';
import { RobotsService } from './robots.service';

/** Group robots: WeCom, DingTalk and Feishu channels, routing rules, quiet hours, deliveries; a subscriber of the event bus. */
@Module({
  imports: [TypeOrmModule.forFeature([RobotChannel, RobotRule, RobotDelivery]), BullModule.registerQueue({ name: QUEUES.robots.name }), CalendarModule],
  controllers: [RobotChannelsController, RobotRulesController],
  providers: [RobotsService, RobotOutbox, RobotSender, RobotDeliveryProcessor, RateLimits],
  // RobotOutbox.send and channelsFor: what the morning digest (and any other sender) calls.
  exports: [RobotOutbox],
})
export class RobotsModule {}
