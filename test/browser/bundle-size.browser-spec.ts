import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';

const WEB_DIST = join(process.cwd(), 'web', 'dist');
/** Issue 15: the survey page opens on a slow phone connection. */
const SURVEY_JS_GZIP_LIMIT = 60 * 1024;
/** The console's first load (sign-in and the frame; each page's code comes after): kept from growing unnoticed. */
const CONSOLE_JS_GZIP_LIMIT = 320 * 1024;

/** Every script the page loads up front: its module entry and the chunks it preloads. */
function scriptsOf(htmlPath: string): string[] {
  const html = readFileSync(join(WEB_DIST, htmlPath), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)];
  return scripts.map((match) => match[1]);
}

/** The gzipped bytes of every script an entry loads up front, reported. */
function gzippedScripts(htmlPath: string, name: string): number {
  const scripts = scriptsOf(htmlPath);
  expect(scripts.length).toBeGreaterThan(0);
  const total = scripts.map((src) => gzipSync(readFileSync(join(WEB_DIST, src)), { level: 9 }).length).reduce((sum, bytes) => sum + bytes, 0);
  process.stdout.write(`[bundle] ${name}: ${scripts.join(', ')}: ${(total / 1024).toFixed(1)} KB gzipped\n`);
  return total;
}

describe('the built web app', () => {
  it('the survey page loads at most 60 KB of gzipped JavaScript', () => {
    expect(gzippedScripts('s/index.html', 'survey page')).toBeLessThanOrEqual(SURVEY_JS_GZIP_LIMIT);
  });

  it('the console loads at most 320 KB of gzipped JavaScript before its first page', () => {
    expect(gzippedScripts('index.html', 'console first load')).toBeLessThanOrEqual(CONSOLE_JS_GZIP_LIMIT);
  });
});
