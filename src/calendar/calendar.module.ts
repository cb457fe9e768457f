import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { CalendarDay } from './entities/calendar-day.entity';
import { CalendarDayChange } from './entities/calendar-day-change.entity';
import { CalendarSettings } from './entities/calendar-settings.entity';
import { CalendarYear } from './entities/calendar-year.entity';

@Module({
  imports: [TypeOrmModule.forFeature([CalendarDay, CalendarDayChange, CalendarYear, CalendarSettings])],
  controllers: [CalendarController],
  providers: [CalendarService],
  exports: [CalendarService],
})
export class CalendarModule {}
