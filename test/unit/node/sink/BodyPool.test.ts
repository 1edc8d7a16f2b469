import { describe, expect, it } from 'vitest';
import { BodyPool } from '../../../../src/node/sink/BodyPool.js';

describe('BodyPool', () => {
  it.each([
    [1, 64 * 1024],
    [150_000, 256 * 1024],
    [1024 * 1024, 1024 * 1024],
    // The body of a request of 1 MiB of records (base64: 4/3): 1.5 MiB, not 2.
    [1_400_000, 1.5 * 1024 * 1024],
    [6_700_000, 6.5 * 1024 * 1024],
  ])('a request of %d bytes gets a buffer of %d', (size, capacity) => {
    expect(new BodyPool().acquire(size).length).toBe(capacity);
  });

  it('reuses a released buffer that is large enough, the smallest that fits', () => {
    const pool = new BodyPool();
    const small = pool.acquire(100_000);
    const large = pool.acquire(900_000);
    pool.release(large);
    pool.release(small);
    expect(pool.acquire(50_000) === small).toBe(true);
    expect(pool.acquire(50_000) === large).toBe(true);
    expect(pool.acquire(50_000) === small).toBe(false); // identity (toBe would compare the bytes to explain a mismatch)
  });

  it('keeps at most maxPooledBytes: a release beyond it is dropped', () => {
    const pool = new BodyPool(1024 * 1024);
    const a = pool.acquire(600_000);
    const b = pool.acquire(600_000);
    pool.release(a);
    pool.release(b); // 2 MiB would exceed 1 MiB
    expect(pool.acquire(600_000) === a).toBe(true);
    expect(pool.acquire(600_000) === b).toBe(false);
  });
});
