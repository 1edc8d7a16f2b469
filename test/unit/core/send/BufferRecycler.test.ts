import { describe, expect, it } from 'vitest';
import { BufferRecycler } from '../../../../src/core/send/BufferRecycler.js';

const KiB = 1024;

describe('BufferRecycler', () => {
  it('hands a given buffer out again, the smallest that fits, whole', () => {
    const recycler = new BufferRecycler(1024 * KiB);
    const small = new Uint8Array(128 * KiB);
    const large = new Uint8Array(512 * KiB);
    recycler.give(large.subarray(0, 10)); // a view that starts the buffer gives all of it
    recycler.give(small);
    expect(recycler.take(100 * KiB).buffer).toBe(small.buffer);
    expect(recycler.take(100 * KiB).length).toBe(100 * KiB); // the large one is more than twice that: a new one
    expect(recycler.take(300 * KiB).buffer).toBe(large.buffer);
  });

  it.each([
    ['a view that does not start its buffer (a slice of a shared one)', () => new Uint8Array(256 * KiB).subarray(1)],
    ['a buffer under the size floor (Node\'s small pooled Buffers)', () => new Uint8Array(8 * KiB)],
  ])('keeps nothing of %s', (_name, make) => {
    const recycler = new BufferRecycler(1024 * KiB);
    const view = make();
    recycler.give(view);
    expect(recycler.take(1).buffer).not.toBe(view.buffer);
  });

  it('keeps at most maxBytes, the most recently given, and never the same buffer twice', () => {
    const recycler = new BufferRecycler(256 * KiB);
    const a = new Uint8Array(128 * KiB);
    const b = new Uint8Array(128 * KiB);
    const c = new Uint8Array(128 * KiB);
    recycler.give(a);
    recycler.give(a); // twice: would be two owners of one buffer
    recycler.give(b);
    recycler.give(c); // over the bound: the oldest (a) goes
    const taken = [recycler.take(100 * KiB), recycler.take(100 * KiB), recycler.take(100 * KiB)].map((buffer) => buffer.buffer);
    expect(taken.filter((buffer) => buffer === b.buffer)).toHaveLength(1);
    expect(taken).toContain(c.buffer);
    expect(taken).not.toContain(a.buffer);
    // Larger than the bound: never kept.
    const huge = new Uint8Array(512 * KiB);
    recycler.give(huge);
    expect(recycler.take(300 * KiB).buffer).not.toBe(huge.buffer);
  });

  it('buffers left from a warm-up give way to the size now in use', () => {
    // A first KPL aggregate grows 64 → 128 → 256 → 512 KiB → 1 MiB; every later one wants 1 MiB.
    const recycler = new BufferRecycler(3 * 1024 * KiB);
    for (const size of [64, 128, 256, 512]) recycler.give(new Uint8Array(size * KiB));
    const inUse = [1, 2, 3].map(() => new Uint8Array(1024 * KiB));
    for (const buffer of inUse) recycler.give(buffer);
    // All three 1 MiB buffers are kept (the small ones went to make room) and serve the next three.
    const taken = [1, 2, 3].map(() => recycler.take(1024 * KiB).buffer);
    expect(inUse.map((buffer) => taken.includes(buffer.buffer))).toEqual([true, true, true]); // by identity
  });

  it('does not hand out a buffer smaller than asked', () => {
    const recycler = new BufferRecycler(1024 * KiB);
    const given = new Uint8Array(64 * KiB);
    recycler.give(given);
    expect(recycler.take(64 * KiB + 1).buffer).not.toBe(given.buffer);
    expect(recycler.take(64 * KiB).buffer).toBe(given.buffer);
  });

  it('a new buffer has the capacity asked, at least the size; a later record up to that capacity reuses it', () => {
    const recycler = new BufferRecycler(1024 * KiB);
    const first = recycler.take(500 * KiB, 576 * KiB);
    expect(first.length).toBe(576 * KiB);
    recycler.give(first.subarray(0, 500 * KiB));
    expect(recycler.take(520 * KiB).buffer).toBe(first.buffer);
    expect(recycler.take(100 * KiB, 10).length).toBe(100 * KiB);
  });
});
