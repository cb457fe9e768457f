import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { EventName } from '../../events/event-map';
import type { DeliveryStatus } from '../../notifications/webhook-events';

/** One event (or direct message) for one channel, written in the event's transaction (an outbox). */
@Entity('robot_deliveries')
export class RobotDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  channelId: string;

  @Column({ type: 'uuid' })
  eventId: string;

  /** Null for a direct message (the digest's, say). */
  @Column({ type: 'text', nullable: true })
  event: EventName | null;

  @Column({ type: 'uuid', nullable: true })
  ticketId: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'boolean', default: false })
  mentionOwners: boolean;

  @Column({ type: 'text' })
  status: DeliveryStatus;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ type: 'integer' })
  partsSent: number;

  /** The platform's errcode/code, or the HTTP status when the answer had none. */
  @Column({ type: 'integer', nullable: true })
  lastErrorCode: number | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** Quiet hours: not sent before this instant. */
  @Column({ type: 'timestamptz' })
  notBefore: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
