import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { QUEUES } from '../common/lifecycle/queues';
import { EventBus } from './event-bus.service';
import { EventsProcessor } from './jobs/events.processor';

/** Global: every floor emits and subscribes through the bus without importing the others. */
@Global()
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.events.name })],
  providers: [EventBus, EventsProcessor],
  exports: [EventBus],
})
export class EventsModule {}
