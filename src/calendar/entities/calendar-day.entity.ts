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

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
