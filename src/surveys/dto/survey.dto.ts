import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOmittable } from '../../common/validation/is-omittable';
import { Text } from '../../common/validation/validators';
import { TIERS, type Tier } from '../../tickets/ticket-status';
import { SURVEY_ANSWERS, SURVEY_STATUSES, type Survey, type SurveyAnswer, type SurveyChannel, type SurveyStatus } from '../entities/survey.entity';

export class SurveyAnswerDto {
  @ApiProperty({ enum: SURVEY_ANSWERS, example: 'basically_satisfied', description: '满意 / 基本满意 / 不满意; unsatisfied reopens the demand' })
  @IsIn(SURVEY_ANSWERS)
  answer: SurveyAnswer;

  @ApiPropertyOptional({ example: '供电已恢复，但回复稍慢', maxLength: 2000 })
  @IsOmittable()
  @Text(2000)
  comment?: string;
}

/** What the enterprise contact sees behind the link: no login, so nothing beyond this ticket. */
export class PublicSurveyDto {
  @ApiProperty({ example: '2026-000123' })
  ticketNumber: string;

  @ApiProperty({ example: '双回路供电接入' })
  title: string;

  @ApiProperty({ example: '已协调供电公司完成双回路接入' })
  resolution: string;

  @ApiProperty({ example: '山西示范科技有限公司' })
  enterpriseName: string;

  @ApiProperty({ type: String, nullable: true, example: '襄垣经开区', description: "The enterprise's park or zone, when recorded" })
  zone: string | null;

  @ApiProperty({ type: String, nullable: true, example: '供电服务中心', description: "Who resolved it: the resolver's department, or their name when they belong to none" })
  resolvedBy: string | null;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-05-12T07:30:00.000Z', description: 'When this round was resolved' })
  resolvedAt: Date;

  @ApiProperty({ example: false, description: 'Whether this survey was already answered' })
  answered: boolean;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-05-19T07:30:00.000Z', description: 'The link works until then' })
  expiresAt: Date;
}

export class SurveyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  ticketId: string;

  @ApiProperty({ example: 1, description: '1 for the first resolution, +1 after each reopen' })
  round: number;

  @ApiProperty({ enum: SURVEY_STATUSES, example: 'answered' })
  status: SurveyStatus;

  @ApiProperty({ example: '已协调供电公司完成双回路接入', description: "This round's resolution" })
  resolution: string;

  @ApiProperty({ type: String, format: 'date-time' })
  resolvedAt: Date;

  @ApiProperty({ enum: TIERS, nullable: true, example: 2 })
  resolvedTier: Tier | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: Date | null;

  @ApiProperty({ example: 0 })
  remindersSent: number;

  @ApiProperty({ enum: SURVEY_ANSWERS, nullable: true, example: 'satisfied' })
  answer: SurveyAnswer | null;

  @ApiProperty({ type: String, nullable: true, example: '满意' })
  comment: string | null;

  @ApiProperty({ enum: ['link', 'phone'], nullable: true, example: 'phone', description: 'How the answer came in' })
  channel: SurveyChannel | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who recorded a phone answer' })
  recordedBy: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  answeredAt: Date | null;
}

export const toSurveyDto = (s: Survey): SurveyDto => ({
  id: s.id,
  ticketId: s.ticketId,
  round: s.round,
  status: s.status,
  resolution: s.resolution,
  resolvedAt: s.resolvedAt,
  resolvedTier: s.resolvedTier,
  sentAt: s.sentAt,
  expiresAt: s.expiresAt,
  remindersSent: s.remindersSent,
  answer: s.answer,
  comment: s.comment,
  channel: s.channel,
  recordedBy: s.recordedBy,
  answeredAt: s.answeredAt,
});

export class SurveyLinkDto {
  @ApiProperty({ format: 'uuid' })
  surveyId: string;

  @ApiProperty({ example: 1 })
  round: number;

  @ApiProperty({ example: 'https://desk.example.gov.cn/s/eyJhbGciOi…', description: 'The new link (the survey page); the previous one no longer works' })
  link: string;

  @ApiProperty({ example: '2026-10-15T16:00:00.000Z', description: 'The end of the survey window (unchanged by sending again)' })
  expiresAt: Date;
}
