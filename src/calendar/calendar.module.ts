import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { CalendarDay } from './entities/calendar-day.entity';
import { CalendarSettings } from './entities/calendar-settings.entity';
import { CalendarYear } from './entities/calendar-year.entity';

@Module({
  imports: [TypeOrmModule.forFeature([CalendarDay, CalendarYear, CalendarSettings])],
  controllers: [CalendarController],
  providers: [CalendarService],
  exports: [CalendarService],
})
export class CalendarModule {}
