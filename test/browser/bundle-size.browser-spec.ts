import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';

const WEB_DIST = join(process.cwd(), 'web', 'dist');
/** Issue 15: the survey page opens on a slow phone connection. */
const SURVEY_JS_GZIP_LIMIT = 60 * 1024;

/** Every script the page loads up front: its module entry and the chunks it preloads. */
function scriptsOf(htmlPath: string): string[] {
  const html = readFileSync(join(WEB_DIST, htmlPath), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)];
  return scripts.map((match) => match[1]);
}

describe('the built survey page', () => {
  it('loads at most 60 KB of gzipped JavaScript', () => {
    const scripts = scriptsOf('s/index.html');
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.map((src) => gzipSync(readFileSync(join(WEB_DIST, src)), { level: 9 }).length);
    const total = gzipped.reduce((sum, bytes) => sum + bytes, 0);
    process.stdout.write(`[bundle] survey page: ${scripts.join(', ')}: ${(total / 1024).toFixed(1)} KB gzipped\n`);
    expect(total).toBeLessThanOrEqual(SURVEY_JS_GZIP_LIMIT);
  });
});
