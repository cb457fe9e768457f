import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Tier } from '../../tickets/ticket-status';

export const SURVEY_ANSWERS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type SurveyAnswer = (typeof SURVEY_ANSWERS)[number];
export const SURVEY_STATUSES = ['pending', 'sent', 'answered', 'no_response'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];
export type SurveyAction = 'send' | 'remind' | 'expire';
export type SurveyChannel = 'link' | 'phone';

/** 回访: the enterprise's verdict on one resolution round of a ticket. */
@Entity('surveys')
export class Survey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  /** 1 for the first resolution, +1 after each reopen. */
  @Column({ type: 'integer' })
  round: number;

  @Column({ type: 'text', default: 'pending' })
  status: SurveyStatus;

  // The round's resolution, kept here because the ticket's columns are overwritten by the next round.

  @Column({ type: 'text' })
  resolution: string;

  @Column({ type: 'timestamptz' })
  resolvedAt: Date;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'smallint', nullable: true })
  resolvedTier: Tier | null;

  /** sha256 of the link's token; the token itself is only in the messages that carry it. */
  @Column({ type: 'text', nullable: true })
  tokenHash: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** End of the window: the link's `exp`, and when no answer becomes `no_response`. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  remindersSent: number;

  /** Bumped each time the link is sent again: signed into the link, so the previous one stops matching. */
  @Column({ type: 'integer', default: 0 })
  linkVersion: number;

  @Column({ type: 'text', nullable: true })
  nextAction: SurveyAction | null;

  /** When the queue (or, failing it, the sweeper) must act next; null once answered or closed. */
  @Column({ type: 'timestamptz', nullable: true })
  nextActionAt: Date | null;

  @Column({ type: 'text', nullable: true })
  answer: SurveyAnswer | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'text', nullable: true })
  channel: SurveyChannel | null;

  /** The officer who recorded a phone answer (null for the link). */
  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
