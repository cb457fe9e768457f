import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QUEUES } from '../common/lifecycle/queues';
import { CalendarModule } from '../calendar/calendar.module';
import { SlaPolicy } from './entities/sla-policy.entity';
import { SlaProcessor } from './jobs/sla.processor';
import { SlaClockService } from './sla-clock.service';
import { SlaCommitSubscriber } from './sla-commit.subscriber';
import { SlaEngine } from './sla-engine.service';
import { SlaPoliciesController } from './sla-policies.controller';
import { SlaPoliciesService } from './sla-policies.service';
import { SlaScheduler } from './sla-scheduler.service';
import { SlaSweeper } from './sla-sweeper.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([SlaPolicy]),
    BullModule.registerQueue({ name: QUEUES.sla.name }),
    CalendarModule,
  ],
  controllers: [SlaPoliciesController],
  providers: [SlaPoliciesService, SlaClockService, SlaScheduler, SlaCommitSubscriber, SlaEngine, SlaSweeper, SlaProcessor],
  exports: [SlaClockService, SlaPoliciesService, SlaEngine, SlaSweeper, SlaScheduler],
})
export class SlaModule {}
