import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { RobotPlatform } from '../robot-platforms';

/** A group robot: where messages go (its webhook URL carries the platform's credential) and how they are signed. */
@Entity('robot_channels')
export class RobotChannel {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  platform: RobotPlatform;

  /** Holds the robot's key or access token: never returned whole, never logged. */
  @Column({ type: 'text', select: false })
  webhookUrl: string;

  /** DingTalk's or Feishu's signing secret, in clear (it signs every message); write-only. */
  @Column({ type: 'text', nullable: true, select: false })
  secret: string | null;

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
