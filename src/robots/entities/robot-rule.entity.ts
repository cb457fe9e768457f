import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { EventName } from '../../events/event-map';

/** Which events go to which channel: all tickets', or one department's; whether the owners are @-mentioned. */
@Entity('robot_rules')
export class RobotRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  channelId: string;

  @Column({ type: 'text', array: true })
  events: EventName[];

  /** Only tickets of this department; null for every ticket. */
  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  @Column({ type: 'boolean', default: false })
  mentionOwners: boolean;

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

  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt: Date | null;
}
