import { describe, expect, it } from 'vitest';
import { OrderedAcks } from '../../../../src/core/acks/OrderedAcks.js';

describe('OrderedAcks', () => {
  it.each([
    { name: 'in order', order: [0, 1, 2], committed: [10, 20, 30] },
    { name: 'a gap holds the checkpoint back', order: [1, 2, 0], committed: [0, 0, 30] },
    { name: 'middle first', order: [1, 0, 2], committed: [0, 20, 30] },
    { name: 'duplicate acks are harmless', order: [0, 0, 2, 1], committed: [10, 10, 10, 30] },
  ])('$name', ({ order, committed }) => {
    const acks = new OrderedAcks(0);
    const seqs = [10, 20, 30].map((end) => acks.register(end));
    const seen = order.map((i) => {
      acks.ack(seqs[i]!);
      return acks.committed;
    });
    expect(seen).toEqual(committed);
    expect(acks.outstanding).toBe(0);
  });

  it('commits skipped ranges at once when nothing is pending before them', () => {
    const acks = new OrderedAcks(5);
    const first = acks.register(10);
    acks.skip(20);
    expect(acks.committed).toBe(5);
    acks.ack(first);
    expect(acks.committed).toBe(20);
  });

  it('stays correct over many records (compaction)', () => {
    const acks = new OrderedAcks(0);
    const seqs = Array.from({ length: 20_000 }, (_, i) => acks.register(i + 1));
    for (let i = 0; i < 20_000; i += 2) acks.ack(seqs[i + 1]!);
    expect(acks.committed).toBe(0);
    for (let i = 0; i < 10_000; i += 2) acks.ack(seqs[i]!);
    expect(acks.committed).toBe(10_000);
    for (let i = 10_000; i < 20_000; i += 2) acks.ack(seqs[i]!);
    expect(acks.committed).toBe(20_000);
    expect(acks.register(20_001)).toBe(20_000);
  });
});
