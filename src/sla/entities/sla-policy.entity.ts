import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Category } from '../../tickets/categories';

export const SLA_MODES = ['working_days', 'duration'] as const;
export type SlaMode = (typeof SLA_MODES)[number];
export const TIER2_OWNERS = ['deputy_leader', 'paired_leader'] as const;
export type Tier2Owner = (typeof TIER2_OWNERS)[number];
/**
 * How working days are counted: `legal` from the day after intake to the close of the Nth working
 * day (Civil Code arts. 201-203); `elapsed` as N working days' worth of working time from the
 * instant of intake. Durations (drills) are always elapsed.
 */
export const SLA_COUNTINGS = ['legal', 'elapsed'] as const;
export type SlaCounting = (typeof SLA_COUNTINGS)[number];

/**
 * The 1-2-3 rule as data: per category (or the default when `category` is null), how long
 * each tier has, counted from intake. A ticket copies its policy at intake, so editing a
 * policy changes new tickets only.
 */
@Entity('sla_policies')
export class SlaPolicy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true, unique: true })
  category: Category | null;

  @Column({ type: 'text' })
  mode: SlaMode;

  /** Cumulative from intake, one per tier: working days ([1,2,3]) or ISO 8601 durations (['PT30S', …]). */
  @Column({ type: 'jsonb' })
  budgets: (number | string)[];

  /** Share of a tier's time after which its owner is warned. */
  @Column({ type: 'numeric', precision: 4, scale: 3, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  warnRatio: number;

  @Column({ type: 'text' })
  tier2Owner: Tier2Owner;

  @Column({ type: 'text' })
  counting: SlaCounting;

  /** How often an overdue ticket is reminded: null means every working day (ISO 8601 otherwise). */
  @Column({ type: 'text', nullable: true })
  reminderInterval: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
