import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ROLES = [
  'liaison_officer',
  'department_handler',
  'deputy_leader',
  'principal_leader',
  'manager',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that see every ticket and engagement. */
export const SEES_EVERYTHING: readonly Role[] = ['principal_leader', 'manager', 'admin'];
export const LEADER_ROLES: readonly Role[] = ['deputy_leader', 'principal_leader'];

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  username: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'text' })
  role: Role;

  /** The department a handler works in (also set for other staff who belong to one). */
  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** A mainland mobile (11 digits): the robots @-mention the user by it in WeCom and DingTalk groups. */
  @Column({ type: 'text', nullable: true })
  mobile: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** In every access token (`ver`); incremented by a password change or disabling, which revokes them all. */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
