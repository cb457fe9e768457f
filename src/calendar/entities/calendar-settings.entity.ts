import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row: the working window of a working day. Whole days (0-1440) unless set. */
@Entity('calendar_settings')
export class CalendarSettings {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  @Column({ type: 'smallint' })
  workStartMinute: number;

  @Column({ type: 'smallint' })
  workEndMinute: number;
}
