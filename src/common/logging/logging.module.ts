import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { AppConfigService } from '../../config/app.config';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

const REDACTED = '[REDACTED]';
/** Query parameters that carry a credential (`?access_token=` of the SSE stream, any *token, secrets). */
const SECRET_QUERY_PARAM = /([?&][^=&#]*(?:token|secret|password|signature|api[_-]?key)[^=&#]*=)[^&#]*/gi;
/**
 * Path segments that are credentials: the survey link's token (`/surveys/<token>`) and any short
 * link form (`/s/<token>`). Express matches routes case-insensitively and tolerates repeated
 * slashes, so this does too.
 */
const SECRET_PATH_SEGMENT = /(\/(?:surveys|s)\/+)[^/?#]+/gi;

/**
 * A URL as it may be logged: credentials in its path or query string replaced by [REDACTED].
 * Every logged URL goes through here; headers that carry credentials are redacted by pino.
 */
export function redactUrl(url: string): string {
  const queryAt = url.search(/[?#]/);
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const rest = queryAt === -1 ? '' : url.slice(queryAt);
  return path.replace(SECRET_PATH_SEGMENT, `$1${REDACTED}`) + rest.replace(SECRET_QUERY_PARAM, `$1${REDACTED}`);
}

/** Credential headers, should a request's or response's headers ever be logged (Idempotency-Key is not one). */
export const REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'].flatMap((name) => [
  `req.headers["${name}"]`,
  `res.headers["${name}"]`,
]);

/**
 * Reuses a caller's request id when it looks sane, so one id follows a request across
 * systems. Registered before the body parser so even a malformed body gets an id.
 */
export function assignRequestId(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const incoming = req.headers[REQUEST_ID_HEADER.toLowerCase()];
  const id = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  req.id = id;
  return id;
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfigService) => ({
        pinoHttp: {
          level: config.get('LOG_LEVEL', { infer: true }),
          genReqId: assignRequestId,
          redact: { paths: [...REDACTED_HEADERS, 'req.body.password'], censor: REDACTED },
          customProps: () => ({ role: config.get('APP_ROLE', { infer: true }) }),
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: redactUrl(req.url),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
