import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { QUEUES } from '../common/lifecycle/queues';
import { NotificationsModule } from '../notifications/notifications.module';
import { RobotsModule } from '../robots/robots.module';
import { DigestProcessor } from './jobs/digest.processor';
import { MorningDigestService } from './morning-digest.service';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.digest.name }), CalendarModule, NotificationsModule, RobotsModule],
  providers: [MorningDigestService, DigestProcessor],
})
export class DigestModule {}
