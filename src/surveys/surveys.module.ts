import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CalendarModule } from '../calendar/calendar.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TicketsModule } from '../tickets/tickets.module';
import { RateLimits } from '../common/rate-limit/fixed-window';
import { SmsModule } from '../sms/sms.module';
import { Survey } from './entities/survey.entity';
import { SurveySms } from './entities/survey-sms.entity';
import { SURVEYS_QUEUE } from './jobs/surveys-queue';
import { SurveysProcessor } from './jobs/surveys.processor';
import { SurveyRateLimitGuard } from './survey-rate-limit.guard';
import { SurveyScheduler } from './survey-scheduler.service';
import { SurveySmsService } from './survey-sms.service';
import { SurveyTokens } from './survey-token.service';
import { PublicSurveysController, SurveyAnswersController } from './surveys.controller';
import { SurveysService } from './surveys.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Survey, SurveySms]),
    BullModule.registerQueue({ name: SURVEYS_QUEUE }),
    AuthModule,
    CalendarModule,
    NotificationsModule,
    TicketsModule,
    SmsModule,
  ],
  controllers: [PublicSurveysController, SurveyAnswersController],
  providers: [SurveysService, SurveyScheduler, SurveySmsService, SurveyTokens, SurveysProcessor, RateLimits, SurveyRateLimitGuard],
})
export class SurveysModule {}
