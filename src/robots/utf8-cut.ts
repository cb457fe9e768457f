/**
 * Byte-limited text for robot messages: platforms count UTF-8 bytes, and a cut must never
 * split a character, a surrogate pair or an emoji sequence (it would arrive as U+FFFD or be
 * refused). Cuts fall on grapheme boundaries (Intl.Segmenter).
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The longest prefix of `text` of whole graphemes within `maxBytes`. */
export function cutUtf8(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  let used = 0;
  let end = 0;
  for (const { segment, index } of segmenter.segment(text)) {
    const size = utf8Bytes(segment);
    if (used + size > maxBytes) break;
    used += size;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** `text` in pieces of at most `maxBytes`, each cut at a grapheme boundary. */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (utf8Bytes(rest) > maxBytes) {
    const piece = cutUtf8(rest, maxBytes);
    // A single grapheme over the limit cannot be sent whole; never loop on it.
    if (piece.length === 0) break;
    pieces.push(piece);
    rest = rest.slice(piece.length);
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/**
 * Packs whole units (lines, a markdown link) into parts of at most `maxBytes` joined by `sep`;
 * a unit longer than a part is split at grapheme boundaries, which is why links must stay short
 * units of their own: they are never cut.
 */
export function packUnits(units: string[], maxBytes: number, sep = '\n'): string[] {
  const parts: string[] = [];
  let current: string | null = null;
  const sepBytes = utf8Bytes(sep);
  for (const unit of units.flatMap((u) => splitUtf8(u, maxBytes))) {
    if (current !== null && utf8Bytes(current) + sepBytes + utf8Bytes(unit) <= maxBytes) {
      current += sep + unit;
    } else {
      if (current !== null) parts.push(current);
      current = unit;
    }
  }
  if (current !== null) parts.push(current);
  return parts;
}
