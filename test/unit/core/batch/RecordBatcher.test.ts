import { describe, expect, it } from 'vitest';
import { RecordBatcher } from '../../../../src/core/batch/RecordBatcher.js';

const rec = (size: number) => ({ size });

describe('RecordBatcher', () => {
  it.each([
    { name: 'count limit', limits: { maxRecords: 2, maxBytes: 100 }, sizes: [1, 1, 1, 1, 1], sealed: [[1, 1], [1, 1]], open: 1 },
    { name: 'byte limit seals before the record that would not fit', limits: { maxRecords: 500, maxBytes: 10 }, sizes: [4, 4, 4], sealed: [[4, 4]], open: 1 },
    { name: 'exactly full seals at once', limits: { maxRecords: 500, maxBytes: 8 }, sizes: [4, 4, 1], sealed: [[4, 4]], open: 1 },
    { name: 'an oversized record still goes alone', limits: { maxRecords: 500, maxBytes: 8 }, sizes: [1, 20, 1], sealed: [[1], [20]], open: 1 },
  ])('$name', ({ limits, sizes, sealed, open }) => {
    const batcher = new RecordBatcher({ ...limits, maxAgeMillis: 1000 }, () => 0);
    const out = sizes.flatMap((size) => batcher.add(rec(size)));
    expect(out.map((b) => b.records.map((r) => r.size))).toEqual(sealed);
    expect(out.map((b) => b.bytes)).toEqual(sealed.map((s) => s.reduce((a, b) => a + b, 0)));
    expect(batcher.pendingRecords).toBe(open);
  });

  it('seals by age, measured from the first record', () => {
    let now = 1000;
    const batcher = new RecordBatcher({ maxRecords: 500, maxBytes: 1e6, maxAgeMillis: 500 }, () => now);
    expect(batcher.deadline()).toBeUndefined();
    batcher.add(rec(1));
    now = 1400;
    batcher.add(rec(1));
    expect(batcher.deadline()).toBe(1500);
    expect(batcher.takeExpired()).toBeUndefined();
    now = 1500;
    expect(batcher.takeExpired()?.records).toHaveLength(2);
    expect(batcher.flush()).toBeUndefined();
  });

  it.each([
    { name: 'an older record opens the batch at its own time', adds: [[2000, 1200]], deadline: 1700 },
    { name: 'an older record joining an open batch moves its deadline earlier', adds: [[2000, undefined], [2100, 1500]], deadline: 2000 },
    { name: 'a newer arrival never delays the batch', adds: [[2000, 1800], [2100, 1900]], deadline: 2300 },
  ])('age counts from the oldest data (KPL aggregates): $name', ({ adds, deadline }) => {
    let now = 0;
    const batcher = new RecordBatcher({ maxRecords: 500, maxBytes: 1e6, maxAgeMillis: 500 }, () => now);
    for (const [at, arrivedAt] of adds) {
      now = at!;
      batcher.add(rec(1), arrivedAt);
    }
    expect(batcher.deadline()).toBe(deadline);
  });
});
