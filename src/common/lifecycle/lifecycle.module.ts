import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { AppRole } from '../../config/env.validation';
import { APP_ROLE } from './app-role';
import { GracefulShutdownService } from './graceful-shutdown.service';
import { RecurringJobs } from './recurring-job';
import { WorkerRunner } from './worker-runner.service';

@Module({})
export class LifecycleModule {
  static forRole(role: AppRole): DynamicModule {
    return {
      module: LifecycleModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [{ provide: APP_ROLE, useValue: role }, GracefulShutdownService, WorkerRunner, RecurringJobs],
      exports: [APP_ROLE, RecurringJobs],
    };
  }
}
