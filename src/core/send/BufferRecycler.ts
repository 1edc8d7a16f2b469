/**
 * Buffers of delivered records (runs, KPL aggregates) kept for the next ones. Each run or aggregate
 * had a new buffer of 100 KiB to 1 MiB: external memory V8 frees only when it collects, and
 * allocations that made it collect more (with raw lines at 300,000 lines/s that was 65 MB/s, and a
 * full collection ten times a second sweeping the dead buffers). A buffer comes back only when no
 * one holds a view of it any more: its records are acknowledged (delivered or dead-lettered) and the
 * request bodies made from them are separate copies.
 */
/**
 * A size for a new buffer that records of about `bytes` will reuse: rounded up to 64 KiB, since the
 * records that fill a buffer (runs, KPL aggregates, Firehose packs) differ from one another by a few
 * bytes, and an exact fit would be too small for the next one about half the time.
 */
export function recyclableSize(bytes: number): number {
  return Math.ceil(bytes / 65_536) * 65_536;
}

export class BufferRecycler {
  private readonly free: Uint8Array[] = [];
  private freeBytes = 0;

  /**
   * `maxBytes`: what the free buffers may hold together (memory kept while nothing is sent);
   * `minBytes`: smaller buffers are left to the garbage collector.
   */
  constructor(private readonly maxBytes: number, private readonly minBytes = 64 * 1024) {}

  /**
   * The smallest free buffer of at least `size` bytes and at most twice that (a small record must not
   * hold a large buffer while in flight), contents undefined; else a new one of `capacity` bytes
   * (default `size`; more lets a later, slightly larger record reuse it).
   */
  take(size: number, capacity = size): Uint8Array {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const length = this.free[i]!.length;
      if (length >= size && length <= 2 * size && (best < 0 || length < this.free[best]!.length)) best = i;
    }
    if (best < 0) return new Uint8Array(Math.max(size, capacity));
    const [buffer] = this.free.splice(best, 1);
    this.freeBytes -= buffer!.length;
    return buffer!;
  }

  /**
   * The whole buffer under `view` is no longer used: `view` must start it (a view from `take` or
   * from `new Uint8Array`, not a slice of a shared pool such as Node's small Buffers, which the
   * size floor also keeps out).
   */
  give(view: Uint8Array): void {
    const buffer = view.buffer;
    if (view.byteOffset !== 0 || buffer.byteLength < this.minBytes || buffer.byteLength > this.maxBytes) return;
    // Given twice would hand one buffer to two owners.
    for (const free of this.free) if (free.buffer === buffer) return;
    this.free.push(new Uint8Array(buffer));
    this.freeBytes += buffer.byteLength;
    // Over the bound, the buffers given longest ago go, not this one: those left from a warm-up (a
    // first KPL aggregate grows from 64 KiB by doubling) or from records of another size no longer
    // asked for. Keeping the oldest instead filled the bound with them, and every 1 MiB aggregate
    // after needed a new buffer (issue 8: 134 of 300).
    while (this.freeBytes > this.maxBytes) this.freeBytes -= this.free.shift()!.length;
  }
}
