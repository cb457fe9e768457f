import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnterprisesModule } from '../enterprises/enterprises.module';
import { UsersModule } from '../users/users.module';
import { Pairing } from './entities/pairing.entity';
import { LeadersController } from './leaders.controller';
import { PairingsController } from './pairings.controller';
import { PairingsService } from './pairings.service';

@Module({
  imports: [TypeOrmModule.forFeature([Pairing]), EnterprisesModule, UsersModule],
  controllers: [PairingsController, LeadersController],
  providers: [PairingsService],
  exports: [PairingsService],
})
export class PairingsModule {}
