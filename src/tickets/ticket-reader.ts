import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { type TicketDto, type TicketReader, toTicketDto } from './dto/ticket.dto';
import type { Ticket } from './entities/ticket.entity';

/** Answers tickets to a caller: the clock's now and the stored calendar, read once per request. */
@Injectable()
export class TicketReaders {
  constructor(
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  async reader(user: AuthUser, manager?: EntityManager): Promise<TicketReader> {
    return { caller: { id: user.id, role: user.role }, now: this.clock.now(), calendar: await this.calendar.workCalendar(manager) };
  }

  async toDtos(user: AuthUser, tickets: Ticket[], manager?: EntityManager): Promise<TicketDto[]> {
    const reader = await this.reader(user, manager);
    return tickets.map((ticket) => toTicketDto(ticket, reader));
  }

  async toDto(user: AuthUser, ticket: Ticket, manager?: EntityManager): Promise<TicketDto> {
    return toTicketDto(ticket, await this.reader(user, manager));
  }
}
