import { createHash } from 'node:crypto';
import { deaggregateSync, type UserRecord } from 'aws-kinesis-agg/lib/kpl-deagg.js';
import { describe, expect, it } from 'vitest';
import { encodeKplAggregate, kplAggregateSize, varintSize, writeVarint } from '../../../../src/core/kpl/encodeKplAggregate.js';

const md5 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('md5').update(data).digest());
const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (s: string) => new Uint8Array(Buffer.from(s.replace(/[^0-9a-f]/g, ''), 'hex'));
/** `length` bytes that differ from record to record, so a misplaced slice cannot pass. */
const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 7) & 0xff);

/** Runs AWS's reference deaggregator (checksums verified) on one Kinesis record. */
function deaggregate(data: Uint8Array, partitionKey: string, computeChecksums = true): UserRecord[] {
  let result: { err: Error | undefined; records: UserRecord[] } | undefined;
  deaggregateSync({ partitionKey, data: Buffer.from(data).toString('base64'), sequenceNumber: '1' }, computeChecksums, (err, records) => {
    result = { err, records: records ?? [] };
  });
  if (result === undefined) throw new Error('deaggregateSync did not call back');
  if (result.err !== undefined) throw result.err;
  return result.records;
}

const userRecords = (out: UserRecord[]) => out.map((r) => ({ partitionKey: r.partitionKey, data: hex(Buffer.from(r.data, 'base64')), sub: r.subSequenceNumber }));

describe('encodeKplAggregate', () => {
  it('encodes the worked example byte for byte (aggregation-format.md)', () => {
    const protobuf = '0a 03 706b31 | 1a 09 0800 1a 05 68656c6c6f | 1a 09 0800 1a 05 776f726c64';
    const out = encodeKplAggregate('pk1', [enc('hello'), enc('world')], md5);
    expect(hex(out)).toBe(hex(fromHex(`f3899ac2 ${protobuf}`)) + hex(md5(fromHex(protobuf))));
    expect(out.length).toBe(kplAggregateSize('pk1', [5, 5]));
  });

  it('digests the protobuf bytes only, not the magic', () => {
    const seen: string[] = [];
    const out = encodeKplAggregate('k', [enc('x')], (d) => {
      seen.push(hex(d));
      return md5(d);
    });
    expect(seen).toEqual([hex(out.subarray(4, out.length - 16))]);
  });

  it('rejects a digest that is not 16 bytes', () => {
    expect(() => encodeKplAggregate('k', [enc('x')], () => new Uint8Array(20))).toThrow(RangeError);
  });

  it.each([
    { name: 'empty record', key: 'pk', sizes: [0] },
    { name: 'one-byte record', key: 'pk', sizes: [1] },
    { name: 'varint boundaries of the data length', key: 'pk', sizes: [0, 1, 127, 128, 16383, 16384] },
    { name: 'inner-message length crossing 128 (data 123/124 bytes)', key: 'pk', sizes: [123, 124, 125] },
    { name: 'a 4-byte varint length (≥ 2^21)', key: 'pk', sizes: [2 ** 21 + 5, 3] },
    { name: 'non-ASCII key', key: 'ключ-🔑-鍵', sizes: [5, 0, 7] },
    { name: '256-character ASCII key (key length varint of 2 bytes)', key: 'k'.repeat(256), sizes: [1, 2] },
    { name: '256-character key of 2-byte characters (512 UTF-8 bytes)', key: 'é'.repeat(256), sizes: [3, 300] },
    { name: 'many records', key: 'pk', sizes: Array.from({ length: 1000 }, (_, i) => i % 200) },
  ])('round-trips through aws-kinesis-agg: $name', ({ key, sizes }) => {
    const records = sizes.map((size, i) => bytes(size, i));
    const out = encodeKplAggregate(key, records, md5);
    expect(out.length).toBe(kplAggregateSize(key, sizes));
    expect(userRecords(deaggregate(out, key))).toEqual(records.map((data, i) => ({ partitionKey: key, data: hex(data), sub: i })));
  });

  it('encodes an aggregate of no records (magic, key table, digest)', () => {
    const out = encodeKplAggregate('pk', [], md5);
    expect(out.length).toBe(kplAggregateSize('pk', []));
    expect(deaggregate(out, 'pk')).toEqual([]);
  });

  it('a corrupted MD5 is refused by the checksum check, proving the digest is the one checked', () => {
    const out = encodeKplAggregate('pk', [enc('hello'), enc('world')], md5);
    out[out.length - 1]! ^= 0x01;
    // aws-kinesis-agg reports the mismatch as an error (the KCL instead hands the record over
    // undeaggregated); without the check the same bytes decode, so only the digest is at fault.
    expect(() => deaggregate(out, 'pk')).toThrow('Invalid record checksum');
    expect(userRecords(deaggregate(out, 'pk', false)).map((r) => r.data)).toEqual([hex(enc('hello')), hex(enc('world'))]);
  });

  it('why partition_key_index = 0 is written: a proto2 decoder rejects a Record without it', () => {
    const withoutIndex = fromHex('0a 02 706b | 1a 07 1a 05 68656c6c6f');
    const record = new Uint8Array([0xf3, 0x89, 0x9a, 0xc2, ...withoutIndex, ...md5(withoutIndex)]);
    expect(() => deaggregate(record, 'pk')).toThrow(/partition_key_index/);
  });
});

describe('varints', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16383, 'ff7f'],
    [16384, '808001'],
    [2 ** 21 - 1, 'ffff7f'],
    [2 ** 21, '80808001'],
    [2 ** 32, '8080808010'],
    [2 ** 53 - 1, 'ffffffffffffff0f'],
  ])('%d → %s', (value, expected) => {
    const out = new Uint8Array(10);
    const end = writeVarint(out, 1, value);
    expect(hex(out.subarray(1, end))).toBe(expected);
    expect(varintSize(value)).toBe(end - 1);
  });
});
