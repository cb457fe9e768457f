import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A year whose holidays are loaded; a year missing here is counted as weekends only (and logged). */
@Entity('calendar_years')
export class CalendarYear {
  @PrimaryColumn({ type: 'integer' })
  year: number;

  /** `chinese-days` when imported from the package, `manual` once edited by hand. */
  @Column({ type: 'text' })
  source: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
