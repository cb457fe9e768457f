import { describe, expect, it } from '@jest/globals';
import { chineseTitle } from './labels';

describe('chineseTitle', () => {
  it('keeps the Chinese half of a bilingual title, and the number of an action notice', () => {
    expect(chineseTitle('DD-2026-000123 即将超时 / due soon')).toBe('DD-2026-000123 即将超时');
    expect(chineseTitle('DD-2026-000123 升级至第2级 / escalated to tier 2')).toBe('DD-2026-000123 升级至第2级');
    expect(chineseTitle('DD-2026-000123: route')).toBe('DD-2026-000123');
    expect(chineseTitle('厂区道路维修')).toBe('厂区道路维修');
  });
});
