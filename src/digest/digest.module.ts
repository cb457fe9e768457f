import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { DIGEST_QUEUE } from './jobs/digest-queue';
import { DigestProcessor } from './jobs/digest.processor';
import { MorningDigestService } from './morning-digest.service';

@Module({
  imports: [BullModule.registerQueue({ name: DIGEST_QUEUE }), CalendarModule, NotificationsModule],
  providers: [MorningDigestService, DigestProcessor],
})
export class DigestModule {}
