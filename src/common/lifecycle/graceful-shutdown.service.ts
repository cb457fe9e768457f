import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { findWorkerHosts } from './app-role';

/**
 * SIGTERM order: stop taking HTTP requests (in-flight ones finish), let running jobs
 * finish, and only then (in Nest's later shutdown hooks) close Postgres and Redis.
 */
@Injectable()
export class GracefulShutdownService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`Shutting down${signal ? ` on ${signal}` : ''}`);
    await this.closeHttp();
    await this.drainWorkers();
  }

  private async closeHttp(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async drainWorkers(): Promise<void> {
    await Promise.all(findWorkerHosts(this.discovery).map((host) => host.worker?.close()));
  }
}
