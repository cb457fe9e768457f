import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type MessageEvent,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import pg from 'pg';
import { filter, interval, map, merge, type Observable, ReplaySubject, Subject, takeUntil } from 'rxjs';
import type { Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { APP_ROLE } from '../common/lifecycle/app-role';
import type { AppRole, EnvironmentVariables } from '../config/env.validation';
import { type NotificationDto, toNotificationDto } from './dto/notification.dto';
import { Notification } from './entities/notification.entity';

export const NOTIFICATIONS_CHANNEL = 'notifications';
export const HEARTBEAT_MS = 25_000;
const MAX_RECONNECT_DELAY_MS = 10_000;
const SHUTDOWN_WAIT_MS = 2000;
/**
 * Open streams one user may hold on one process: a few tabs and devices. Each holds a socket
 * and a subscription for as long as the client likes, so without a cap one token could hold
 * every socket the process has.
 */
export const MAX_STREAMS_PER_USER = 5;

interface Published {
  userId: string;
  notification: NotificationDto;
}

/**
 * Live notifications for the SSE stream. Rows are written by API and worker processes alike,
 * so they reach every API process through Postgres: each holds one LISTEN connection and
 * fans out to its own subscribers. Best effort: what is missed while reconnecting is in the inbox.
 */
@Injectable()
export class NotificationStream implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationStream');
  private readonly published = new Subject<Published>();
  private readonly closed = new ReplaySubject<void>(1);
  private readonly openResponses = new Set<ServerResponse>();
  private readonly openPerUser = new Map<string, number>();
  private readonly databaseUrl: string;
  private client?: pg.Client;
  private reconnectTimer?: NodeJS.Timeout;
  private failures = 0;
  private closing = false;

  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @Inject(APP_ROLE) private readonly role: AppRole,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.databaseUrl = config.get('DATABASE_URL', { infer: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Workers serve no streams.
    if (this.role !== 'worker') await this.listen();
  }

  /**
   * The caller's new notifications as `notification` events, with a heartbeat comment so proxies
   * keep the connection. `response` is the one the events are written to, so shutdown can wait for it.
   * Refused (too_many_streams) while the user has MAX_STREAMS_PER_USER open here.
   */
  streamFor(userId: string, response: ServerResponse): Observable<MessageEvent> {
    const open = this.openPerUser.get(userId) ?? 0;
    if (open >= MAX_STREAMS_PER_USER) {
      throw new DomainError('too_many_streams', `At most ${MAX_STREAMS_PER_USER} notification streams may be open per user; close one first`);
    }
    this.openPerUser.set(userId, open + 1);
    this.openResponses.add(response);
    response.once('close', () => {
      this.openResponses.delete(response);
      const left = (this.openPerUser.get(userId) ?? 1) - 1;
      if (left > 0) this.openPerUser.set(userId, left);
      else this.openPerUser.delete(userId);
    });
    return merge(
      this.published.pipe(
        filter((event) => event.userId === userId),
        map(({ notification }): MessageEvent => ({ type: 'notification', id: notification.id, data: notification })),
      ),
      interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'heartbeat' }))),
    ).pipe(takeUntil(this.closed));
  }

  /**
   * Ends every open stream and waits until their responses are written, before the HTTP server
   * closes: it closes idle connections at once, but waits for busy ones to time out.
   */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    const closed = [...this.openResponses].map((response) => once(response, 'close').catch(() => undefined));
    this.closed.next();
    this.closed.complete();
    this.published.complete();
    await Promise.race([Promise.all(closed), sleep(SHUTDOWN_WAIT_MS, undefined, { ref: false })]);
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.closing) return;
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'demand-desk-listen' });
    this.client = client;
    client.on('notification', (message) => {
      if (message.payload) void this.publish(message.payload);
    });
    client.on('error', (error) => this.reconnect(client, error));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFICATIONS_CHANNEL}`);
      this.failures = 0;
    } catch (error) {
      this.reconnect(client, error as Error);
    }
  }

  private reconnect(client: pg.Client, error?: Error): void {
    if (this.closing || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.failures += 1;
    const delay = Math.min(1000 * this.failures, MAX_RECONNECT_DELAY_MS);
    this.logger.warn(`LISTEN connection lost (${error?.message ?? 'closed'}); reconnecting in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => void this.listen(), delay);
  }

  private async publish(id: string): Promise<void> {
    if (!this.published.observed) return;
    try {
      const notification = await this.notifications.findOneBy({ id });
      if (notification) this.published.next({ userId: notification.userId, notification: toNotificationDto(notification) });
    } catch (error) {
      this.logger.warn(`Could not load notification ${id}: ${(error as Error).message}`);
    }
  }
}
