import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntitySubscriberInterface, type TransactionCommitEvent } from 'typeorm';
import { takeScheduled } from './sla-after-commit';
import { SlaScheduler } from './sla-scheduler.service';

/** Queues the jobs of every clock a transaction changed, right after it commits. */
@Injectable()
export class SlaCommitSubscriber implements EntitySubscriberInterface {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly scheduler: SlaScheduler,
  ) {
    dataSource.subscribers.push(this);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const ticketIds = takeScheduled(event.queryRunner.data);
    // Not awaited: the request that committed must not wait on Redis.
    if (ticketIds.length > 0) void this.scheduler.schedule(ticketIds);
  }
}
