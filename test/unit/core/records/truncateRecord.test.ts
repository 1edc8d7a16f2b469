import { describe, expect, it } from 'vitest';
import { truncateRecord } from '../../../../src/core/records/truncateRecord.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('truncateRecord', () => {
  it.each([
    ['short enough', 'abc\n', 4, '\n', 'abc\n'],
    ['cut to the limit, ending with the terminator', 'abcdefgh\n', 5, '\n', 'abcd\n'],
    ['multi-byte terminator', 'abcdefgh\n', 6, '…', 'abc…'],
  ])('%s', (_name, input, limit, terminator, expected) => {
    const out = truncateRecord(enc(input), limit, enc(terminator));
    expect(dec(out)).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(limit);
  });
});
