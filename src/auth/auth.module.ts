import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { RateLimits } from '../common/rate-limit/fixed-window';
import type { AppConfigService } from '../config/app.config';
import { UsersModule } from '../users/users.module';
import { AccessTokens } from './access-tokens';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginThrottleService } from './login-throttle.service';

@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfigService) => ({
        // A key object, not the string: jsonwebtoken would otherwise first try (and fail) to
        // parse the string as a public key on every verify, a cost paid by every request.
        secret: createSecretKey(Buffer.from(config.get('JWT_SECRET', { infer: true }))),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AccessTokens, LoginThrottleService, RateLimits, { provide: APP_GUARD, useClass: AuthGuard }],
  // The same key signs survey links, told apart by their `purpose` claim.
  exports: [JwtModule, AuthService, AccessTokens],
})
export class AuthModule {}
