import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOmittable } from '../../common/validation/is-omittable';
import { Text } from '../../common/validation/validators';
import { TIERS, type Tier } from '../../tickets/ticket-status';
import { SURVEY_ANSWERS, SURVEY_STATUSES, type Survey, type SurveyAnswer, type SurveyChannel, type SurveyStatus } from '../entities/survey.entity';
import { SMS_SKIPS, SURVEY_SMS_KINDS, SURVEY_SMS_STATUSES, type SurveySms, type SurveySmsKind, type SurveySmsStatus } from '../entities/survey-sms.entity';

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

/** One SMS meant to carry the survey's link, and what came of it. */
export class SurveySmsDto {
  @ApiProperty({ enum: SURVEY_SMS_KINDS, example: 'sent', description: 'The survey sent, a reminder, or a new link sent on demand' })
  kind: SurveySmsKind;

  @ApiProperty({ example: 0, description: '0 for the first message, n for the n-th reminder' })
  reminder: number;

  @ApiProperty({
    enum: SURVEY_SMS_STATUSES,
    example: 'failed',
    description: 'pending (queued or being retried), sent (the platform accepted it), failed (the platform refused it: see code and message), skipped (not sent: see code)',
  })
  status: SurveySmsStatus;

  @ApiProperty({ enum: ['aliyun', 'tencent'], nullable: true, type: String, example: 'aliyun', description: 'Null when no platform is configured' })
  provider: 'aliyun' | 'tencent' | null;

  @ApiProperty({ type: String, nullable: true, example: '138****8000', description: 'The number, masked' })
  mobile: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'isv.MOBILE_NUMBER_ILLEGAL',
    description: `The platform's error code when failed (or its last transient one while pending); when skipped one of: ${SMS_SKIPS.join(', ')}`,
  })
  code: string | null;

  @ApiProperty({ type: String, nullable: true, example: '非法手机号', description: "The platform's message, or why it was skipped" })
  message: string | null;

  @ApiProperty({ example: 1, description: 'Calls made to the platform' })
  attempts: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null while pending' })
  finishedAt: Date | null;
}

const maskMobile = (mobile: string | null): string | null => (mobile ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : null);

export const toSurveySmsDto = (m: SurveySms): SurveySmsDto => ({
  kind: m.kind,
  reminder: m.reminder,
  status: m.status,
  provider: m.provider,
  mobile: maskMobile(m.mobile),
  code: m.code,
  message: m.message,
  attempts: m.attempts,
  createdAt: m.createdAt,
  finishedAt: m.finishedAt,
});

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

  @ApiProperty({ type: [SurveySmsDto], description: "The SMS meant to carry this round's link to the enterprise's contact mobile, oldest first" })
  sms: SurveySmsDto[];
}

export const toSurveyDto = (s: Survey, sms: SurveySms[]): SurveyDto => ({
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
  sms: sms.map(toSurveySmsDto),
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
