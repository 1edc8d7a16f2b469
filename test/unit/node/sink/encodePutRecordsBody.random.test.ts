import { describe, expect, it } from 'vitest';
import { simdBase64Encoder, stringBase64Encoder } from '../../../../src/node/sink/base64Encoder.js';
import { encodePutRecordsBody } from '../../../../src/node/sink/encodePutRecordsBody.js';

/** What the SDK's JSON 1.1 serializer writes (member order as in the model). */
function sdkBody(stream: string, entries: { data: Uint8Array; partitionKey: string }[], firehose: boolean): string {
  return firehose
    ? JSON.stringify({ DeliveryStreamName: stream, Records: entries.map((e) => ({ Data: Buffer.from(e.data).toString('base64') })) })
    : JSON.stringify({ StreamName: stream, Records: entries.map((e) => ({ Data: Buffer.from(e.data).toString('base64'), PartitionKey: e.partitionKey })) });
}

describe.each([
  ['SIMD encoder', simdBase64Encoder()!],
  ['string encoder', stringBase64Encoder()],
  ['string encoder of 12-byte slices', stringBase64Encoder(12)],
])('encodePutRecordsBody on random records with the %s', (_name, encoder) => {
  it('is byte for byte the SDK\'s serialization: keys written as they are or JSON-escaped, data of every length (some past a 48 KiB slice), Buffers and plain Uint8Arrays', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // Printable ASCII, the characters JSON escapes, DEL, non-ASCII, astral and lone surrogates.
    const alphabet = ['a', '0', '.', ' ', '~', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', 'ключ', '😀', '\ud800', '\udfff'];
    for (let round = 0; round < 300; round++) {
      const entries = Array.from({ length: Math.floor(random() * 12) }, () => {
        const bytes = Uint8Array.from({ length: Math.floor(random() * (random() < 0.02 ? 120_000 : 40)) }, () => Math.floor(random() * 256));
        const key = Array.from({ length: Math.floor(random() * 6) }, () => (random() < 0.7 ? String(Math.floor(random() * 1e6)) : alphabet[Math.floor(random() * alphabet.length)]!)).join('');
        const data = random() < 0.5 ? bytes : Buffer.concat([Buffer.from('pad'), bytes]).subarray(3);
        return { data, partitionKey: key };
      });
      const firehose = random() < 0.3;
      expect(encodePutRecordsBody('s"é', entries, firehose, undefined, encoder).toString('utf8')).toBe(sdkBody('s"é', entries, firehose));
    }
  });
});
