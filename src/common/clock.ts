import { Global, Injectable, Module } from '@nestjs/common';

/** The current instant. Domain code asks this, never `new Date()`, so tests can fix "today". */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }],
  exports: [Clock],
})
export class ClockModule {}
