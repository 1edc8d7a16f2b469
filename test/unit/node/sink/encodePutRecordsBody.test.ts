import { describe, expect, it } from 'vitest';
import { encodePutRecordsBody } from '../../../../src/node/sink/encodePutRecordsBody.js';

const entry = (data: string | Uint8Array, partitionKey = 'k') => ({ data: typeof data === 'string' ? Buffer.from(data) : data, partitionKey });

/** What the SDK's JSON 1.1 serializer writes for the same input (member order as in the model). */
function sdkBody(stream: string, entries: { data: Uint8Array; partitionKey: string }[], firehose: boolean): string {
  return firehose
    ? JSON.stringify({ DeliveryStreamName: stream, Records: entries.map((e) => ({ Data: Buffer.from(e.data).toString('base64') })) })
    : JSON.stringify({ StreamName: stream, Records: entries.map((e) => ({ Data: Buffer.from(e.data).toString('base64'), PartitionKey: e.partitionKey })) });
}

describe('encodePutRecordsBody', () => {
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
});
