/**
 * Request bodies reused from one request to the next. A fresh Buffer per request (150 KB for 500
 * Apache lines, 5 MiB for KPL aggregates) is memory the allocator maps and the kernel zero-fills
 * page by page on first write, and external memory that makes V8 collect early: issue 8's KPL
 * profile spent more time writing the base64 into a new body than encoding it. A body goes back to
 * the pool only once its request was written out whole (`release`); the pool keeps at most
 * `maxPooledBytes`, so the memory it holds is bounded whatever the concurrency.
 */
export class BodyPool {
  private readonly free: Buffer[] = [];
  private pooledBytes = 0;

  constructor(private readonly maxPooledBytes = 8 * 1024 * 1024) {}

  /** A buffer of at least `size` bytes (contents undefined). */
  acquire(size: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const candidate = this.free[i]!;
      if (candidate.length >= size && (best < 0 || candidate.length < this.free[best]!.length)) best = i;
    }
    if (best >= 0) {
      const [buffer] = this.free.splice(best, 1);
      this.pooledBytes -= buffer!.length;
      return buffer!;
    }
    // Rounded up so that bodies of slightly different sizes reuse one buffer: to a power of two up to
    // 1 MiB, then to a quarter MiB (the body of a request of 1 MiB of records is 1.4 MB: it must not
    // take 2 MiB, each of those in flight or pooled).
    const MiB = 1024 * 1024;
    const QUARTER = MiB / 4;
    return Buffer.allocUnsafeSlow(size <= MiB ? Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(size))) : Math.ceil(size / QUARTER) * QUARTER);
  }

  /** Returns a buffer from `acquire` whose contents are no longer needed. */
  release(buffer: Buffer): void {
    if (this.pooledBytes + buffer.length > this.maxPooledBytes) return;
    this.free.push(buffer);
    this.pooledBytes += buffer.length;
  }
}
