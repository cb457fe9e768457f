import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { AppRole } from '../../config/env.validation';
import { APP_ROLE, findWorkerHosts } from './app-role';

@Injectable()
export class WorkerRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('Workers');

  constructor(
    @Inject(APP_ROLE) private readonly role: AppRole,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.role === 'api') return;
    for (const host of findWorkerHosts(this.discovery)) {
      // run() resolves only when the worker closes; failures to start are logged, not fatal.
      host.worker.run().catch((error: unknown) => this.logger.error({ err: error }, `Worker ${host.worker.name} stopped`));
    }
  }
}
