import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { afterCommit } from '../common/lifecycle/after-commit';
import { SLA_AFTER_COMMIT_KEY } from './sla-after-commit';
import { type ScheduledEvent, SlaScheduler } from './sla-scheduler.service';

/** Queues the jobs of every clock a transaction changed, right after it commits. */
@Injectable()
export class SlaCommitSubscriber {
  constructor(@InjectDataSource() dataSource: DataSource, scheduler: SlaScheduler) {
    afterCommit<ScheduledEvent | null>(dataSource, SLA_AFTER_COMMIT_KEY, (events) =>
      scheduler.schedule(events.filter((event): event is ScheduledEvent => event !== null)),
    );
  }
}
