import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { csvText, inertText } from './ledger';

/** Leading characters a spreadsheet may skip before it looks for a formula. */
const INVISIBLE = [' ', '  ', '\u3000', '\u00a0', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u200e', '\u202e'];
const LINE_STARTS = ['\t', '\r', '\n', '\r\n'];
const FORMULA_CHARS = ['=', '+', '-', '@', '＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '﹫'];
const PAYLOADS = [`cmd|' /C calc'!A0`, 'HYPERLINK("http://evil.example","点我")', '1+1', ''];

/** Every prefix of up to two invisible characters: '', ' ', ' \u200b', '\u200b\u3000', … */
const prefixes = (alphabet: string[]): string[] => ['', ...alphabet, ...alphabet.flatMap((a) => alphabet.map((b) => a + b))];

/** What a reader sees first: the text with its leading whitespace and format characters dropped, NFKC-folded. */
const visibleStart = (text: string) => text.replace(/^[\s\p{Cf}]+/u, '').normalize('NFKC');

describe('inertText: the ledger formula guard', () => {
  const dangerous = [
    ...prefixes(INVISIBLE).flatMap((prefix) => FORMULA_CHARS.flatMap((char) => PAYLOADS.map((payload) => prefix + char + payload))),
    // A tab, CR or LF anywhere in the leading run, whatever follows it.
    ...prefixes([...INVISIBLE, ...LINE_STARTS])
      .filter((prefix) => /[\t\r\n]/.test(prefix))
      .flatMap((prefix) => ['text', '中文', ...FORMULA_CHARS].map((rest) => prefix + rest)),
  ];

  it(`prefixes a single quote to each of ${dangerous.length} generated formula starts, and changes nothing else`, () => {
    for (const text of dangerous) {
      const inert = inertText(text);
      expect({ text, inert }).toEqual({ text, inert: `'${text}` });
      expect(visibleStart(inert)).toMatch(/^'/);
    }
  });

  it('leaves text that cannot start a formula as it is', () => {
    const safe = [
      '',
      '扩建厂房用地指标',
      'a=b',
      '1-2',
      ' 用地 ',
      '\u200b用地',
      '\u3000（一）用地',
      'first line\n=second line',
      "'already quoted",
      '−5', // U+2212 MINUS SIGN: not an operator a spreadsheet parses
      '＄100',
    ];
    for (const text of safe) expect(inertText(text)).toBe(text);
  });

  it('never leaves a visible formula start, over every generated prefix and first character', () => {
    const firsts = [...FORMULA_CHARS, 'a', '中', '1', "'", '"', ',', '\t', '\r', '\n'];
    for (const prefix of prefixes([...INVISIBLE, ...LINE_STARTS])) {
      for (const first of firsts) {
        const inert = inertText(`${prefix}${first}x`);
        expect([`${prefix}${first}x`, `'${prefix}${first}x`]).toContain(inert);
        expect({ inert, start: visibleStart(inert)[0] }).not.toEqual({ inert, start: expect.stringMatching(/^[=+\-@]$/) });
        if (/[\t\r\n]/.test(inert) && inert === `${prefix}${first}x`) {
          // Untouched text may hold a break only after its first visible character.
          expect(inert.search(/[\t\r\n]/)).toBeGreaterThan(inert.search(/[^\s\p{Cf}]/u));
        }
      }
    }
  });
});

describe('csvText: RFC 4180', () => {
  const fields = ['bare\nLF', 'bare\rCR', 'CR\r\nLF', 'a "quote"', 'a, comma', '\rleading CR', 'trailing LF\n', 'plain', ''];

  it('quotes every field holding CR, LF, a double quote or a comma, and only those', () => {
    const text = csvText([fields]);
    expect(text).toBe(
      '"bare\nLF","bare\rCR","CR\r\nLF","a ""quote""","a, comma","\rleading CR","trailing LF\n",plain,\r\n',
    );
  });

  it('reads back strictly as the same records, and as one line per record outside quotes', () => {
    const rows = [fields, fields.map((field) => `x${field}`)];
    const text = csvText(rows, true);
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(parse(text.slice(1), { relax_quotes: false, relax_column_count: false, record_delimiter: '\r\n' })).toEqual(rows);
    // Outside quotes, the only line breaks are the record delimiters.
    const unquoted = text.replace(/"(?:[^"]|"")*"/g, '""');
    expect(unquoted.split(/\r\n|\r|\n/).filter(Boolean)).toHaveLength(rows.length);
  });
});
