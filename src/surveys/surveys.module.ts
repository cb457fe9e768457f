import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CalendarModule } from '../calendar/calendar.module';
import { QUEUES } from '../common/lifecycle/queues';
import { RateLimits } from '../common/rate-limit/fixed-window';
import { Survey } from './entities/survey.entity';
import { SurveysProcessor } from './jobs/surveys.processor';
import { SurveyRateLimitGuard } from './survey-rate-limit.guard';
import { SurveyScheduler } from './survey-scheduler.service';
import { SurveyTokens } from './survey-token.service';
import { PublicSurveysController, SurveyAnswersController } from './surveys.controller';
import { SurveysService } from './surveys.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Survey]),
    BullModule.registerQueue({ name: QUEUES.surveys.name }),
    AuthModule,
    CalendarModule,
  ],
  controllers: [PublicSurveysController, SurveyAnswersController],
  providers: [SurveysService, SurveyScheduler, SurveyTokens, SurveysProcessor, RateLimits, SurveyRateLimitGuard],
})
export class SurveysModule {}
