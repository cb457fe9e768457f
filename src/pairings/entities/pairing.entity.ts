import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 包联: a leader paired with an enterprise for a period. Never deleted, only ended. */
@Entity('pairings')
export class Pairing {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  leaderId: string;

  @Column({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'date' })
  startedOn: string;

  /** The first day the pairing no longer holds; null while active. */
  @Column({ type: 'date', nullable: true })
  endedOn: string | null;

  @Column({ type: 'text', nullable: true })
  endReason: string | null;

  @Column({ type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
