import { createHash } from 'node:crypto';
import { deaggregateSync, type UserRecord } from 'aws-kinesis-agg/lib/kpl-deagg.js';
import { describe, expect, it } from 'vitest';
import { kplAggregateSize, kplRecordEntrySize } from '../../../../src/core/kpl/encodeKplAggregate.js';
import { KplAggregator, kplMemberData, kplMemberOwner, type KplAggregate as Sealed, type KplAggregatorOptions } from '../../../../src/core/kpl/KplAggregator.js';

const md5 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('md5').update(data).digest());
const utf8Length = (s: string) => new TextEncoder().encode(s).length;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface Rec {
  id: number;
  data: Uint8Array;
  partitionKey: string;
}
const rec = (id: number, size: number, partitionKey = 'k'): Rec => ({ id, partitionKey, data: Uint8Array.from({ length: size }, (_, i) => (i * 31 + id * 7) & 0xff) });

/** A sealed Kinesis record with its members as the records added (their owners) and the views of their bytes. */
interface KplAggregate {
  data: Uint8Array;
  partitionKey: string;
  members: Rec[];
  views: Uint8Array[];
  seqs: number[];
  offsets: number[];
  openedAt: number;
}
const unpack = (a: Sealed<Rec>): KplAggregate => {
  const indexes = Array.from({ length: a.members.count }, (_, i) => i);
  // Each member's segment: the one whose end is the first past it.
  const segment = (i: number) => a.members.segmentEnds.findIndex((end) => end > i);
  return {
    data: a.data, partitionKey: a.partitionKey, members: indexes.map((i) => kplMemberOwner(a.members, i)), views: indexes.map((i) => kplMemberData(a, i)),
    seqs: indexes.map((i) => a.members.seqs[segment(i)]!), offsets: [...a.members.offsets], openedAt: a.openedAt,
  };
};

/** The aggregator with each record as owner, its id as sequence number and ten times it as offset. */
function aggregator(options: Partial<KplAggregatorOptions> = {}) {
  const inner = new KplAggregator<Rec>({ md5, now: () => 0, ...options });
  return {
    add: (r: Rec) => inner.add(r.data, r.partitionKey, r, r.id, r.id * 10).map(unpack),
    flush: () => { const a = inner.flush(); return a === undefined ? undefined : unpack(a); },
    get pending() { return inner.pending; },
    get pendingBytes() { return inner.pendingBytes; },
    openedAt: () => inner.openedAt(),
    joins: (length: number) => inner.joins(length),
  };
}

/** Adds every record, then flushes: all Kinesis records, in order. */
function run(agg: ReturnType<typeof aggregator>, records: Rec[]): KplAggregate[] {
  const out = records.flatMap((r) => agg.add(r));
  const last = agg.flush();
  return last === undefined ? out : [...out, last];
}

/** AWS's reference deaggregator (checksums verified): the user records a consumer would see. */
function deaggregate(agg: Pick<KplAggregate, 'partitionKey' | 'data'>): { partitionKey: string; data: string }[] {
  let result: { err: Error | undefined; records: UserRecord[] } | undefined;
  deaggregateSync({ partitionKey: agg.partitionKey, data: Buffer.from(agg.data).toString('base64'), sequenceNumber: '1' }, true, (err, records) => {
    result = { err, records: records ?? [] };
  });
  if (result === undefined) throw new Error('deaggregateSync did not call back');
  if (result.err !== undefined) throw result.err;
  return result.records.map((r) => ({ partitionKey: r.partitionKey, data: hex(Buffer.from(r.data, 'base64')) }));
}

/**
 * The invariants every output must hold: a lone member goes out as itself; an aggregate is
 * exactly the predicted size, routed by its first member's key, within the limit, and deaggregates
 * into its members' data under that key.
 */
function expectValid(out: KplAggregate[], maxRecordBytes: number): void {
  for (const agg of out) {
    const first = agg.members[0]!;
    expect(agg.partitionKey).toBe(first.partitionKey);
    expect(agg.data.length + utf8Length(agg.partitionKey)).toBeLessThanOrEqual(maxRecordBytes);
    expect(agg.views.map(hex)).toEqual(agg.members.map((m) => hex(m.data)));
    expect(agg.seqs).toEqual(agg.members.map((m) => m.id));
    expect(agg.offsets).toEqual(agg.members.map((m) => m.id * 10));
    if (agg.members.length === 1) {
      expect(hex(agg.data)).toBe(hex(first.data));
      expect(deaggregate(agg)).toEqual([{ partitionKey: first.partitionKey, data: hex(first.data) }]);
    } else {
      expect(agg.data.length).toBe(kplAggregateSize(agg.partitionKey, agg.members.map((m) => m.data.length)));
      expect(deaggregate(agg)).toEqual(agg.members.map((m) => ({ partitionKey: first.partitionKey, data: hex(m.data) })));
    }
  }
}

/** Deterministic pseudo-random integers in [0, n). */
function lcg(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

// With key "k": an aggregate takes 4 (magic) + 3 (key table) + 16 (MD5) + 1 (outer key) = 24 bytes,
// plus 6 + n per record of n ≤ 123 bytes.
describe('KplAggregator', () => {
  it.each([
    { name: 'seals before the record that would not fit', options: { maxRecordBytes: 62 }, sizes: [10, 10, 10], sealed: [[0, 1]], open: 1 },
    { name: 'seals at once when not even an empty record fits', options: { maxRecordBytes: 61 }, sizes: [10, 10, 10], sealed: [[0, 1]], open: 1 },
    { name: 'an empty record fills the last 6 bytes exactly', options: { maxRecordBytes: 62 }, sizes: [10, 10, 0, 1], sealed: [[0, 1, 2]], open: 1 },
    { name: 'maxRecordsPerAggregate', options: { maxRecordBytes: 1000, maxRecordsPerAggregate: 3 }, sizes: [1, 1, 1, 1, 1, 1, 1], sealed: [[0, 1, 2], [3, 4, 5]], open: 1 },
    { name: 'a lone member is sealed before a record too large to join it', options: { maxRecordBytes: 60 }, sizes: [10, 16, 0], sealed: [[0]], open: 2 },
    { name: 'a record too large for an aggregate of one goes out alone, raw', options: { maxRecordBytes: 60 }, sizes: [5, 1, 40, 5], sealed: [[0, 1], [2]], open: 1 },
    { name: 'a record larger than the limit even raw still goes alone', options: { maxRecordBytes: 60 }, sizes: [100, 1], sealed: [[0]], open: 1 },
  ])('$name', ({ options, sizes, sealed, open }) => {
    const agg = aggregator(options);
    const records = sizes.map((size, id) => rec(id, size));
    const out = records.flatMap((r) => agg.add(r));
    expect(out.map((a) => a.members.map((m) => m.id))).toEqual(sealed);
    expect(agg.pending).toBe(open);
    // (Except the record the caller should have truncated, which is over the limit by design.)
    expectValid(
      out.filter((a) => a.data.length + 1 <= options.maxRecordBytes),
      options.maxRecordBytes,
    );
  });

  it('emits a lone record unaggregated, with its own data and key', () => {
    const agg = aggregator();
    const only = rec(0, 5, 'own-key');
    expect(agg.add(only)).toEqual([]);
    const sealed = agg.flush();
    expect(sealed).toMatchObject({ partitionKey: 'own-key', members: [only], seqs: [0], offsets: [0], openedAt: 0 });
    expect(hex(sealed!.data)).toBe(hex(only.data));
    expect(sealed!.data.buffer).not.toBe(only.data.buffer);
    expect(agg.flush()).toBeUndefined();
  });

  it('routes an aggregate by its first key, which every sub-record carries', () => {
    // Limit 60 leaves room for the 256-byte key of a later member only because it is not stored.
    const agg = aggregator({ maxRecordBytes: 60 });
    const records = [rec(0, 3, 'a'), rec(1, 4, 'x'.repeat(256)), rec(2, 5, 'ключ')];
    const [only, ...rest] = run(agg, records);
    expect(rest).toEqual([]);
    expect(only!.partitionKey).toBe('a');
    expect(deaggregate(only!)).toEqual(records.map((r) => ({ partitionKey: 'a', data: hex(r.data) })));
    expectValid([only!], 60);
  });

  it.each([
    { name: 'varint boundaries', key: 'pk', sizes: [0, 1, 127, 128, 16383, 16384, 0] },
    { name: 'non-ASCII key', key: 'ключ-🔑-鍵', sizes: [0, 1, 127, 128] },
    { name: '256-character key', key: 'é'.repeat(256), sizes: [1, 2, 3] },
  ])('deaggregates into exactly the input records: $name', ({ key, sizes }) => {
    const records = sizes.map((size, id) => rec(id, size, key));
    const out = run(aggregator(), records);
    expect(out).toHaveLength(1);
    expect(deaggregate(out[0]!)).toEqual(records.map((r) => ({ partitionKey: key, data: hex(r.data) })));
    expectValid(out, 1_048_576);
  });

  it.each([
    { name: 'small limit, mixed keys and sizes across the 128-byte boundary', maxRecordBytes: 4096, count: 5000, maxSize: 300 },
    { name: 'default 1 MiB limit', maxRecordBytes: undefined, count: 3000, maxSize: 2000 },
  ])('packs many records tightly: $name', ({ maxRecordBytes, count, maxSize }) => {
    const limit = maxRecordBytes ?? 1_048_576;
    const random = lcg(42);
    const keys = ['k', 'ключ', 'é'.repeat(256), '🔑'.repeat(10), '483920.1234567891'];
    const records = Array.from({ length: count }, (_, id) => rec(id, random(maxSize), keys[random(keys.length)]));
    const out = run(aggregator({ maxRecordBytes }), records);

    expect(out.flatMap((a) => a.members.map((m) => m.id))).toEqual(records.map((r) => r.id));
    expect(out.filter((a) => a.members.length > 1).length).toBeGreaterThan(1);
    expectValid(out, limit);
    // Tight: each aggregate was sealed only because the next record could not join it.
    for (let i = 0; i + 1 < out.length; i++) {
      const { partitionKey, members } = out[i]!;
      const size = kplAggregateSize(partitionKey, members.map((m) => m.data.length)) + utf8Length(partitionKey);
      expect(size + kplRecordEntrySize(out[i + 1]!.members[0]!.data.length)).toBeGreaterThan(limit);
    }
  });

  it('at the default 1 MiB limit, the largest record an aggregate of one holds, and the next size up', () => {
    // Key "pk": 4 + (1 + 1 + 2) + 16 = 24 bytes of aggregate, 10 of framing for a ~1 MB record
    // (tag, 3-byte length, key index, tag, 3-byte length), 2 of outer key: 36 in all.
    const largest = 1_048_576 - 36;
    const agg = aggregator();
    const records = [rec(0, 1, 'pk'), rec(1, largest + 1, 'pk'), rec(2, largest, 'pk'), rec(3, 0, 'pk')];
    expect(kplAggregateSize('pk', [largest]) + 2).toBe(1_048_576);
    const out = records.flatMap((r) => agg.add(r));
    // 1 is sealed (alone, raw) before 2, which cannot fit an aggregate even alone; 3 fills an
    // aggregate exactly and is sealed at once; all three go out raw.
    expect(out.map((a) => a.members.map((m) => m.id))).toEqual([[0], [1], [2]]);
    out.forEach((a, i) => expect(hex(a.data)).toBe(hex(records[i]!.data)));
    expect(agg.pending).toBe(1);
  });

  it('reports the pending bytes of the open aggregate exactly', () => {
    const agg = aggregator();
    expect(agg.pendingBytes).toBe(0);
    agg.add(rec(0, 200, 'ключ'));
    agg.add(rec(1, 5, 'other'));
    const expected = agg.pendingBytes;
    const sealed = agg.flush()!;
    expect(sealed.data.length + utf8Length('ключ')).toBe(expected);
    expect(agg.pendingBytes).toBe(0);
  });

  it('remembers when the open aggregate received its first record', () => {
    let now = 1000;
    const agg = aggregator({ maxRecordBytes: 62, now: () => now });
    expect(agg.openedAt()).toBeUndefined();
    agg.add(rec(0, 10));
    now = 1500;
    agg.add(rec(1, 10));
    expect(agg.openedAt()).toBe(1000);
    now = 2000;
    const sealed = agg.add(rec(2, 10));
    expect(sealed).toHaveLength(1);
    // A sealed aggregate carries its first member's time: the batch it joins is as old as that.
    expect(sealed[0]!.openedAt).toBe(1000);
    expect(agg.openedAt()).toBe(2000);
    now = 2600;
    expect(agg.flush()?.openedAt).toBe(2000);
    expect(agg.openedAt()).toBeUndefined();
  });

  it.each([{ maxRecordBytes: 0 }, { maxRecordBytes: 1.5 }, { maxRecordBytes: Number.NaN }, { maxRecordsPerAggregate: 0 }, { maxRecordsPerAggregate: Number.NaN }])('rejects %o', (options) => {
    expect(() => aggregator(options)).toThrow(RangeError);
  });
  it('copies each record as it is added: the caller may reuse its buffer at once', () => {
    const agg = aggregator();
    const shared = new Uint8Array(8);
    const records = [1, 2, 3].map((id) => {
      shared.fill(id);
      const r: Rec = { id, partitionKey: `k${id}`, data: shared };
      agg.add(r);
      return Uint8Array.from({ length: 8 }, () => id);
    });
    shared.fill(0);
    const sealed = agg.flush()!;
    expect(sealed.views.map(hex)).toEqual(records.map(hex));
    expect(deaggregate(sealed).map((r) => r.data)).toEqual(records.map(hex));
    sealed.views.forEach((view) => expect(view.buffer).toBe(sealed.data.buffer));
  });

  it('an aggregate sealed early (age, budget) is kept in a buffer of its own size, not its growth buffer', () => {
    const agg = aggregator();
    // The first aggregate fills 1 MiB; the next starts with that capacity and is sealed small.
    run(agg, Array.from({ length: 600 }, (_, id) => rec(id, 2000)));
    agg.add(rec(1000, 100));
    agg.add(rec(1001, 100));
    const small = agg.flush()!;
    expect(small.data.buffer.byteLength).toBe(small.data.length);
    expect(deaggregate(small).map((r) => r.data)).toEqual([rec(1000, 100), rec(1001, 100)].map((r) => hex(r.data)));
  });
  it('a delivered aggregate\'s buffer serves a later aggregate, its records written afresh', () => {
    const inner = new KplAggregator<Rec>({ md5, now: () => 0, maxRecordBytes: 200 * 1024 });
    const fill = (id: number) => {
      const sealed: Sealed<Rec>[] = [];
      for (let i = 0; sealed.length === 0; i++) { const r = rec(id + i, 1000); sealed.push(...inner.add(r.data, r.partitionKey, r, r.id, 0)); }
      return sealed[0]!;
    };
    const first = fill(0);
    inner.recycle(first.data);
    // The add that sealed the first had opened the second already, in a buffer of its own.
    const second = fill(1000);
    expect(second.data.buffer).not.toBe(first.data.buffer);
    const third = fill(2000);
    expect(third.data.buffer).toBe(first.data.buffer);
    // Every member of the aggregate in the reused buffer is its own record's bytes, and the digest checks.
    expect(deaggregate(unpack(third)).map((r) => r.data)).toEqual(unpack(third).members.map((r) => hex(r.data)));
  });

  it('joins: whether a record of that length would join the open aggregate (limit 62, key "k")', () => {
    const agg = aggregator({ maxRecordBytes: 62, maxRecordsPerAggregate: 3 });
    expect(agg.joins(0)).toBe(false); // none open: the record would open one, with its own key
    agg.add(rec(0, 10));
    // 24 of aggregate and key, 16 for the first record: 22 left, an entry of n ≤ 123 bytes takes 6 + n.
    expect([agg.joins(16), agg.joins(17)]).toEqual([true, false]);
    agg.add(rec(1, 1));
    expect(agg.joins(0)).toBe(true);
    agg.add(rec(2, 0)); // the third member: sealed (maxRecordsPerAggregate)
    expect(agg.pending).toBe(0);
    expect(agg.joins(0)).toBe(false);
  });

  // Segments: consecutive members added with the same owner and sequence number share one ticket
  // (Flow extends a file's ticket as its lines join); anything else starts a segment.
  it.each([
    { name: 'one owner, one ticket: one segment', adds: [['a', 1], ['a', 1], ['a', 1]], segments: [['a', 1, 3]] },
    { name: 'a new ticket of the same owner starts a segment', adds: [['a', 1], ['a', 1], ['a', 2]], segments: [['a', 1, 2], ['a', 2, 3]] },
    { name: 'another owner starts a segment', adds: [['a', 1], ['b', 1], ['b', 1]], segments: [['a', 1, 1], ['b', 1, 3]] },
    { name: 'back to an earlier ticket: a segment of its own', adds: [['a', 1], ['b', 7], ['a', 1]], segments: [['a', 1, 1], ['b', 7, 2], ['a', 1, 3]] },
  ])('segments: $name', ({ adds, segments }) => {
    const inner = new KplAggregator<string>({ md5, now: () => 0 });
    adds.forEach(([owner, seq], i) => inner.add(Uint8Array.of(i), 'k', owner as string, seq as number, i * 10));
    const sealed = inner.flush()!;
    expect(sealed.members.owners.map((owner, s) => [owner, sealed.members.seqs[s], sealed.members.segmentEnds[s]])).toEqual(segments);
    expect([...sealed.members.offsets]).toEqual(adds.map((_, i) => i * 10));
    expect(Array.from({ length: adds.length }, (_, i) => kplMemberOwner(sealed.members, i))).toEqual(adds.map(([owner]) => owner));
  });

  it('continues: only the last segment\'s owner and sequence number, and only a record that joins', () => {
    const inner = new KplAggregator<string>({ md5, now: () => 0, maxRecordBytes: 62 });
    expect(inner.lastSeq).toBeUndefined();
    expect(inner.continues('a', 1, 0)).toBe(false); // nothing open
    inner.add(new Uint8Array(10), 'k', 'a', 1, 0);
    expect(inner.lastSeq).toBe(1);
    expect([inner.continues('a', 1, 16), inner.continues('a', 1, 17), inner.continues('a', 2, 1), inner.continues('b', 1, 1)]).toEqual([true, false, false, false]);
    // A record continuing the last segment that does not fit would split one ticket between two
    // aggregates (acknowledged with the first, before the second is delivered): refused.
    expect(() => inner.add(new Uint8Array(17), 'k', 'a', 1, 10)).toThrow(/continuing the open aggregate's last segment/);
    expect(inner.add(new Uint8Array(17), 'k', 'a', 2, 10).map((a) => a.members.count)).toEqual([1]);
    expect(inner.lastSeq).toBe(2);
  });

  it('thousands of members: the member arrays grow past their first size, every member where it was written', () => {
    const inner = new KplAggregator<string>({ md5, now: () => 0 });
    const sizes = Array.from({ length: 5000 }, (_, i) => i % 7);
    const out: Sealed<string>[] = [];
    sizes.forEach((size, i) => out.push(...inner.add(new Uint8Array(size).fill(i & 0xff), 'k', 'file', 1, i * 3)));
    out.push(inner.flush()!);
    expect(out.length).toBe(1);
    const { members } = out[0]!;
    expect(members.count).toBe(5000);
    expect(members.segmentEnds).toEqual([5000]);
    expect(Array.from({ length: 5000 }, (_, i) => kplMemberData(out[0]!, i).length)).toEqual(sizes);
    expect(Array.from({ length: 5000 }, (_, i) => kplMemberData(out[0]!, i).every((byte) => byte === (i & 0xff)))).not.toContain(false);
    expect([...members.offsets]).toEqual(sizes.map((_, i) => i * 3));
    expect(deaggregate(out[0]!).length).toBe(5000);
  });

  describe('md5Async: the digest computed elsewhere (libuv\'s thread pool in the agent)', () => {
    /** Fills an aggregate of 200 KiB records of 1000 bytes; returns the first sealed. */
    const fill = (inner: KplAggregator<Rec>, id: number) => {
      const sealed: Sealed<Rec>[] = [];
      for (let i = 0; sealed.length === 0; i++) { const r = rec(id + i, 1000); sealed.push(...inner.add(r.data, r.partitionKey, r, r.id, 0)); }
      return sealed[0]!;
    };
    const DIGEST = 16;
    it.each([
      ['resolves', (data: Uint8Array) => Promise.resolve(md5(data)), 0],
      ['resolves later than the next aggregate is sealed', (data: Uint8Array) => new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(md5(data)), 20)), 0],
      // The sync md5 takes over: an aggregate is never sent with a digest that is not its own.
      ['rejects', () => Promise.reject(new Error('no MD5 signatures here')), 1],
      ['answers with the wrong length', (data: Uint8Array) => Promise.resolve(md5(data).subarray(0, 8)), 1],
    ])('%s: the trailer is the MD5 once digested settles, never before', async (_name, md5Async, syncCalls) => {
      let calls = 0;
      const inner = new KplAggregator<Rec>({ md5: (data) => { calls += 1; return md5(data); }, md5Async, now: () => 0, maxRecordBytes: 200 * 1024 });
      const first = fill(inner, 0);
      const second = fill(inner, 1000);
      expect(first.digested).toBeInstanceOf(Promise);
      // Not written at seal: the last 16 bytes are still whatever the buffer held.
      const trailer = () => hex(first.data.subarray(first.data.length - DIGEST));
      const expected = hex(md5(first.data.subarray(4, first.data.length - DIGEST)));
      expect(trailer()).not.toBe(expected);
      await Promise.all([first.digested, second.digested]);
      expect(trailer()).toBe(expected);
      for (const sealed of [first, second]) expect(deaggregate(unpack(sealed)).map((r) => r.data)).toEqual(unpack(sealed).members.map((r) => hex(r.data)));
      expect(calls).toBe(2 * syncCalls);
    });
    it('a lone record has no digest to wait for', () => {
      const inner = new KplAggregator<Rec>({ md5, md5Async: () => new Promise(() => undefined), now: () => 0 });
      const r = rec(1, 10);
      inner.add(r.data, r.partitionKey, r, 1, 0);
      expect(inner.flush()!.digested).toBeUndefined();
    });
    it('an aggregate recycled before its digest is written does not lend its buffer (the digest would land in the next)', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      const inner = new KplAggregator<Rec>({ md5, md5Async: async (data) => { await gate; return md5(data); }, now: () => 0, maxRecordBytes: 200 * 1024 });
      const first = fill(inner, 0);
      inner.recycle(first.data);
      fill(inner, 1000);
      const third = fill(inner, 2000);
      expect(third.data.buffer).not.toBe(first.data.buffer);
      release();
      await Promise.all([first.digested, third.digested]);
      // Once digested, a recycled buffer is lent again.
      inner.recycle(third.data);
      fill(inner, 3000);
      expect(fill(inner, 4000).data.buffer).toBe(third.data.buffer);
    });
  });
});

