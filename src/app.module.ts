import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { type AppRole, validateEnv } from './config/env.validation';
import { ClockModule } from './common/clock';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { InputLimitsMiddleware } from './common/http/input-limits.middleware';
import { JsonContentTypeMiddleware } from './common/http/json-content-type.middleware';
import { LifecycleModule } from './common/lifecycle/lifecycle.module';
import { LoggingModule } from './common/logging/logging.module';
import { DatabaseModule } from './database/database.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { DepartmentsModule } from './departments/departments.module';
import { DigestModule } from './digest/digest.module';
import { EngagementsModule } from './engagements/engagements.module';
import { EventsModule } from './events/events.module';
import { EnterprisesModule } from './enterprises/enterprises.module';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PairingsModule } from './pairings/pairings.module';
import { UsersModule } from './users/users.module';
import { RedisModule } from './redis/redis.module';
import { RobotsModule } from './robots/robots.module';
import { SlaModule } from './sla/sla.module';
import { StatsModule } from './stats/stats.module';
import { SurveysModule } from './surveys/surveys.module';
import { TicketsModule } from './tickets/tickets.module';
import { WebModule } from './web/web.module';

@Module({})
export class AppModule implements NestModule {
  static forRole(role: AppRole): DynamicModule {
    return {
      module: AppModule,
      global: false,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, cache: true, validate: validateEnv }),
        LoggingModule,
        ClockModule,
        DatabaseModule,
        RedisModule,
        LifecycleModule.forRole(role),
        EventsModule,
        HealthModule,
        AuthModule,
        UsersModule,
        DepartmentsModule,
        TicketsModule,
        EngagementsModule,
        EnterprisesModule,
        PairingsModule,
        NotificationsModule,
        CalendarModule,
        SlaModule,
        SurveysModule,
        RobotsModule,
        StatsModule,
        DigestModule,
        // The pages need an HTTP server: a worker serves none.
        ...(role === 'worker' ? [] : [WebModule.forRoot()]),
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonContentTypeMiddleware, InputLimitsMiddleware).forRoutes('{*path}');
  }
}
