import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Where `npm run build` puts the web app (web/vite.config.ts); npm scripts run from the repository root. */
export const WEB_DIST = join(process.cwd(), 'web', 'dist');

/** Every script a built page loads up front: its module entry and the chunks it preloads. */
export function scriptsOf(htmlPath: string): string[] {
  const html = readFileSync(join(WEB_DIST, htmlPath), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)];
  return scripts.map((match) => match[1]);
}

/** The JavaScript a built page loads up front, gzipped at level 9 as a server or CDN would send it. */
export function gzippedScripts(htmlPath: string): { scripts: string[]; bytes: number } {
  const scripts = scriptsOf(htmlPath);
  const bytes = scripts.reduce((sum, src) => sum + gzipSync(readFileSync(join(WEB_DIST, src)), { level: 9 }).length, 0);
  return { scripts, bytes };
}
