import { describe, expect, it } from 'vitest';
import { expandRuns } from '../../../../src/core/send/RecordRun.js';
import type { PutEntry } from '../../../../src/core/send/RecordsTransport.js';
import { RunBuilder } from '../../../../src/core/send/RunBuilder.js';
import { type Base64Encoder, simdBase64Encoder, stringBase64Encoder } from '../../../../src/node/sink/base64Encoder.js';
import { encodePutRecordsBody as encodeWith } from '../../../../src/node/sink/encodePutRecordsBody.js';

const entry = (data: string | Uint8Array, partitionKey = 'k') => ({ data: typeof data === 'string' ? Buffer.from(data) : data, partitionKey });

/** What the SDK's JSON 1.1 serializer writes for the same input (member order as in the model). */
function sdkBody(stream: string, entries: { data: Uint8Array; partitionKey: string }[], firehose: boolean): string {
  return firehose
    ? JSON.stringify({ DeliveryStreamName: stream, Records: entries.map((e) => ({ Data: Buffer.from(e.data).toString('base64') })) })
    : JSON.stringify({ StreamName: stream, Records: entries.map((e) => ({ Data: Buffer.from(e.data).toString('base64'), PartitionKey: e.partitionKey })) });
}

// Every case with each base64 encoder: WebAssembly SIMD (what Node 20 on x64 and arm64 has) and V8's,
// the fallback; the string one also with a small maxSource, so that stretches and slices end often.
const encoders: [string, Base64Encoder][] = [
  ['SIMD encoder', simdBase64Encoder()!],
  ['string encoder', stringBase64Encoder()],
  ['string encoder of 12-byte slices', stringBase64Encoder(12)],
];

describe.each(encoders)('encodePutRecordsBody with the %s', (_encoder, encoder) => {
  const encodePutRecordsBody = (stream: string, entries: readonly PutEntry[], firehose = false, allocate?: (size: number) => Buffer) => encodeWith(stream, entries, firehose, allocate, encoder);
  const cases: [string, string, { data: Uint8Array; partitionKey: string }[]][] = [
    ['no records', 's', []],
    ['one line', 'stream', [entry('hello\n', '123456.78901234567')]],
    ['empty data and base64 padding of 1 and 2 bytes', 's', [entry(''), entry('a'), entry('ab'), entry('abc')]],
    ['binary and invalid UTF-8', 's', [entry(Uint8Array.of(0, 0xff, 0xfe, 0x80, 0x0a))]],
    ['keys that need JSON escaping and non-ASCII', 'str"eam\\é', [entry('x', 'k"ey\\\n\u0001é😀')]],
    ['a view into a larger buffer', 's', [{ data: Buffer.from('__view__').subarray(2, 6), partitionKey: 'v' }]],
  ];
  it.each(cases)('Kinesis: %s — byte for byte what the SDK serializes', (_name, stream, entries) => {
    expect(encodePutRecordsBody(stream, entries).toString('utf8')).toBe(sdkBody(stream, entries, false));
  });
  it.each(cases)('Firehose: %s — byte for byte what the SDK serializes, without partition keys', (_name, stream, entries) => {
    expect(encodePutRecordsBody(stream, entries, true).toString('utf8')).toBe(sdkBody(stream, entries, true));
  });
  it('sizes the buffer exactly for 500 records of 1 KiB', () => {
    const entries = Array.from({ length: 500 }, (_, i) => entry('z'.repeat(1024 + (i % 3)), String(i)));
    const body = encodePutRecordsBody('s', entries);
    expect(body.length).toBe(Buffer.byteLength(sdkBody('s', entries, false)));
  });

  /** A run entry of `lines`, with `keys` (null: RANDOM), as Flow builds it from one read buffer. */
  function runEntry(lines: (string | Uint8Array)[], keys: (string | null)[]): PutEntry {
    const runs = new RunBuilder({ maxRecords: 500, maxBytes: 5 * 1024 * 1024, random: Math.random, now: () => 0 });
    const read = Buffer.concat(lines.map((line) => Buffer.from(line)));
    let at = 0;
    lines.forEach((line, i) => {
      const length = Buffer.from(line).length;
      runs.add(read, at, at + length, at, keys[i] ?? null);
      at += length;
    });
    const run = runs.seal()!;
    return { data: run.data, partitionKey: '', run };
  }
  const runCases: [string, PutEntry[]][] = [
    ['one run of one record', [runEntry(['hello\n'], ['1.5'])]],
    ['a run with every base64 padding and RANDOM keys', [runEntry(['', 'a', 'ab', 'abc', 'abcd'], [null, null, 'k', null, null])]],
    ['binary records in a run', [runEntry([Uint8Array.of(0, 0xff, 0xfe), Uint8Array.of(0x80, 0x0a)], ['x', 'y'])]],
    ['runs between single entries', [entry('first', 'k"1'), runEntry(['r1\n', 'r2\n'], ['a', 'b']), entry('', 'é'), runEntry(['r3\n'], [null])]],
    ['a record above a base64 slice (49,152 bytes) in a run', [runEntry(['s'.repeat(100_000), 't'], ['big', 'small'])]],
    // Base64 made 12 KiB of the run at a time: records of every length mod 3 across many stretches.
    ['500 binary records of 0 to 699 bytes', [runEntry(Array.from({ length: 500 }, (_, i) => Uint8Array.from({ length: (i * 37) % 700 }, (_, k) => (i * 31 + k * 17) & 0xff)), Array.from({ length: 500 }, () => null))]],
    ['records around a 12 KiB stretch of base64', [runEntry([12_287, 12_288, 12_289, 12_290, 0, 1, 2, 12_291, 5].map((n, i) => 'abcdefghi'[i]!.repeat(n)), Array.from({ length: 9 }, (_, i) => String(i)))]],
    ['records around a 48 KiB slice of base64 (the encoders\' maxSource)', [runEntry([49_151, 49_152, 49_153, 49_154, 0, 1, 2, 49_155, 5, 98_304, 98_305].map((n, i) => 'abcdefghijk'[i]!.repeat(n)), Array.from({ length: 11 }, (_, i) => String(i)))]],
  ];
  it.each(runCases)('Kinesis: %s — the body of the same records as single entries', (_name, entries) => {
    const body = encodePutRecordsBody('s', entries).toString('utf8');
    expect(body).toBe(sdkBody('s', expandRuns(entries), false));
    expect(Buffer.byteLength(body)).toBe(encodePutRecordsBody('s', entries).length);
  });
  it.each(runCases)('Firehose: %s — the body of the same records as single entries', (_name, entries) => {
    expect(encodePutRecordsBody('s', entries, true).toString('utf8')).toBe(sdkBody('s', expandRuns(entries), true));
  });
  it('sizes the body exactly for runs, with 16 KiB of room past it for their base64 (never sent)', () => {
    const entries = [runEntry(['ab\n', 'cde\n', 'f'], ['1', '22', '333']), entry('x', 'k'), runEntry(['gh\n'], ['4444'])];
    let allocated = 0;
    const body = encodePutRecordsBody('s', entries, false, (bytes) => { allocated = bytes; return Buffer.alloc(bytes); });
    expect(body.length).toBe(Buffer.byteLength(sdkBody('s', expandRuns(entries), false)));
    expect(allocated).toBe(body.length + 16 * 1024);
  });
});
