import { type DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';

export const APP_ROLE = Symbol('APP_ROLE');

/** Every queue processor of the app (each created with `autorun: false`, see `JobProcessor`). */
export function findWorkerHosts(discovery: DiscoveryService): WorkerHost[] {
  return discovery
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
}
