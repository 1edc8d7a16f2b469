/**
 * Text split into runs for display in a record preview (DESIGN §10): invisible characters become
 * visible symbols so a stray CR or tab is seen, and U+FFFD (the replacement for bytes that are not
 * UTF-8) is flagged.
 */
export interface Segment {
  text: string;
  kind: 'text' | 'invisible' | 'invalid' | 'newline';
  /** What the symbol stands for, for a tooltip and screen readers. */
  title?: string;
  /**
   * For control pictures (␍, ␀, ␛…): the letters the picture is made of. Many fonts (DejaVu, the
   * default on Debian) have no Control Pictures block, so the view draws these letters itself.
   */
  abbr?: string;
}

/** The C0 control names, as drawn in the Unicode Control Pictures block. */
const C0_NAMES = ['NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI', 'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US'] as const;

const NAMED: Record<string, { symbol: string; title: string }> = {
  '\t': { symbol: '⇥', title: 'tab' },
  '\u00a0': { symbol: '⍽', title: 'no-break space (U+00A0)' },
  '\u200b': { symbol: '⟨ZWSP⟩', title: 'zero-width space (U+200B)' },
  '\u200c': { symbol: '⟨ZWNJ⟩', title: 'zero-width non-joiner (U+200C)' },
  '\u200d': { symbol: '⟨ZWJ⟩', title: 'zero-width joiner (U+200D)' },
  '\u2028': { symbol: '⟨LS⟩', title: 'line separator (U+2028)' },
  '\u2029': { symbol: '⟨PS⟩', title: 'paragraph separator (U+2029)' },
  '\ufeff': { symbol: '⟨BOM⟩', title: 'byte order mark (U+FEFF)' },
};

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function classify(char: string): Segment {
  if (char === '\n') return { text: '↵\n', kind: 'newline', title: 'line feed (LF)' };
  if (char === '\ufffd') return { text: '\ufffd', kind: 'invalid', title: 'bytes that are not UTF-8 (U+FFFD)' };
  const named = NAMED[char];
  if (named !== undefined) return { text: named.symbol, kind: 'invisible', title: named.title };
  const code = char.codePointAt(0)!;
  // C0 controls have their own pictures (␍ ␀ ␛ …); DEL is ␡; C1 controls have none, so show the code.
  if (char === '\r') return { text: '␍', kind: 'invisible', title: 'carriage return (CR)', abbr: 'CR' };
  if (code < 0x20) return { text: String.fromCodePoint(0x2400 + code), kind: 'invisible', title: `control character ${C0_NAMES[code]!} (${hex(code)})`, abbr: C0_NAMES[code]! };
  if (code === 0x7f) return { text: '␡', kind: 'invisible', title: 'delete (U+007F)', abbr: 'DEL' };
  if (code >= 0x80 && code <= 0x9f) return { text: `⟨${hex(code)}⟩`, kind: 'invisible', title: `control character ${hex(code)}` };
  return { text: char, kind: 'text' };
}

export function visibleSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  for (const char of text) {
    const next = classify(char);
    const last = segments.at(-1);
    if (next.kind === 'text' && last?.kind === 'text') last.text += next.text;
    else segments.push(next);
  }
  return segments;
}
