import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DayKind } from '../working-time';

/** An exception to "weekdays on, weekends off": a statutory holiday or a make-up working day (调休). */
@Entity('calendar_days')
export class CalendarDay {
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'text' })
  kind: DayKind;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  /** Set or changed by hand, day by day; the year keeps the source it was loaded from. */
  @Column({ type: 'boolean', default: false })
  manual: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
