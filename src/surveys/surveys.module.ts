import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CalendarModule } from '../calendar/calendar.module';
import { QUEUES } from '../common/lifecycle/queues';
import { RateLimits } from '../common/rate-limit/fixed-window';
import { SmsModule } from '../sms/sms.module';
import { Survey } from './entities/survey.entity';
import { SurveySms } from './entities/survey-sms.entity';
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
    BullModule.registerQueue({ name: QUEUES.surveys.name }),
    AuthModule,
    CalendarModule,
    SmsModule,
  ],
  controllers: [PublicSurveysController, SurveyAnswersController],
  providers: [SurveysService, SurveyScheduler, SurveySmsService, SurveyTokens, SurveysProcessor, RateLimits, SurveyRateLimitGuard],
})
export class SurveysModule {}
