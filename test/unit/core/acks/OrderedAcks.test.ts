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

  // extend: the latest ticket, not yet acknowledged, grows over the next record (a KPL aggregate's
  // stretch of a file); anything else must register anew.
  it.each([
    { name: 'the latest ticket grows', setup: (a: OrderedAcks) => a.register(10), to: 25, extended: true, committedAfterAck: 25 },
    { name: 'an earlier ticket does not', setup: (a: OrderedAcks) => { const first = a.register(10); a.register(20); return first; }, to: 25, extended: false, committedAfterAck: 10 },
    { name: 'nor one acknowledged already (then skipped past)', setup: (a: OrderedAcks) => { const first = a.register(10); a.register(20); a.ack(first); return first; }, to: 25, extended: false, committedAfterAck: 10 },
    { name: 'nor the latest once acknowledged out of order', setup: (a: OrderedAcks) => { a.register(10); const second = a.register(20); a.ack(second); return second; }, to: 25, extended: false, committedAfterAck: 0 },
    { name: 'nor a skip (registered and acknowledged)', setup: (a: OrderedAcks) => { a.skip(10); return 0; }, to: 25, extended: false, committedAfterAck: 10 },
    { name: 'nor backwards', setup: (a: OrderedAcks) => a.register(10), to: 5, extended: false, committedAfterAck: 10 },
    { name: 'nor a sequence number never given', setup: (a: OrderedAcks) => a.register(10) + 1, to: 25, extended: false, committedAfterAck: 0 },
  ])('extend: $name', ({ setup, to, extended, committedAfterAck }) => {
    const acks = new OrderedAcks(0);
    const seq = setup(acks);
    expect(acks.extend(seq, to)).toBe(extended);
    acks.ack(seq);
    expect(acks.committed).toBe(committedAfterAck);
  });

  it('extend: a grown ticket commits only when acknowledged, and later tickets follow it', () => {
    const acks = new OrderedAcks(0);
    const seq = acks.register(10);
    for (const end of [20, 30, 40]) expect(acks.extend(seq, end)).toBe(true);
    const next = acks.register(50);
    expect(acks.extend(seq, 60)).toBe(false);
    acks.ack(next);
    expect(acks.committed).toBe(0);
    acks.ack(seq);
    expect(acks.committed).toBe(50);
  });
});
