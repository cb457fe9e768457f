import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const SURVEY_SMS_KINDS = ['sent', 'reminded', 'resent'] as const;
export type SurveySmsKind = (typeof SURVEY_SMS_KINDS)[number];
export const SURVEY_SMS_STATUSES = ['pending', 'sent', 'failed', 'skipped'] as const;
export type SurveySmsStatus = (typeof SURVEY_SMS_STATUSES)[number];
/** Why a message was not sent: `code` of a skipped row. */
export const SMS_SKIPS = ['not_configured', 'no_mobile', 'rate_limited', 'link_replaced', 'survey_closed'] as const;
export type SmsSkip = (typeof SMS_SKIPS)[number];

/** One SMS meant to carry a survey's link to the enterprise's contact mobile, and what came of it. */
@Entity('survey_sms')
export class SurveySms {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  surveyId: string;

  @Column({ type: 'text' })
  kind: SurveySmsKind;

  /** The link version it carries: a message for a replaced link is not sent. */
  @Column({ type: 'integer' })
  linkVersion: number;

  /** 0 for the first message, n for the n-th reminder. */
  @Column({ type: 'integer' })
  reminder: number;

  @Column({ type: 'text', nullable: true })
  provider: 'aliyun' | 'tencent' | null;

  @Column({ type: 'text', nullable: true })
  mobile: string | null;

  @Column({ type: 'text', default: 'pending' })
  status: SurveySmsStatus;

  /** The platform's error code when failed (isv.MOBILE_NUMBER_ILLEGAL, LimitExceeded.PhoneNumberDailyLimit, …), an SmsSkip when skipped. */
  @Column({ type: 'text', nullable: true })
  code: string | null;

  @Column({ type: 'text', nullable: true })
  message: string | null;

  /** Alibaba's BizId or Tencent's SerialNo of a sent message. */
  @Column({ type: 'text', nullable: true })
  providerId: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
