import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VirtualColumn } from 'typeorm';
import type { SlaEventKind, SlaSnapshot } from '../../sla/sla-clock';
import type { Category } from '../categories';
import { ownerSelect, type TicketOwner } from '../ticket-owner';
import type { Tier, TicketChannel, TicketStatus } from '../ticket-status';

export interface AttachmentMeta {
  name: string;
  contentType?: string;
  size?: number;
  url?: string;
}

/** A bigint of milliseconds, read as a number (node-postgres gives bigints as strings). */
const BIGINT_MS = { to: (ms: number | null) => ms, from: (ms: string | null) => (ms === null ? null : Number(ms)) };

/** The names a ticket is shown with, read in the same query as the row. */
export const enterpriseNameSelect = (alias: string) => `SELECT e.name FROM enterprises e WHERE e.id = ${alias}.enterprise_id`;
export const departmentNameSelect = (alias: string) => `SELECT d.name FROM departments d WHERE d.id = ${alias}.department_id`;

/** 诉求 / 工单: one demand raised by one enterprise. */
@Entity('tickets')
export class Ticket {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Human-readable number, `YYYY-NNNNNN`, counted per year (Asia/Shanghai). */
  @Column({ type: 'text', unique: true })
  number: string;

  @Column({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'uuid', nullable: true })
  engagementId: string | null;

  @Column({ type: 'text' })
  channel: TicketChannel;

  @Column({ type: 'text' })
  category: Category;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments: AttachmentMeta[];

  /** The department that owns it; null only when no department owns the category yet. */
  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  /** The enterprise's paired leader at intake (包联领导), kept even if the pairing later ends. */
  @Column({ type: 'uuid', nullable: true })
  pairedLeaderId: string | null;

  @Column({ type: 'smallint' })
  startingTier: Tier;

  @Column({ type: 'smallint' })
  tier: Tier;

  @Column({ type: 'text' })
  status: TicketStatus;

  @Column({ type: 'uuid' })
  createdBy: string;

  // The SLA clock (see src/sla): stored here, the queue only wakes the system up.

  /** The SLA policy as copied at intake, so later policy edits leave this clock alone. */
  @Column({ type: 'jsonb', nullable: true })
  sla: SlaSnapshot | null;

  @Column({ type: 'timestamptz', nullable: true })
  clockStartedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  tier1DueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  tier2DueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  tier3DueAt: Date | null;

  /** The current tier's deadline (kept once the clock stops): what lists sort "by deadline" on. */
  @Column({ type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  /** Highest tier whose warning was handled (0: none yet). */
  @Column({ type: 'smallint', default: 0 })
  warnedTier: number;

  /** Set when the last deadline (tier 3) passed: 超期. */
  @Column({ type: 'timestamptz', nullable: true })
  overdueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastRemindedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  escalatedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  statusBeforePause: TicketStatus | null;

  /** The leader who owns the current tier (tier 2; null at tier 1, owned by the department). */
  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  /** Bumped whenever deadlines move (pause, resume, extension, reopen): older jobs become no-ops. */
  @Column({ type: 'integer', default: 0 })
  clockVersion: number;

  @Column({ type: 'text', nullable: true })
  nextEvent: SlaEventKind | null;

  /** When the queue (or, failing it, the sweeper) must act next; null when the clock is stopped. */
  @Column({ type: 'timestamptz', nullable: true })
  nextEventAt: Date | null;

  /** What was done, as the resolver wrote it. */
  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  resolutionAttachments: AttachmentMeta[];

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy: string | null;

  /** The tier that held the ticket when it was resolved (feeds the tier distribution). */
  @Column({ type: 'smallint', nullable: true })
  resolvedTier: Tier | null;

  /** Working time (calendar and working hours) from intake to resolvedAt, stored at resolution for the statistics. */
  @Column({ type: 'bigint', nullable: true, transformer: BIGINT_MS })
  resolveWorkingMs: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** Times the enterprise's dissatisfaction reopened it; each round's survey keeps that round. */
  @Column({ type: 'integer', default: 0 })
  reopenCount: number;

  // What earlier rounds reached, kept when a reopening starts a fresh clock (see rounds.ts).

  /** Highest tier of the rounds before the latest (0: never reopened). */
  @Column({ type: 'smallint', default: 0 })
  earlierMaxTier: number;

  /** Some round before the latest passed its final deadline. */
  @Column({ type: 'boolean', default: false })
  earlierOverdue: boolean;

  /** Working time past the final deadline, summed over every resolution. */
  @Column({ type: 'bigint', default: 0, transformer: BIGINT_MS })
  overdueWorkingMs: number;

  // holder_ids, everyone who held it before, is written by a trigger only (the list's `mine` reads it): not mapped here.

  /** Who holds it now, computed by Postgres in the same query as the row. */
  @VirtualColumn({ type: 'json', query: ownerSelect })
  owner: TicketOwner;

  @VirtualColumn({ type: 'text', query: enterpriseNameSelect })
  enterpriseName: string;

  /** The owning department's name; null while unrouted. */
  @VirtualColumn({ type: 'text', query: departmentNameSelect })
  departmentName: string | null;

  /** Optimistic concurrency: every change bumps it; a stale write is a 409. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
