import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DayKind } from '../working-time';

/** A day as the calendar has it: an exception, or null for the weekday/weekend rule. */
export type DayState = { kind: DayKind; name: string | null } | null;

/** Who changed which day, when, from what to what: kept for every edit by hand. */
@Entity('calendar_day_changes')
export class CalendarDayChange {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'jsonb', nullable: true })
  before: DayState;

  @Column({ type: 'jsonb', nullable: true })
  after: DayState;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
