import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { AppRole } from '../../config/env.validation';
import { APP_ROLE, findWorkerHosts } from './app-role';
import { checkHandlers, QueueWorker } from './queues';

/** Sent to a parent process over IPC (`process.send`, as PM2's `wait_ready`) once every worker is connected. */
export const WORKERS_READY_MESSAGE = 'workers-ready';

@Injectable()
export class WorkerRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('Workers');

  constructor(
    @Inject(APP_ROLE) private readonly role: AppRole,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    const hosts = findWorkerHosts(this.discovery);
    // Every role: an api process adds jobs that a worker must be able to take.
    const problems = checkHandlers(hosts.map((host) => (host instanceof QueueWorker ? host : { queue: `${host.constructor.name} (not a QueueWorker)`, handlers: {} })));
    if (problems.length > 0) throw new Error(`The queue catalogue (src/common/lifecycle/queues.ts) and the processors disagree: ${problems.join('; ')}`);
    if (this.role === 'api') return;
    const workers = hosts.map((host) => host.worker);
    for (const worker of workers) {
      // run() resolves only when the worker closes; failures to start are logged, not fatal.
      worker.run().catch((error: unknown) => this.logger.error({ err: error }, `Worker ${worker.name} stopped`));
    }
    // Not awaited: a Redis outage must not keep the process from starting.
    Promise.all(workers.map((worker) => worker.waitUntilReady())).then(
      () => process.send?.(WORKERS_READY_MESSAGE),
      (error: unknown) => this.logger.warn(`Workers not ready: ${(error as Error).message}`),
    );
  }
}
