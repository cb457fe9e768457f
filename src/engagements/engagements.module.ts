import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { TicketsModule } from '../tickets/tickets.module';
import { EngagementsController } from './engagements.controller';
import { EngagementsService } from './engagements.service';
import { EngagementEnterprise } from './entities/engagement-enterprise.entity';
import { Engagement } from './entities/engagement.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Engagement, EngagementEnterprise]), TicketsModule, IdempotencyModule],
  controllers: [EngagementsController],
  providers: [EngagementsService],
})
export class EngagementsModule {}
