import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeliveryStatus, WebhookEvent } from '../webhook-events';

/**
 * One event for one webhook: written in the transaction that caused the event (an outbox), so
 * an event is never lost when Redis is away; the queue only carries out the sending.
 */
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  webhookId: string;

  @Column({ type: 'text' })
  event: WebhookEvent;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'text' })
  status: DeliveryStatus;

  /** HTTP attempts so far, redeliveries included. */
  @Column({ type: 'integer' })
  attempts: number;

  @Column({ type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** When the event happened; sent as `occurredAt`. */
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
