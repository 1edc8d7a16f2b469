import { createHash } from 'node:crypto';
import { deaggregateSync, type UserRecord } from 'aws-kinesis-agg/lib/kpl-deagg.js';
import { describe, expect, it } from 'vitest';
import { KplAggregator, type KplAggregate } from '../../../../src/core/kpl/KplAggregator.js';

// KplAggregator.addLine: lines that join the open aggregate are left in the caller's buffer and
// copied together at detach (or at the next add, or sealing). Each scenario runs twice — lines by
// addLine, and the same lines copied and given to add — and the Kinesis records must be the same
// bytes, with the same members, whatever the caller does to its buffers after detach.

const md5 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('md5').update(data).digest());

/** A read buffer: `count` lines of the given lengths (each ends with \n), contents distinct per buffer. */
function readBuffer(seed: number, lengths: number[]): { data: Uint8Array; starts: number[]; ends: number[] } {
  const data = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const length of lengths) {
    starts.push(at);
    for (let i = 0; i < length - 1; i++) data[at + i] = 0x21 + ((seed * 13 + i * 7 + starts.length) % 90);
    data[at + length - 1] = 0x0a;
    at += length;
    ends.push(at);
  }
  return { data, starts, ends };
}

type Step =
  | { line: [buffer: number, line: number] }
  | { add: number }
  | { detach: true }
  | { flush: true };

interface Scenario {
  name: string;
  buffers: number[][];
  steps: Step[];
  maxRecordBytes?: number;
  maxRecordsPerAggregate?: number;
}

interface Sealed {
  data: string;
  starts: number[];
  ends: number[];
  offsets: number[];
  seqs: number[];
  segmentEnds: number[];
}

const seal = (a: KplAggregate<number>): Sealed => ({
  data: Buffer.from(a.data).toString('hex'), starts: [...a.members.starts], ends: [...a.members.ends], offsets: [...a.members.offsets],
  seqs: [...a.members.seqs], segmentEnds: [...a.members.segmentEnds],
});

/**
 * Runs the steps; `byLine`: lines go through addLine (the buffers are then overwritten after each
 * detach and at the end, as a reader reuses its buffer), else copies of them through add.
 */
function play(scenario: Scenario, byLine: boolean): Sealed[] {
  const agg = new KplAggregator<number>({ md5, now: () => 0, maxRecordBytes: scenario.maxRecordBytes, maxRecordsPerAggregate: scenario.maxRecordsPerAggregate });
  const buffers = scenario.buffers.map((lengths, i) => readBuffer(i + 1, lengths));
  const out: Sealed[] = [];
  let seq = 0;
  // A reader reuses its buffer: once detached, what was read is overwritten; it is read again
  // (the same bytes, as the reference run sees them) when a later step uses it.
  const used = new Set<number>();
  const scribbled = new Set<number>();
  const scribble = () => { for (const b of used) { buffers[b]!.data.fill(0xee); scribbled.add(b); } used.clear(); };
  for (const step of scenario.steps) {
    if ('line' in step) {
      const [b, l] = step.line;
      if (scribbled.delete(b)) buffers[b]!.data.set(readBuffer(b + 1, scenario.buffers[b]!).data);
      used.add(b);
      const { data, starts, ends } = buffers[b]!;
      const start = starts[l]!;
      const end = ends[l]!;
      seq += 1;
      if (agg.pending > 0 && agg.joins(end - start)) {
        const sealed = byLine ? agg.addLine(data, start, end, b, seq, start) : agg.add(data.slice(start, end), '', b, seq, start);
        out.push(...sealed.map(seal));
      } else {
        out.push(...agg.add(data.slice(start, end), `key-${b}`, b, seq, start).map(seal));
      }
    } else if ('add' in step) {
      seq += 1;
      out.push(...agg.add(new Uint8Array(step.add).fill(0x41), 'other', 99, seq, 0).map(seal));
    } else if ('detach' in step) {
      agg.detach();
      if (byLine) scribble();
    } else {
      const last = agg.flush();
      if (last !== undefined) out.push(seal(last));
    }
  }
  const last = agg.flush();
  if (last !== undefined) out.push(seal(last));
  if (byLine) scribble();
  return out;
}

const lines = (buffer: number, from: number, to: number): Step[] => Array.from({ length: to - from }, (_, i) => ({ line: [buffer, from + i] }));

const SCENARIOS: Scenario[] = [
  { name: 'one read\'s lines, detached at its end', buffers: [[50, 60, 70, 80]], steps: [...lines(0, 0, 4), { detach: true }] },
  { name: 'lines whose heads differ in size (records of 128, 129, 16,384, 16,385 bytes: 2- and 3-byte varints)', buffers: [[10, 128, 129, 16384, 16385, 1, 300]], steps: [...lines(0, 0, 7), { detach: true }] },
  { name: 'records of 122–128 bytes (the entry\'s length takes 2 bytes from 124, the data\'s from 128)', buffers: [[122, 123, 124, 125, 126, 127, 128]], steps: [...lines(0, 0, 7), { detach: true }] },
  { name: 'the aggregate fills by count (3 records) in the middle of a read', maxRecordsPerAggregate: 3, buffers: [[40, 41, 42, 43, 44, 45, 46]], steps: [...lines(0, 0, 7), { detach: true }] },
  { name: 'two reads: the first detached before the second is added', buffers: [[40, 41, 42], [43, 44, 45]], steps: [...lines(0, 0, 3), { detach: true }, ...lines(1, 0, 3), { detach: true }] },
  { name: 'lines not next to each other in one buffer (a gap): two stretches', buffers: [[30, 31, 32, 33, 34, 35]], steps: [{ line: [0, 0] }, { line: [0, 1] }, { line: [0, 3] }, { line: [0, 4] }, { detach: true }] },
  { name: 'lines of two buffers alternating', buffers: [[20, 21, 22], [23, 24, 25]], steps: [{ line: [0, 0] }, { line: [1, 0] }, { line: [0, 1] }, { line: [1, 1] }, { line: [0, 2] }, { line: [1, 2] }, { detach: true }] },
  { name: 'a record added between lines (copied first, in order)', buffers: [[60, 61, 62, 63]], steps: [{ line: [0, 0] }, { line: [0, 1] }, { add: 500 }, { line: [0, 2] }, { line: [0, 3] }, { detach: true }] },
  { name: 'flushed with lines pending (sealing copies them)', buffers: [[70, 71, 72]], steps: [...lines(0, 0, 3), { flush: true }, ...lines(0, 0, 3), { detach: true }] },
  {
    name: 'the aggregate fills while lines are pending: sealed with them, the next opened by the next line',
    maxRecordBytes: 1200, buffers: [Array.from({ length: 40 }, (_, i) => 90 + (i % 7))], steps: [...lines(0, 0, 40), { detach: true }],
  },
  {
    name: 'the open aggregate\'s buffer grows (past its first 64 KiB) while a read\'s lines are pending',
    buffers: [Array.from({ length: 900 }, (_, i) => 150 + ((i * 37) % 120))], steps: [...lines(0, 0, 900), { detach: true }],
  },
];

describe('KplAggregator.addLine', () => {
  it.each(SCENARIOS)('$name: the same Kinesis records as adding copies of the lines', (scenario) => {
    const expected = play(scenario, false);
    const actual = play(scenario, true);
    expect(actual.length).toBe(expected.length);
    expect(actual).toEqual(expected);
  });

  it.each(SCENARIOS)('$name: AWS\'s deaggregator reads every line back, digest verified', (scenario) => {
    const buffers = scenario.buffers.map((lengths, i) => readBuffer(i + 1, lengths));
    const want = scenario.steps.flatMap((step) => ('line' in step ? [Buffer.from(buffers[step.line[0]]!.data.subarray(buffers[step.line[0]]!.starts[step.line[1]], buffers[step.line[0]]!.ends[step.line[1]])).toString('hex')] : 'add' in step ? ['41'.repeat(step.add)] : []));
    const got = play(scenario, true).flatMap((sealed) => {
      const data = Buffer.from(sealed.data, 'hex');
      if (sealed.starts.length === 1) return [data.toString('hex')];
      let result: { err: Error | undefined; records: UserRecord[] } | undefined;
      deaggregateSync({ data: data.toString('base64'), partitionKey: 'k', sequenceNumber: '1' }, true, (err, records) => { result = { err: err ?? undefined, records: records ?? [] }; });
      expect(result?.err).toBeUndefined();
      return result!.records.map((r) => Buffer.from(r.data, 'base64').toString('hex'));
    });
    expect(got).toEqual(want);
  });

  it('with the digest computed elsewhere (md5Async), the aggregate is whole once it is in', async () => {
    const agg = new KplAggregator<number>({ md5, now: () => 0, md5Async: (data) => new Promise((resolve) => setImmediate(() => resolve(md5(data)))) });
    const { data, starts, ends } = readBuffer(3, Array.from({ length: 50 }, (_, i) => 60 + i));
    agg.add(data.slice(starts[0], ends[0]), 'k', 0, 1, 0);
    for (let i = 1; i < 50; i++) expect(agg.addLine(data, starts[i]!, ends[i]!, 0, 1, starts[i]!)).toEqual([]);
    const sealed = agg.flush()!;
    data.fill(0);
    await sealed.digested;
    let result: { err: Error | undefined; records: UserRecord[] } | undefined;
    deaggregateSync({ data: Buffer.from(sealed.data).toString('base64'), partitionKey: 'k', sequenceNumber: '1' }, true, (err, records) => { result = { err: err ?? undefined, records: records ?? [] }; });
    expect(result?.err).toBeUndefined();
    const fresh = readBuffer(3, Array.from({ length: 50 }, (_, i) => 60 + i));
    expect(result!.records.map((r) => Buffer.from(r.data, 'base64').toString('hex'))).toEqual(fresh.starts.map((s, i) => Buffer.from(fresh.data.subarray(s, fresh.ends[i])).toString('hex')));
  });

  it('refuses a line that does not join the open aggregate (none open, or too large)', () => {
    const agg = new KplAggregator<number>({ md5, now: () => 0, maxRecordBytes: 200 });
    const { data } = readBuffer(1, [100, 150]);
    expect(() => agg.addLine(data, 0, 100, 0, 1, 0)).toThrow(RangeError);
    agg.add(data.slice(0, 100), 'k', 0, 1, 0);
    expect(() => agg.addLine(data, 100, 250, 0, 2, 100)).toThrow(/does not join/);
    expect(agg.pending).toBe(1);
  });
});
