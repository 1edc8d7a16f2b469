import { describe, expect, it } from 'vitest';
import { MultilineAssembler } from '../../../../src/core/framing/MultilineAssembler.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Pushes lines (offsets counted from 0); `|` in the script means a quiet period (flush). */
function assemble(script: string[], max = 1024): string[] {
  const assembler = new MultilineAssembler(/^\d{4}-/y, max);
  const out: string[] = [];
  let offset = 0;
  for (const line of script) {
    if (line === '|') {
      const r = assembler.flush();
      if (r !== undefined) out.push(`${dec(r.data)}@${r.startOffset}-${r.endOffset}${r.cut ? ' cut' : ''}`);
      continue;
    }
    const r = assembler.push(enc(line), offset, offset + line.length);
    offset += line.length;
    if (r !== undefined) out.push(`${dec(r.data)}@${r.startOffset}-${r.endOffset}${r.cut ? ' cut' : ''}`);
  }
  return out;
}

describe('MultilineAssembler (multiLineStartPattern)', () => {
  it.each([
    { name: 'a record is a start line and its continuation lines', script: ['2020-a\n', ' at x\n', '2020-b\n', '|'], expected: ['2020-a\n at x\n@0-13', '2020-b\n@13-20'] },
    { name: 'lines before the first start line join the first record', script: ['junk\n', '2020-a\n', '2020-b\n', '|'], expected: ['junk\n2020-a\n@0-12', '2020-b\n@12-19'] },
    { name: 'a record flushed in pieces stays whole until the next start line', script: ['2020-a\n', ' at x\n', ' at y\n', '2020-b\n'], expected: ['2020-a\n at x\n at y\n@0-19'] },
    { name: 'a quiet period completes the last record', script: ['2020-a\n', ' at x\n', '|', ' late\n', '|'], expected: ['2020-a\n at x\n@0-13', ' late\n@13-19'] },
    { name: 'after a quiet flush, continuation lines are a record of their own', script: ['2020-a\n', '|', ' late\n', '2020-b\n', '|'], expected: ['2020-a\n@0-7', ' late\n@7-13', '2020-b\n@13-20'] },
    { name: 'lookingAt: the pattern must match at the line start', script: ['2020-a\n', 'x 2020-\n', '|'], expected: ['2020-a\nx 2020-\n@0-15'] },
  ])('$name', ({ script, expected }) => {
    expect(assemble(script)).toEqual(expected);
  });

  it('bounds a record by the record-size limit; the dropped lines still count in its offsets', () => {
    expect(assemble(['2020-a\n', ' 123456789\n', ' more\n', '2020-b\n', '|'], 10)).toEqual(['2020-a\n 12@0-24 cut', '2020-b\n@24-31']);
  });
});
