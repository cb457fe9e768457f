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
import type { Session } from '../auth/current-user';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { APP_ROLE } from '../common/lifecycle/app-role';
import type { AppRole, EnvironmentVariables } from '../config/env.validation';
import { UsersService } from '../users/users.service';
import { type NotificationDto, toNotificationDto } from './dto/notification.dto';
import { Notification } from './entities/notification.entity';

export const NOTIFICATIONS_CHANNEL = 'notifications';
export const HEARTBEAT_MS = 25_000;
const MAX_RECONNECT_DELAY_MS = 10_000;
const SHUTDOWN_WAIT_MS = 2000;
/**
 * How often open streams re-check their sessions: a stream must end within 5 s of its user's
 * password change or deactivation (in any process), or of its token's expiry. One query per
 * process per check, for all its streams.
 */
export const SESSION_CHECK_MS = 2000;

/**
 * Open streams one user may hold on one process: a few tabs and devices. Each holds a socket
 * and a subscription for as long as the client likes, so without a cap one token could hold
 * every socket the process has.
 */
export const MAX_STREAMS_PER_USER = 5;

/** An open stream: whose, under which token version, until when, and how to end it. */
interface OpenStream {
  userId: string;
  tokenVersion: number;
  expiresAt: number;
  end: Subject<void>;
}

interface Published {
  userId: string;
  notification: NotificationDto;
}

/**
 * Live notifications for the SSE stream. Rows are written by API and worker processes alike,
 * so they reach every API process through Postgres: each holds one LISTEN connection and
 * fans out to its own subscribers. Best effort: what is missed while reconnecting is in the inbox.
 * A stream lives only as long as the session it was opened with (see SESSION_CHECK_MS).
 */
@Injectable()
export class NotificationStream implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationStream');
  private readonly published = new Subject<Published>();
  private readonly closed = new ReplaySubject<void>(1);
  private readonly openStreams = new Map<ServerResponse, OpenStream>();
  private readonly databaseUrl: string;
  private client?: pg.Client;
  private reconnectTimer?: NodeJS.Timeout;
  private sessionTimer?: NodeJS.Timeout;
  private checkingSessions = false;
  private failures = 0;
  private closing = false;

  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @Inject(APP_ROLE) private readonly role: AppRole,
    private readonly users: UsersService,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.databaseUrl = config.get('DATABASE_URL', { infer: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Workers serve no streams.
    if (this.role === 'worker') return;
    this.sessionTimer = setInterval(() => void this.endRevokedStreams(), SESSION_CHECK_MS).unref();
    await this.listen();
  }

  /**
   * The caller's new notifications as `notification` events, with a heartbeat comment so proxies
   * keep the connection, until the session ends. `response` is the one the events are written to,
   * so shutdown can wait for it. Refused (too_many_streams) while the user has
   * MAX_STREAMS_PER_USER open here.
   */
  streamFor(session: Session, response: ServerResponse): Observable<MessageEvent> {
    const { user, expiresAt } = session;
    const userId = user.id;
    const open = [...this.openStreams.values()].filter((stream) => stream.userId === userId).length;
    if (open >= MAX_STREAMS_PER_USER) {
      throw new DomainError('too_many_streams', `At most ${MAX_STREAMS_PER_USER} notification streams may be open per user; close one first`);
    }
    const end = new Subject<void>();
    this.openStreams.set(response, { userId, tokenVersion: user.tokenVersion, expiresAt, end });
    response.once('close', () => this.openStreams.delete(response));
    return merge(
      this.published.pipe(
        filter((event) => event.userId === userId),
        map(({ notification }): MessageEvent => ({ type: 'notification', id: notification.id, data: notification })),
      ),
      interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'heartbeat' }))),
    ).pipe(takeUntil(merge(this.closed, end)));
  }

  /**
   * Ends the streams whose token expired, or whose user was disabled or changed password since
   * (in this process or another: the users table is the truth). When the check fails, streams
   * stay open: the next check decides.
   */
  private async endRevokedStreams(): Promise<void> {
    if (this.checkingSessions || this.openStreams.size === 0) return;
    this.checkingSessions = true;
    try {
      const streams = [...this.openStreams.values()];
      const versions = await this.users.activeTokenVersions([...new Set(streams.map((stream) => stream.userId))]);
      const now = this.clock.now().getTime();
      for (const stream of streams) {
        if (stream.expiresAt <= now || versions.get(stream.userId) !== stream.tokenVersion) stream.end.next();
      }
    } catch (error) {
      this.logger.warn(`Could not check the sessions of open streams: ${(error as Error).message}`);
    } finally {
      this.checkingSessions = false;
    }
  }

  /**
   * Ends every open stream and waits until their responses are written, before the HTTP server
   * closes: it closes idle connections at once, but waits for busy ones to time out.
   */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearInterval(this.sessionTimer);
    const closed = [...this.openStreams.keys()].map((response) => once(response, 'close').catch(() => undefined));
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
