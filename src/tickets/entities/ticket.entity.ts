import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Category } from '../categories';
import type { Tier, TicketChannel, TicketStatus } from '../ticket-status';

export interface AttachmentMeta {
  name: string;
  contentType?: string;
  size?: number;
  url?: string;
}

/** 诉求 / 工单: one demand raised by one enterprise. */
@Entity('tickets')
export class Ticket {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Human-readable number, `YYYY-NNNNNN`, counted per year (Asia/Shanghai). */
  @Column({ type: 'text', unique: true })
  number: string;

  @Column({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'uuid', nullable: true })
  engagementId: string | null;

  @Column({ type: 'text' })
  channel: TicketChannel;

  @Column({ type: 'text' })
  category: Category;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments: AttachmentMeta[];

  /** The department that owns it; null only when no department owns the category yet. */
  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  /** The enterprise's paired leader at intake (包联领导), kept even if the pairing later ends. */
  @Column({ type: 'uuid', nullable: true })
  pairedLeaderId: string | null;

  @Column({ type: 'smallint' })
  startingTier: Tier;

  @Column({ type: 'smallint' })
  tier: Tier;

  @Column({ type: 'text' })
  status: TicketStatus;

  @Column({ type: 'uuid' })
  createdBy: string;

  /** Optimistic concurrency: every change bumps it; a stale write is a 409. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
