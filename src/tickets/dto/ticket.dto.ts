import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { IsOmittable, PatchOf } from '../../common/validation/is-omittable';
import { ENGAGEMENT_TYPES } from '../../engagements/engagement-types';
import { CATEGORIES, type Category } from '../categories';
import type { Ticket } from '../entities/ticket.entity';
import type { WorkCalendar } from '../../calendar/working-time';
import { everOverdue, maxTierReached } from '../rounds';
import { type SlaStanding, slaStanding } from '../sla-standing';
import { type ActionCaller, actionFacts, allowedActions, TICKET_ACTIONS, type TicketAction } from '../ticket-workflow';
import { OWNER_KINDS, type OwnerKind } from '../ticket-owner';
import { type TicketChannel, TICKET_STATUSES, type TicketStatus, type Tier, TIERS } from '../ticket-status';
import { CursorPageDto, PageQueryDto } from '../../common/pagination/cursor-page-query.dto';
import { OptionalQueryBoolean } from '../../common/validation/query-params';
import { HttpUrl, NestedList, Text, TimestampFilter } from '../../common/validation/validators';

/** Metadata of a file stored elsewhere; the API keeps no file contents. */
export class AttachmentDto {
  @ApiProperty({ example: '用地红线图.pdf' })
  @Text(255, 1)
  name: string;

  @ApiPropertyOptional({ example: 'application/pdf' })
  @IsOmittable()
  @Text(100)
  contentType?: string;

  @ApiPropertyOptional({ example: 482113, description: 'Bytes' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  size?: number;

  @ApiPropertyOptional({ example: 'https://files.example.cn/tickets/site-plan.pdf' })
  @IsOmittable()
  @Text(2000)
  @HttpUrl({ requireTld: true })
  url?: string;
}

/** One demand as raised: on its own (POST /tickets) or inside an engagement. */
export class DemandDto {
  @ApiProperty({
    format: 'uuid',
    example: '9d3c7f0e-2b1a-4c5d-8e6f-7a8b9c0d1e2f',
    description: 'The enterprise raising the demand',
  })
  @IsUUID()
  enterpriseId: string;

  @ApiProperty({ enum: CATEGORIES, example: 'land' })
  @IsIn(CATEGORIES)
  category: Category;

  @ApiProperty({ example: '扩建厂房用地指标', maxLength: 200 })
  @Text(200, 1)
  title: string;

  @ApiPropertyOptional({ example: '二期厂房需新增用地约30亩，申请协调用地指标。', maxLength: 5000 })
  @IsOmittable()
  @Text(5000)
  description?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The owning department; when omitted, the department the category is routed to',
  })
  @IsOmittable()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ enum: TIERS, default: 1, example: 1, description: 'File straight at tier 2 or 3 when plainly bigger' })
  @IsOmittable()
  @IsIn(TIERS)
  startingTier?: Tier;

  @ApiPropertyOptional({ type: [AttachmentDto] })
  @NestedList(() => AttachmentDto, 20)
  attachments?: AttachmentDto[];
}

export class CreateTicketDto extends DemandDto {
  @ApiProperty({ enum: ENGAGEMENT_TYPES, example: 'online', description: 'Where the demand came in' })
  @IsIn(ENGAGEMENT_TYPES)
  channel: TicketChannel;
}

export class UpdateTicketDto extends PatchOf(
  // Moving a demand to another department is the `route` action, with its checks and timeline.
  PickType(DemandDto, ['title', 'description', 'category', 'attachments'] as const),
) {
  @ApiPropertyOptional({ example: 1, description: 'The version you read; alternative to the If-Match header' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export const TICKET_SORTS = ['-createdAt', 'createdAt', 'dueAt', '-dueAt'] as const;

/** The list's filters, shared by the ledger export. */
export class TicketFiltersDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  @ApiPropertyOptional({ enum: TIERS })
  @IsOptional()
  @Type(() => Number)
  @IsIn(TIERS)
  tier?: Tier;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The paired leader recorded at intake' })
  @IsOptional()
  @IsUUID()
  leaderId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;

  @ApiPropertyOptional({ enum: CATEGORIES })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: Category;

  @ApiPropertyOptional({ enum: ENGAGEMENT_TYPES })
  @IsOptional()
  @IsIn(ENGAGEMENT_TYPES)
  channel?: TicketChannel;

  @TimestampFilter('Created at or after (inclusive)', '2026-05-01T00:00:00+08:00')
  createdFrom?: string;

  @TimestampFilter('Created before (exclusive)', '2026-06-01T00:00:00+08:00')
  createdTo?: string;

  @TimestampFilter('Resolved at or after (inclusive)', '2026-05-01T00:00:00+08:00')
  resolvedFrom?: string;

  @TimestampFilter('Resolved before (exclusive)', '2026-06-01T00:00:00+08:00')
  resolvedTo?: string;

  @ApiPropertyOptional({ description: 'true: open and past the last deadline (超期); false: not overdue' })
  @OptionalQueryBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    description:
      'true: only demands you hold now (`owner.users`), held before (an owner of an earlier tier or round), or of an enterprise you are paired with (active pairing); within your scope as always. false or absent: no such filter',
  })
  @OptionalQueryBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ example: '用地', description: 'Text in the title, description or number' })
  @IsOptional()
  @Text(200, 1)
  q?: string;
}

export class ListTicketsQueryDto extends IntersectionType(TicketFiltersDto, PageQueryDto) {
  @ApiPropertyOptional({
    enum: TICKET_SORTS,
    default: '-createdAt',
    description: '`-createdAt` newest first, `createdAt` oldest first, `dueAt` most urgent deadline first, `-dueAt` latest deadline first',
  })
  @IsOptional()
  @IsIn(TICKET_SORTS)
  sort?: (typeof TICKET_SORTS)[number];
}

export const QUEUE_VIEWS = ['open', 'warned', 'overdue', 'awaiting_survey', 'handled'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

/** The list's filters the work queue takes. */
export class QueueFiltersDto extends PickType(TicketFiltersDto, ['status', 'tier', 'category', 'enterpriseId', 'departmentId', 'q'] as const) {}

export class QueueQueryDto extends IntersectionType(QueueFiltersDto, PageQueryDto) {
  @ApiPropertyOptional({
    enum: QUEUE_VIEWS,
    default: 'open',
    description:
      '`open` (待处理): demands you hold now, most urgent deadline first; `warned` (已预警): of those, past the warning point but not overdue; ' +
      '`overdue` (已超期): of those, past the last deadline; `awaiting_survey` (待评价): resolved, waiting for the survey, that you resolved or held, ' +
      'oldest resolution first; `handled` (我经手的): every demand you hold, held or resolved, any status, latest change first',
  })
  @IsOptional()
  @IsIn(QUEUE_VIEWS)
  view?: QueueView;
}

export class QueueCountsDto {
  @ApiProperty({ example: 12 })
  open: number;

  @ApiProperty({ example: 3 })
  warned: number;

  @ApiProperty({ example: 1 })
  overdue: number;

  @ApiProperty({ example: 4 })
  awaitingSurvey: number;

  @ApiProperty({ example: 57 })
  handled: number;
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export class ExportTicketsQueryDto extends TicketFiltersDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv', description: 'CSV in UTF-8 with a byte-order mark, or an Excel workbook' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

export class OwnerUserDto {
  @ApiProperty({ format: 'uuid', example: '7e9a1c3b-5d7f-4b2e-9a4c-8e0b2d4f6a8c' })
  id: string;

  @ApiProperty({ example: '张科长' })
  displayName: string;
}

export class TicketOwnerDto {
  @ApiProperty({ enum: TIERS, example: 1, description: 'The tier whose owner this is (the current tier)' })
  tier: number;

  @ApiProperty({
    enum: OWNER_KINDS,
    nullable: true,
    example: 'department',
    description:
      "Who holds it: tier 1 the department's active handlers (`department`), or `managers` when it has none, is unrouted or was handed back; " +
      'tier 2 the assigned leader (`deputy_leader` or `paired_leader`); tier 3 the active principal leaders (`principal_leaders`). Null once resolved or closed',
  })
  kind: OwnerKind | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The owning department (null while unrouted)' })
  departmentId: string | null;

  @ApiProperty({ type: [OwnerUserDto], description: 'The people who hold it now; empty once resolved or closed' })
  users: OwnerUserDto[];
}

export class TicketDto {
  @ApiProperty({ format: 'uuid', example: '3f6b2a1c-9d4e-4b7a-8c21-5e0f9a7d6b43' })
  id: string;

  @ApiProperty({ example: '2026-000123' })
  number: string;

  @ApiProperty({ format: 'uuid', example: '9d3c7f0e-2b1a-4c5d-8e6f-7a8b9c0d1e2f' })
  enterpriseId: string;

  @ApiProperty({
    format: 'uuid',
    example: 'c2a4e6f8-1b3d-4f5a-9c7e-0d2b4f6a8c1e',
    nullable: true,
    type: String,
    description: 'Null when the demand came in directly',
  })
  engagementId: string | null;

  @ApiProperty({ enum: ENGAGEMENT_TYPES, example: 'afternoon_tea' })
  channel: TicketChannel;

  @ApiProperty({ enum: CATEGORIES, example: 'land' })
  category: Category;

  @ApiProperty({ example: '扩建厂房用地指标' })
  title: string;

  @ApiProperty({ example: '二期厂房需新增用地约30亩，申请协调用地指标。' })
  description: string;

  @ApiProperty({ type: [AttachmentDto] })
  attachments: AttachmentDto[];

  @ApiProperty({
    format: 'uuid',
    example: '5a7c9e1b-3d5f-4a2c-8e4b-6f8a0c2e4d6b',
    nullable: true,
    type: String,
    description: 'Null while no department owns the category',
  })
  departmentId: string | null;

  @ApiProperty({
    format: 'uuid',
    example: '7e9a1c3b-5d7f-4b2e-9a4c-8e0b2d4f6a8c',
    nullable: true,
    type: String,
    description: 'The paired leader at intake',
  })
  pairedLeaderId: string | null;

  @ApiProperty({ enum: TIERS, example: 1 })
  startingTier: Tier;

  @ApiProperty({ enum: TIERS, example: 1 })
  tier: Tier;

  @ApiProperty({ enum: TICKET_STATUSES, example: 'assigned' })
  status: TicketStatus;

  @ApiProperty({ format: 'uuid', example: '7e9a1c3b-5d7f-4b2e-9a4c-8e0b2d4f6a8c' })
  createdBy: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The leader who owns tier 2 once escalated' })
  assigneeId: string | null;

  @ApiProperty({ type: TicketOwnerDto, description: 'Who holds it now, at every tier' })
  owner: TicketOwnerDto;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-05-13T07:30:00.000Z', description: 'Tier 1 deadline (null when filed at a higher tier)' })
  tier1DueAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-05-14T07:30:00.000Z' })
  tier2DueAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-05-15T07:30:00.000Z' })
  tier3DueAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "The current tier's deadline" })
  dueAt: Date | null;

  @ApiProperty({ enum: ['warning', 'breach', 'reminder'], nullable: true, description: 'What the SLA clock does next; null when stopped' })
  nextEvent: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextEventAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it went past its last deadline (超期)' })
  overdueAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  pausedAt: Date | null;

  @ApiProperty({ nullable: true, type: String, example: '已协调供电公司完成双回路接入' })
  resolution: string | null;

  @ApiProperty({ type: [AttachmentDto], description: 'The attachments sent with the resolution (what was done); empty before one' })
  resolutionAttachments: AttachmentDto[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  resolvedAt: Date | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  resolvedBy: string | null;

  @ApiProperty({ enum: TIERS, nullable: true, description: 'The tier that held it when resolved' })
  resolvedTier: Tier | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt: Date | null;

  @ApiProperty({ example: 0, description: 'Times an unsatisfied survey reopened it (0: never reopened)' })
  reopenCount: number;

  @ApiProperty({ enum: TIERS, example: 3, description: 'The highest tier any round reached (a reopening starts again at tier 1)' })
  maxTierReached: Tier;

  @ApiProperty({ example: true, description: 'Some round passed its final deadline (超期), even if a later round was resolved in time' })
  everOverdue: boolean;

  @ApiProperty({ example: 5.25, description: 'Working hours past the final deadline, summed over every resolution' })
  overdueWorkingHours: number;

  @ApiProperty({ example: '江苏恒信精密制造有限公司' })
  enterpriseName: string;

  @ApiProperty({ nullable: true, type: String, example: '自然资源和规划局', description: 'The owning department; null while unrouted' })
  departmentName: string | null;

  @ApiProperty({
    enum: TICKET_ACTIONS,
    isArray: true,
    example: ['start', 'pause', 'resolve'],
    description:
      'The lifecycle actions you may take on it now (your role and scope, its status, pairing, the tier\'s extension approvers, a running clock): ' +
      'exactly those the action routes accept from you, input and version aside',
  })
  allowedActions: TicketAction[];

  @ApiProperty({ example: false, description: "Open, and its current tier's warning point (预警) has passed" })
  warned: boolean;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 14_400_000,
    description:
      "Working milliseconds (the zone calendar and office hours, as the SLA counts) from now to the current tier's deadline; negative: past it by that much; " +
      'while paused, the value at the pause; null without a running clock (resolved, closed, or no deadline)',
  })
  workingMsLeft: number | null;

  @ApiProperty({ example: 1, description: 'Send it back as If-Match: "<version>" (or `version`) to change the ticket' })
  version: number;

  @ApiProperty({ example: '2026-05-12T07:30:00.000Z' })
  createdAt: Date;

  @ApiProperty({ example: '2026-05-12T07:30:00.000Z' })
  updatedAt: Date;
}

const HOUR_MS = 3_600_000;

/**
 * Who reads the ticket and when: what allowedActions, warned and workingMsLeft depend on. A
 * ticket is answered only within the caller's scope: read through ticketScope, or just written
 * by the caller, which keeps it there (intake records them as creator, and a deputy leader
 * routes only the demands they are paired with).
 */
export interface TicketReader {
  caller: ActionCaller;
  now: Date;
  calendar: WorkCalendar;
}

export const toTicketDto = (t: Ticket, reader: TicketReader): TicketDto => ({
  id: t.id,
  number: t.number,
  enterpriseId: t.enterpriseId,
  engagementId: t.engagementId,
  channel: t.channel,
  category: t.category,
  title: t.title,
  description: t.description,
  attachments: t.attachments,
  departmentId: t.departmentId,
  pairedLeaderId: t.pairedLeaderId,
  startingTier: t.startingTier,
  tier: t.tier,
  status: t.status,
  createdBy: t.createdBy,
  assigneeId: t.assigneeId,
  owner: t.owner,
  tier1DueAt: t.tier1DueAt,
  tier2DueAt: t.tier2DueAt,
  tier3DueAt: t.tier3DueAt,
  dueAt: t.dueAt,
  nextEvent: t.nextEvent,
  nextEventAt: t.nextEventAt,
  overdueAt: t.overdueAt,
  pausedAt: t.pausedAt,
  resolution: t.resolution,
  resolutionAttachments: t.resolutionAttachments,
  resolvedAt: t.resolvedAt,
  resolvedBy: t.resolvedBy,
  resolvedTier: t.resolvedTier,
  closedAt: t.closedAt,
  reopenCount: t.reopenCount,
  maxTierReached: maxTierReached(t),
  everOverdue: everOverdue(t),
  overdueWorkingHours: t.overdueWorkingMs / HOUR_MS,
  enterpriseName: t.enterpriseName,
  departmentName: t.departmentName,
  allowedActions: allowedActions(actionFacts(t), reader.caller),
  ...pickStanding(slaStanding(t, reader.now, reader.calendar)),
  version: t.version,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

const pickStanding = ({ warned, workingMsLeft }: SlaStanding) => ({ warned, workingMsLeft });

export class TicketPageDto extends CursorPageDto {
  @ApiProperty({ type: [TicketDto] })
  items: TicketDto[];
}

export class TicketEventDto {
  @ApiProperty({ example: '42', description: 'Increases with every event' })
  id: string;

  @ApiProperty({
    format: 'uuid',
    example: '7e9a1c3b-5d7f-4b2e-9a4c-8e0b2d4f6a8c',
    nullable: true,
    type: String,
    description: 'Null when the system acted',
  })
  actorId: string | null;

  @ApiProperty({ nullable: true, type: String, example: '张科长', description: "The actor's display name; null when the system acted" })
  actorName: string | null;

  @ApiProperty({ example: 'updated', description: '`created`, `updated`, …' })
  type: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { title: '用地指标' } })
  before: Record<string, unknown> | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { title: '扩建厂房用地指标' } })
  after: Record<string, unknown> | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  note: string | null;

  @ApiProperty({ example: '2026-05-12T07:30:00.000Z' })
  createdAt: Date;
}
