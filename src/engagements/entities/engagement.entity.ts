import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { EngagementType } from '../engagement-types';

/** One contact event (visit or meeting) with one or more enterprises. */
@Entity('engagements')
export class Engagement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  type: EngagementType;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'text', nullable: true })
  place: string | null;

  /** Users (officials) present. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  officialIds: string[];

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
