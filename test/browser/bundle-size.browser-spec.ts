import { describe, expect, it } from '@jest/globals';
import { gzippedScripts } from '../support/web-dist';

/** Issue 15: the survey page opens on a slow phone connection. */
const SURVEY_JS_GZIP_LIMIT = 60 * 1024;
/** The console's first load (sign-in and the frame; each page's code comes after): kept from growing unnoticed. */
const CONSOLE_JS_GZIP_LIMIT = 320 * 1024;

/** The gzipped bytes of every script an entry loads up front, reported. */
function reported(htmlPath: string, name: string): number {
  const { scripts, bytes } = gzippedScripts(htmlPath);
  expect(scripts.length).toBeGreaterThan(0);
  process.stdout.write(`[bundle] ${name}: ${scripts.join(', ')}: ${(bytes / 1024).toFixed(1)} KB gzipped\n`);
  return bytes;
}

describe('the built web app', () => {
  it('the survey page loads at most 60 KB of gzipped JavaScript', () => {
    expect(reported('s/index.html', 'survey page')).toBeLessThanOrEqual(SURVEY_JS_GZIP_LIMIT);
  });

  it('the console loads at most 320 KB of gzipped JavaScript before its first page', () => {
    expect(reported('index.html', 'console first load')).toBeLessThanOrEqual(CONSOLE_JS_GZIP_LIMIT);
  });
});
