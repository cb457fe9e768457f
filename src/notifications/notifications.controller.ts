import { Controller, Get, HttpCode, type MessageEvent, Param, ParseUUIDPipe, Post, Query, Req, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { AllowQueryToken } from '../auth/allow-query-token.decorator';
import { type AuthUser, CurrentSession, CurrentUser, type Session } from '../auth/current-user';
import { Authenticated } from '../auth/roles.decorator';
import { ApiProblem } from '../common/errors/problem-details';
import {
  ListNotificationsQueryDto,
  NotificationDto,
  NotificationPageDto,
  ReadAllDto,
  UnreadCountDto,
} from './dto/notification.dto';
import { HEARTBEAT_MS, MAX_STREAMS_PER_USER, NotificationStream } from './notification-stream.service';
import { NotificationsService } from './notifications.service';

const STREAM_EXAMPLE =
  ': heartbeat\n\nevent: notification\nid: 5d0c…\ndata: {"id":"5d0c…","type":"ticket.escalated","title":"…",…}\n\n';

@ApiTags('notifications')
@Authenticated()
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly stream: NotificationStream,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's notifications, newest first", description: 'Only the caller\'s own notifications. Follow `nextCursor` for the next page.' })
  @ApiOkResponse({ type: NotificationPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: ListNotificationsQueryDto): Promise<NotificationPageDto> {
    return this.notifications.list(user.id, query);
  }

  @Get('unread-count')
  @ApiOperation({ summary: "How many of the caller's notifications are unread", description: 'Only the caller\'s own notifications.' })
  @ApiOkResponse({ type: UnreadCountDto })
  async unreadCount(@CurrentUser() user: AuthUser): Promise<UnreadCountDto> {
    return { count: await this.notifications.unreadCount(user.id) };
  }

  @Sse('stream')
  @AllowQueryToken()
  @ApiOperation({
    summary: 'Server-sent events: each new notification of the caller, as it is written',
    description:
      'Emits a `notification` event (data: the notification as JSON) per new notification and a ' +
      `\`: heartbeat\` comment every ${HEARTBEAT_MS / 1000} s. Browsers' EventSource cannot send headers, so this route ` +
      'also takes the token as `?access_token=`. Missed events (while disconnected) are in the inbox. The stream ends ' +
      "within 5 s of the token's expiry, or of a password change or deactivation of its user.",
  })
  @ApiQuery({ name: 'access_token', type: String, required: false, description: 'The access token, when no Authorization header can be sent' })
  @ApiOkResponse({
    description: 'An endless event stream: a `notification` event per new notification, its data a NotificationDto as JSON (see GET /api/v1/notifications), and a `: heartbeat` comment between them',
    content: { 'text/event-stream': { schema: { type: 'string', example: STREAM_EXAMPLE } } },
  })
  @ApiProblem(401, 'No token, or an invalid one')
  @ApiProblem(429, `The caller already has ${MAX_STREAMS_PER_USER} streams open on this server (too_many_streams)`)
  streamEvents(@CurrentSession() session: Session, @Req() request: Request): Observable<MessageEvent> {
    return this.stream.streamFor(session, request.res!);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: "Mark all the caller's notifications read", description: 'Answers how many were marked read.' })
  @ApiOkResponse({ type: ReadAllDto })
  async readAll(@CurrentUser() user: AuthUser): Promise<ReadAllDto> {
    return { updated: await this.notifications.markAllRead(user.id) };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of the caller\'s notifications read (again: no change)', description: 'Marking a read notification read again changes nothing. Another user\'s notification is a 404.' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiProblem(404, 'No such notification of the caller')
  read(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<NotificationDto> {
    return this.notifications.markRead(user.id, id);
  }
}
