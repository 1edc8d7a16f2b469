import { describe, expect, it } from 'vitest';
import { randomPartitionKey, writeRandomPartitionKey, MAX_RANDOM_KEY_BYTES } from '../../../../src/core/records/partitionKey.js';
import { expandRuns, recordCount, runRecordData, runRecordKey } from '../../../../src/core/send/RecordRun.js';
import { RunBuilder } from '../../../../src/core/send/RunBuilder.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const builder = (maxRecords = 500, maxBytes = 1024 * 1024, random: () => number = Math.random) => new RunBuilder({ maxRecords, maxBytes, random, now: () => 42 });

describe('writeRandomPartitionKey', () => {
  it.each([0.5, 0.25000000000000006, 0.123456789012345, 0.000001000000001, 0.0000010000000001, 0.9999999999999999, 0.00000000012, 0, 0.000999999999])(
    'writes the bytes of randomPartitionKey for random() = %d', (value) => {
      const target = new Uint8Array(MAX_RANDOM_KEY_BYTES + 4);
      const end = writeRandomPartitionKey(() => value, target, 2);
      expect(text(target.subarray(2, end))).toBe(randomPartitionKey(() => value));
    });

  it('matches randomPartitionKey on 100,000 draws and never writes more than MAX_RANDOM_KEY_BYTES', () => {
    const target = new Uint8Array(MAX_RANDOM_KEY_BYTES);
    for (let i = 0; i < 100_000; i++) {
      const value = Math.random();
      const end = writeRandomPartitionKey(() => value, target, 0);
      expect(end).toBeLessThanOrEqual(MAX_RANDOM_KEY_BYTES);
      expect(text(target.subarray(0, end))).toBe(randomPartitionKey(() => value));
    }
  });
});

describe('RunBuilder', () => {
  it('keeps each record, its key and its file offset; the run counts data plus keys', () => {
    const runs = builder(500, 1024 * 1024, () => 0.5);
    const lines = Buffer.from('alpha\nbeta\ngamma\n');
    runs.add(lines, 0, 6, 100, 'k1');
    runs.add(lines, 6, 11, 106, null);
    runs.add(lines, 11, 17, 111, '');
    expect(runs.count).toBe(3);
    expect(runs.bytes).toBe(17 + 2 + '500000.0'.length);
    expect(runs.openedAt).toBe(42);
    const run = runs.seal()!;
    expect([0, 1, 2].map((i) => text(runRecordData(run, i)))).toEqual(['alpha\n', 'beta\n', 'gamma\n']);
    expect([0, 1, 2].map((i) => runRecordKey(run, i))).toEqual(['k1', '500000.0', '']);
    expect([...run.offsets]).toEqual([100, 106, 111]);
    expect(runs.count).toBe(0);
    expect(runs.seal()).toBeUndefined();
  });

  it('a delivered run\'s buffer serves a later run; one not recycled is never reused', () => {
    const runs = builder(500);
    const line = Buffer.alloc(1000, 0x61);
    const fill = () => { for (let i = 0; i < 100; i++) runs.add(line, 0, line.length, i * 1000, ''); return runs.seal()!; };
    const first = fill();
    const second = fill();
    expect(second.data.buffer).not.toBe(first.data.buffer);
    runs.recycle(first);
    const third = fill();
    expect(third.data.buffer).toBe(first.data.buffer);
    expect(Array.from({ length: 100 }, (_, i) => text(runRecordData(third, i))).join('')).toBe('a'.repeat(100_000));
    const fourth = fill();
    expect([first.data.buffer, second.data.buffer]).not.toContain(fourth.data.buffer);
  });

  it('copies lines that view a read buffer before the buffer is reused (detach), consecutive ones together', () => {
    const runs = builder();
    const read = Buffer.from('one\ntwo\n');
    runs.add(read, 0, 4, 0, 'a');
    runs.add(read, 4, 8, 4, 'b');
    runs.detach();
    read.write('XXX\nYYY\n'); // the next read overwrites the buffer
    const carried = Uint8Array.from(Buffer.from('three\n')); // a line the framer joined across reads
    runs.add(carried, 0, 6, 8, 'c');
    runs.add(read, 0, 4, 14, 'd');
    const run = runs.seal()!;
    expect([0, 1, 2, 3].map((i) => text(runRecordData(run, i)))).toEqual(['one\n', 'two\n', 'three\n', 'XXX\n']);
    // Each record starts at a multiple of 3 (RecordRun): 0, 6, 12, 18.
    expect([...run.ends]).toEqual([4, 10, 18, 22]);
  });

  it.each([
    ['lines of every length mod 3, one read', [[0, 1, 2, 3, 4, 5, 6, 7, 8, 100, 101, 102]], false],
    ['three reads (each detached before the next)', [[5, 7, 1], [2, 2, 2, 9], [0, 4]], false],
    ['lines and records written in place, alternating', [[5, 1], [4], [8, 2]], true],
  ])('every record starts at a multiple of 3 and holds exactly its bytes (%s)', (_name, reads, written) => {
    const runs = builder();
    const expected: string[] = [];
    let n = 0;
    const next = (length: number) => Array.from({ length }, (_, k) => String.fromCharCode(97 + ((n * 7 + k) % 26))).join('') + String(n++ % 10);
    for (const [r, lengths] of reads.entries()) {
      if (written && r % 2 === 1) {
        // A RecordWriter's records (LOGTOJSON): room, then written at writeAt.
        for (const length of lengths) {
          const record = Buffer.from(next(length));
          const out = runs.room(record.length);
          expect(runs.writeAt % 3).toBe(0);
          out.set(record, runs.writeAt);
          runs.added(record.length, 0, 'k');
          expected.push(record.toString('latin1'));
        }
        continue;
      }
      const lines = lengths.map(next);
      const read = Buffer.from(lines.join(''));
      let at = 0;
      for (const line of lines) {
        runs.add(read, at, at + line.length, 0, 'k');
        at += line.length;
      }
      runs.detach();
      read.fill(0x58); // the next read overwrites the buffer
      expected.push(...lines);
    }
    const run = runs.seal()!;
    expect(Array.from({ length: run.count }, (_, i) => text(runRecordData(run, i)))).toEqual(expected);
    expect(Array.from({ length: run.count }, (_, i) => (i === 0 ? 0 : run.ends[i - 1]! + ((3 - (run.ends[i - 1]! % 3)) % 3)) % 3)).toEqual(expected.map(() => 0));
  });

  it('grows its buffer for large records; a short run holds exactly its bytes', () => {
    const runs = builder(500, 10 * 1024 * 1024);
    const big = Buffer.alloc(300_000, 0x61);
    for (let i = 0; i < 3; i++) runs.add(big, 0, big.length, i * big.length, 'k');
    const first = runs.seal()!;
    expect(first.data.length).toBe(900_000);
    expect(first.data.every((byte) => byte === 0x61)).toBe(true);
    runs.add(big, 0, 10, 0, 'k');
    const second = runs.seal()!;
    expect(second.data.buffer.byteLength).toBe(10);
    expect(second.ends.buffer.byteLength).toBe(4);
    expect(text(second.data)).toBe('a'.repeat(10));
  });

  it.each([
    // [case, maxRecords, maxBytes, records of 10 bytes with a 4-byte key, full, fits another]
    ['records', 3, 1000, 3, true, false],
    ['bytes (data plus key)', 500, 40, 2, false, false],
    ['bytes, exactly full', 500, 42, 3, true, false],
    ['room left', 500, 100, 2, false, true],
  ])('fits and full follow the request limits (%s)', (_name, maxRecords, maxBytes, records, full, fits) => {
    const runs = builder(maxRecords, maxBytes);
    const line = Buffer.alloc(10, 0x62);
    for (let i = 0; i < records; i++) runs.add(line, 0, 10, 0, '0123');
    expect(runs.full).toBe(full);
    expect(runs.fits(10, 4)).toBe(fits);
  });

  it('an empty run takes any record, even one larger than a request', () => {
    const runs = builder(500, 100);
    expect(runs.fits(1000, 16)).toBe(true);
  });

  it('expandRuns and recordCount see a run as its records, other entries as they are', () => {
    const runs = builder();
    const lines = Buffer.from('a\nb\n');
    runs.add(lines, 0, 2, 0, 'x');
    runs.add(lines, 2, 4, 2, 'y');
    const run = runs.seal()!;
    const entries = [{ data: Buffer.from('z'), partitionKey: 'k' }, { data: run.data, partitionKey: '', run }];
    expect(recordCount(entries)).toBe(3);
    expect(expandRuns(entries).map((entry) => [text(entry.data), entry.partitionKey])).toEqual([['z', 'k'], ['a\n', 'x'], ['b\n', 'y']]);
  });
});
