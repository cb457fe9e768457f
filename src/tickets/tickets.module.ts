import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { DepartmentsModule } from '../departments/departments.module';
import { SlaModule } from '../sla/sla.module';
import { TicketEvent } from './entities/ticket-event.entity';
import { Ticket } from './entities/ticket.entity';
import { TicketActionsController } from './ticket-actions.controller';
import { TicketExportService } from './ticket-export.service';
import { TicketIntakeService } from './ticket-intake.service';
import { TicketWorkflowService } from './ticket-workflow.service';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

@Module({
  imports: [TypeOrmModule.forFeature([Ticket, TicketEvent]), CalendarModule, DepartmentsModule, IdempotencyModule, SlaModule],
  controllers: [TicketsController, TicketActionsController],
  providers: [TicketIntakeService, TicketsService, TicketWorkflowService, TicketExportService],
  exports: [TicketIntakeService, TicketsService, TicketWorkflowService],
})
export class TicketsModule {}
