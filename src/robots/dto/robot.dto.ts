import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { IsOmittable, PatchOf } from '../../common/validation/is-omittable';
import { HttpUrl, Text } from '../../common/validation/validators';
import { EventList } from '../../notifications/dto/webhook.dto';
import { EVENT_NAMES, type EventName } from '../../events/event-map';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../notifications/webhook-events';
import type { RobotDelivery } from '../entities/robot-delivery.entity';
import type { RobotRule } from '../entities/robot-rule.entity';
import { ROBOT_PLATFORMS, type RobotPlatform } from '../robot-platforms';

const SECRET_DESCRIPTION =
  'DingTalk: the SEC… string of the robot\'s 加签 setting; Feishu: the 签名校验 secret; WeCom: none (its key is in the URL). ' +
  'Stored as given, never returned or logged.';

class ChannelFields {
  @ApiProperty({ example: '经发局领导群', maxLength: 100 })
  @Text(100, 1)
  name: string;

  @ApiProperty({
    example: 'https://oapi.dingtalk.com/robot/send?access_token=5a3ecf88f2b3eb50db30ecfc00f53033',
    maxLength: 500,
    writeOnly: true,
    description: "The robot's webhook address as the platform shows it, on the platform's own host: holds its key, answered masked",
  })
  @MaxLength(500)
  @HttpUrl({ requireTld: false })
  webhookUrl: string;

  @ApiPropertyOptional({ minLength: 8, maxLength: 200, writeOnly: true, example: 'SEC5a3ecf88f2b3eb50db30ecfc00f5303', description: SECRET_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  secret?: string;
}

export class CreateRobotChannelDto extends ChannelFields {
  @ApiProperty({ enum: ROBOT_PLATFORMS, example: 'dingtalk' })
  @IsIn(ROBOT_PLATFORMS)
  platform: RobotPlatform;
}

export class UpdateRobotChannelDto extends PatchOf(ChannelFields) {
  @ApiPropertyOptional({ example: false, description: 'A paused channel gets no new deliveries; its pending ones fail' })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}

export class RobotChannelDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '经发局领导群' })
  name: string;

  @ApiProperty({ enum: ROBOT_PLATFORMS })
  platform: RobotPlatform;

  @ApiProperty({ example: 'https://oapi.dingtalk.com/robot/send?access_token=5a3e****3033', description: 'Masked: the key shows its first and last 4 characters' })
  webhookUrl: string;

  @ApiProperty({ example: true, description: 'Whether a signing secret is stored (it is never returned)' })
  hasSecret: boolean;

  @ApiProperty({ example: true })
  active: boolean;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  createdBy: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
}

class RuleFields {
  @EventList()
  events: EventName[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: "Only this department's tickets (a department's group); omit or null for every ticket (the leaders' group)" })
  @IsOptional()
  @IsUUID()
  departmentId?: string | null;

  @ApiPropertyOptional({ default: false, description: "@-mention who holds the ticket now, by the mobile on their account (WeCom, DingTalk; Feishu names them)" })
  @IsOmittable()
  @IsBoolean()
  mentionOwners?: boolean;

  @ApiPropertyOptional({ example: '升级和超期通知领导群', nullable: true, type: String, maxLength: 500 })
  @IsOptional()
  @Text(500)
  description?: string | null;
}

export class CreateRobotRuleDto extends RuleFields {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  channelId: string;
}

export class UpdateRobotRuleDto extends PatchOf(RuleFields) {
  @ApiPropertyOptional({ example: false })
  @IsOmittable()
  @IsBoolean()
  active?: boolean;
}

export class RobotRuleDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  channelId: string;

  @ApiProperty({ enum: EVENT_NAMES, isArray: true })
  events: EventName[];

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  departmentId: string | null;

  @ApiProperty()
  mentionOwners: boolean;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  createdBy: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
}

export const toRobotRuleDto = (r: RobotRule): RobotRuleDto => ({
  id: r.id,
  channelId: r.channelId,
  events: r.events,
  departmentId: r.departmentId,
  mentionOwners: r.mentionOwners,
  description: r.description,
  active: r.active,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export class RobotDeliveryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  channelId: string;

  @ApiProperty({ enum: EVENT_NAMES, nullable: true, type: String, description: 'Null for a direct message (the morning digest)' })
  event: EventName | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  ticketId: string | null;

  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'delivered' })
  status: DeliveryStatus;

  @ApiProperty({ example: 2, description: 'Requests sent to the platform so far' })
  attempts: number;

  @ApiProperty({ example: 1, description: 'Parts the platform accepted (a WeCom message over 4096 bytes goes in several)' })
  partsSent: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    example: 130101,
    description: "The platform's last error code (errcode/code), else the HTTP status; kept after a later success, so a retried delivery shows why",
  })
  lastErrorCode: number | null;

  @ApiProperty({ nullable: true, type: String, example: 'send too fast, exceed 20 times per minute' })
  lastError: string | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'Quiet hours: not sent before this' })
  notBefore: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt: Date | null;
}

export const toRobotDeliveryDto = (d: RobotDelivery): RobotDeliveryDto => ({
  id: d.id,
  channelId: d.channelId,
  event: d.event,
  ticketId: d.ticketId,
  status: d.status,
  attempts: d.attempts,
  partsSent: d.partsSent,
  lastErrorCode: d.lastErrorCode,
  lastError: d.lastError,
  notBefore: d.notBefore,
  createdAt: d.createdAt,
  deliveredAt: d.deliveredAt,
});

export class RobotDeliveryPageDto {
  @ApiProperty({ type: [RobotDeliveryDto] })
  items: RobotDeliveryDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Null on the last page' })
  nextCursor: string | null;
}
