import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, VirtualColumn } from 'typeorm';

/** One line of a ticket's timeline: who did what, when, with the state before and after. */
@Entity('ticket_events')
export class TicketEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  /** Null when the system acted (escalation, reminders). */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  /** The actor's display name, read with the row. */
  @VirtualColumn({ type: 'text', query: (alias) => `SELECT u.display_name FROM users u WHERE u.id = ${alias}.actor_id` })
  actorName: string | null;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
