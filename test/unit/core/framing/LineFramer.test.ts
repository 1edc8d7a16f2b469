import { describe, expect, it } from 'vitest';
import { LineFramer, type FrameItem } from '../../../../src/core/framing/LineFramer.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function show(items: FrameItem[]): string[] {
  return items.map((item) => (item.kind === 'skip' ? `skip:${item.reason}:${item.bytes}@${item.endOffset}` : `${item.kind}:${JSON.stringify(dec(item.data))}@${item.endOffset}`));
}

/** Feeds `text` cut into the given chunk sizes (cycled), collecting every item. */
function frame(text: string, chunkSizes: number[], maxLine = 1024, start = 0, headers = 0) {
  const framer = new LineFramer(start, maxLine, headers);
  const bytes = enc(text);
  const items: FrameItem[] = [];
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = chunkSizes[i % chunkSizes.length] ?? 1;
    items.push(...framer.push(bytes.subarray(at, at + size)));
    at += size;
  }
  return { items: show(items), framer };
}

describe('LineFramer', () => {
  const text = 'a\r\n\nbé\nlast';
  it.each([[[1]], [[2]], [[3, 1]], [[100]]])('frames LF-terminated records, CR kept, partial held (chunks %j)', (sizes) => {
    const { items, framer } = frame(text, sizes);
    expect(items).toEqual(['line:"a\\r\\n"@3', 'line:"\\n"@4', 'line:"bé\\n"@8']);
    expect(framer.partialBytes).toBe(4);
    expect(framer.framedOffset).toBe(8);
  });

  it('completes a partial line later and counts offsets from the start offset', () => {
    const framer = new LineFramer(100, 1024);
    expect(show(framer.push(enc('par')))).toEqual([]);
    expect(show(framer.push(enc('tial\nnext\n')))).toEqual(['line:"partial\\n"@108', 'line:"next\\n"@113']);
  });

  it.each([[[1]], [[4]], [[7, 2]], [[64]]])('cuts a runaway line and skips its rest without holding it (chunks %j)', (sizes) => {
    const { items, framer } = frame('ok\n0123456789abcdef\nafter\n', sizes, 8);
    expect(items).toEqual(['line:"ok\\n"@3', 'runaway:"01234567"@11', 'skip:runaway:9@20', 'line:"after\\n"@26']);
    expect(framer.partialBytes).toBe(0);
  });

  it('keeps a line of exactly the limit whole', () => {
    expect(frame('1234567\n', [3], 8).items).toEqual(['line:"1234567\\n"@8']);
  });

  it('skips header lines only when reading from offset 0', () => {
    expect(frame('h1\nh2\nbody\n', [2], 64, 0, 2).items).toEqual(['skip:header:3@3', 'skip:header:3@6', 'line:"body\\n"@11']);
    expect(frame('h1\nh2\n', [2], 64, 50, 2).items).toEqual(['line:"h1\\n"@53', 'line:"h2\\n"@56']);
  });

  it('hands over the partial last line of a released file', () => {
    const framer = new LineFramer(0, 64);
    framer.push(enc('x\ntail'));
    expect(show([framer.takePartial()!])).toEqual(['line:"tail"@6']);
    expect(framer.takePartial()).toBeUndefined();
  });

  it('passes invalid UTF-8 and NUL bytes through untouched', () => {
    const framer = new LineFramer(0, 64);
    const bytes = Uint8Array.from([0xff, 0x00, 0xc3, 0x0a]);
    const [item] = framer.push(bytes);
    expect(item?.kind === 'line' && Array.from(item.data)).toEqual([0xff, 0x00, 0xc3, 0x0a]);
  });

  it('stays correct when the caller reuses one Buffer for every chunk (as the reader does)', () => {
    const framer = new LineFramer(0, 1024);
    const chunk = Buffer.alloc(8);
    const out: string[] = [];
    for (const piece of ['abc', 'def\ngh', 'i\n', 'jk']) {
      chunk.fill(0x21);
      const n = chunk.write(piece);
      // Items must be used before the next read overwrites the buffer.
      for (const item of framer.push(chunk.subarray(0, n))) if (item.kind === 'line') out.push(dec(item.data));
    }
    chunk.fill(0x21);
    expect(out).toEqual(['abcdef\n', 'ghi\n']);
    const partial = framer.takePartial();
    expect(partial?.kind === 'line' ? dec(partial.data) : undefined).toBe('jk');
  });
});
