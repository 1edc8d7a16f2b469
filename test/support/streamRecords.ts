import { StreamReader } from '../../src/node/demo/StreamReader.js';
import type { LocalKinesis } from '../../src/node/demo/startKinesalite.js';

/** Reads every record of the stream until at least `count` arrived or the time is up. */
export async function readRecords(kinesis: LocalKinesis, stream: string, count: number, timeoutMillis = 60_000): Promise<Buffer[]> {
  const reader = new StreamReader(kinesis.client, stream);
  const records: Buffer[] = [];
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    records.push(...(await reader.poll()).map((r) => Buffer.from(r)));
    if (records.length >= count) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return records;
}

/** Multiset of byte strings as a sorted list of hex, for exact comparison. */
export function multiset(records: readonly Uint8Array[]): string[] {
  return records.map((r) => Buffer.from(r).toString('hex')).sort();
}

/** Lines that occur more than once, with their counts. */
export function duplicates(records: readonly Uint8Array[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    const key = Buffer.from(record).toString('latin1');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].filter(([, n]) => n > 1));
}
