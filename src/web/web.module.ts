import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { SURVEY_PAGE_PATH } from '../surveys/survey-token.service';

/** Where `npm run build` puts the web app (web/vite.config.ts); npm scripts run from the repository root. */
export const WEB_DIST = resolve('web/dist');

/** Never the web app: an unknown path under these stays the API's RFC 9457 404. */
const NOT_THE_APP = ['/api/{*rest}', '/docs{*rest}', '/health/{*rest}', '/admin{*rest}'];

/**
 * The pages carry no inline script, talk only to this origin, and keep the survey token in
 * their URL to themselves (no Referer). The survey page carries no inline style either; the
 * console's UI kit (antd) writes its styles into <style> elements at run time, so the console
 * allows inline styles, never inline scripts (README, Security).
 */
const SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const PAGE_HEADERS: Record<string, string> = {
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};
const CONSOLE_POLICY = `${SECURITY_POLICY}; style-src 'self' 'unsafe-inline'`;

/** Vite names every asset by its content hash, so an asset never changes; the HTML always may. */
function setHeaders(res: ServerResponse, path: string): void {
  if (path.includes(`${sep}assets${sep}`)) {
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return;
  }
  res.setHeader('Cache-Control', 'no-cache');
  for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
  res.setHeader('Content-Security-Policy', path.endsWith(`${sep}s${sep}index.html`) ? SECURITY_POLICY : CONSOLE_POLICY);
}

/**
 * The built web app (web/): the survey page at /s/{token} (its own entry, web/s/index.html),
 * the console's index.html for every other path that is not the API's. Without a build
 * (`npm run build:server` alone, the Docker image) the API runs as before.
 */
@Module({})
export class WebModule {
  static forRoot(root = WEB_DIST): DynamicModule {
    if (!existsSync(join(root, 'index.html'))) {
      new Logger('WebModule').warn(`No web app at ${root} (run \`npm run build\`): serving the API only`);
      return { module: WebModule };
    }
    const serveStaticOptions = { setHeaders, index: false, redirect: false };
    return {
      module: WebModule,
      imports: [
        ServeStaticModule.forRoot(
          { rootPath: join(root, 's'), serveRoot: SURVEY_PAGE_PATH, renderPath: '/{*token}', serveStaticOptions },
          { rootPath: root, exclude: NOT_THE_APP, serveStaticOptions },
        ),
      ],
    };
  }
}
