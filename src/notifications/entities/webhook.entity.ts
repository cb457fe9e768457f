import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { WebhookEvent } from '../webhook-events';

/** An outbound subscription: these events are POSTed, signed, to this URL. */
@Entity('webhooks')
export class Webhook {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text', array: true })
  events: WebhookEvent[];

  /** Kept in clear because every delivery is signed with it; never selected unless asked for, never returned. */
  @Column({ type: 'text', select: false })
  secret: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /** Deleting keeps the row, so its deliveries keep their webhook. */
  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt: Date | null;
}
