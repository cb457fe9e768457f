import { describe, expect, it } from '@jest/globals';
import { gzippedScripts } from '../support/web-dist';

/** Issue 15: the survey page opens on a slow phone connection. */
const SURVEY_JS_GZIP_LIMIT = 60 * 1024;

describe('the built survey page', () => {
  it('loads at most 60 KB of gzipped JavaScript', () => {
    const { scripts, bytes } = gzippedScripts('s/index.html');
    expect(scripts.length).toBeGreaterThan(0);
    process.stdout.write(`[bundle] survey page: ${scripts.join(', ')}: ${(bytes / 1024).toFixed(1)} KB gzipped\n`);
    expect(bytes).toBeLessThanOrEqual(SURVEY_JS_GZIP_LIMIT);
  });
});
