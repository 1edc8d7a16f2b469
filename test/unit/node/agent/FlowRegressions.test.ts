import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deaggregateSync } from 'aws-kinesis-agg/lib/kpl-deagg.js';
import { describe, expect, it } from 'vitest';
import type { PutEntry, PutOutcome } from '../../../../src/core/send/RecordsTransport.js';
import { startFlow } from '../../../support/flowHarness.js';

/** The user records of a Kinesis record (AWS's reference deaggregator; a plain record is one). */
function deaggregate(entry: PutEntry): { partitionKey: string; data: string }[] {
  let out: { partitionKey: string; data: string }[] = [];
  deaggregateSync({ partitionKey: entry.partitionKey, data: Buffer.from(entry.data).toString('base64'), sequenceNumber: '1' }, true, (err, records) => {
    if (err) throw err;
    out = (records ?? []).map((r) => ({ partitionKey: r.partitionKey, data: Buffer.from(r.data, 'base64').toString('utf8') }));
  });
  return out;
}

describe('Flow regressions (found in review)', () => {
  it('KPL: a record in the open aggregate is sent about maxBufferAgeMillis after it was read, not twice that', async () => {
    const sentAt: number[] = [];
    const { file } = await startFlow({ aggregation: 'kpl', maxBufferAgeMillis: 1000 }, async (entries) => { sentAt.push(Date.now()); return entries.map(() => ({ ok: true })); });
    await new Promise((r) => setTimeout(r, 300)); // the file is opened
    const written = Date.now();
    await appendFile(file, 'one line\n');
    const deadline = Date.now() + 3500;
    while (sentAt.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sentAt).toHaveLength(1);
    // ≈ 1000 ms (+ poll), not 2000: an expired aggregate's batch goes at once.
    expect(sentAt[0]! - written).toBeLessThan(1600);
  }, 10_000);

  it('maxInFlightBytes: an unfinished line larger than the budget does not stop reading (its newline is read)', async () => {
    const received: number[] = [];
    const { file } = await startFlow({ maxInFlightBytes: 65536, maxBufferAgeMillis: 1000 }, async (entries) => { for (const e of entries) received.push(e.data.length); return entries.map(() => ({ ok: true })); });
    await new Promise((r) => setTimeout(r, 300));
    await appendFile(file, 'x'.repeat(70_000)); // the writer flushes a long line in two writes
    await new Promise((r) => setTimeout(r, 500));
    await appendFile(file, 'x\nnext\n');
    const deadline = Date.now() + 3000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual([70_002, 5]);
  }, 10_000);
  // A budget smaller than a request (or, with KPL, than an aggregate) used to leave each budget's
  // worth of lines waiting the whole maxBufferAgeMillis: reading stopped, the open batch could not grow.
  it.each([
    // A read (up to readBufferBytes, 1 MiB) of 3 kB lines is fewer than a batch's 500 records.
    ['plain records', 3000, {}],
    ['KPL aggregates', 100, { aggregation: 'kpl' }],
  ])('maxInFlightBytes spent: the open batch goes at once, not after maxBufferAgeMillis (%s)', async (_name, length, extra) => {
    let lines = 0;
    const line = `${'x'.repeat(length - 1)}\n`;
    const count = Math.round(3_000_000 / length);
    const { file } = await startFlow({ maxInFlightBytes: 65536, maxBufferAgeMillis: 60_000, ...extra }, async (entries) => {
      for (const e of entries) lines += Buffer.from(e.data).toString('latin1').split(line).length - 1;
      return entries.map(() => ({ ok: true }));
    });
    await new Promise((r) => setTimeout(r, 300));
    await appendFile(file, line.repeat(count)); // 3 MB: 46 budgets' worth
    // All but the last batch, which waits its age as it should once reading has caught up (before:
    // about one budget's worth in these 5 s).
    const deadline = Date.now() + 5000;
    while (lines < count * 0.9 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(lines).toBeGreaterThanOrEqual(count * 0.9);
  }, 10_000);
  it('maxInFlightBytes counts the bodies of requests in flight (base64: 4/3 of their records), not only the records', async () => {
    let sent = 0;
    // The destination never answers: everything read stays in flight.
    const { file } = await startFlow({ maxInFlightBytes: 2 * 1024 * 1024, maxBufferAgeMillis: 60_000 }, (entries) => {
      for (const e of entries) sent += e.data.length;
      return new Promise<PutOutcome[]>(() => undefined);
    });
    await new Promise((r) => setTimeout(r, 300));
    await appendFile(file, `${'x'.repeat(999)}\n`.repeat(8000)); // 8 MB
    await new Promise((r) => setTimeout(r, 1500));
    // Read until records + bodies reach 2 MiB: about 0.86 MiB of records, plus at most one read
    // (512 KiB) past it. Counting the records alone, it read (and sent) 2 to 2.5 MiB.
    expect(sent).toBeGreaterThan(0.5 * 1024 * 1024);
    expect(sent).toBeLessThan(1.5 * 1024 * 1024);
  }, 10_000);

  it('a request carries at most 1 MiB of records (or one larger record), whatever maxBufferSizeBytes allows', async () => {
    const requests: number[] = [];
    const { file } = await startFlow({ maxBufferAgeMillis: 1000, maxRecordSizeBytes: 2 * 1024 * 1024 }, async (entries) => {
      requests.push(entries.reduce((sum, e) => sum + e.data.length, 0));
      return entries.map(() => ({ ok: true }));
    });
    await new Promise((r) => setTimeout(r, 300));
    await appendFile(file, `${'x'.repeat(99_999)}\n`.repeat(30));
    await appendFile(file, `${'y'.repeat(1_200_000)}\n`);
    const deadline = Date.now() + 5000;
    while (requests.reduce((a, b) => a + b, 0) < 4_200_001 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(requests.reduce((a, b) => a + b, 0)).toBe(4_200_001);
    expect(requests.filter((bytes) => bytes > 1024 * 1024)).toEqual([1_200_001]);
  }, 10_000);
  it('KPL with DETERMINISTIC keys: each aggregate is routed by the MD5 of its first line', async () => {
    const entries: PutEntry[] = [];
    const { file } = await startFlow({ aggregation: 'kpl', partitionKeyOption: 'DETERMINISTIC', maxRecordSizeBytes: 4096, maxBufferAgeMillis: 1000 }, async (batch) => {
      entries.push(...batch.map((e) => ({ data: Buffer.from(e.data), partitionKey: e.partitionKey })));
      return batch.map(() => ({ ok: true }));
    });
    await new Promise((r) => setTimeout(r, 300));
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}\n`);
    await appendFile(file, lines.join(''));
    const deadline = Date.now() + 5000;
    let users: { partitionKey: string; data: string }[][] = [];
    while (Date.now() < deadline) {
      users = entries.map((e) => deaggregate(e));
      if (users.flat().length >= lines.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(users.flat().map((u) => u.data)).toEqual(lines);
    expect(entries.length).toBeGreaterThan(2);
    entries.forEach((entry, i) => expect(entry.partitionKey).toBe(createHash('md5').update(users[i]![0]!.data).digest('hex')));
  }, 10_000);
  it('KPL: an aggregate the destination rejects for good is dead-lettered line by line, each with its file and offset', async () => {
    const { file } = await startFlow({ aggregation: 'kpl', maxRecordSizeBytes: 1024, maxBufferAgeMillis: 1000 }, async (entries) =>
      entries.map((e) => (Buffer.from(e.data).includes('BAD') ? { ok: false, code: 'ValidationException', message: 'refused (test)' } : { ok: true })));
    await new Promise((r) => setTimeout(r, 300));
    const lines = Array.from({ length: 60 }, (_, i) => (i === 30 ? 'BAD line 30\n' : `line ${i} ${'x'.repeat(20)}\n`));
    await appendFile(file, lines.join(''));
    const deadLetter = join(dirname(dirname(file)), 'dead-letter', 'f.jsonl');
    const deadline = Date.now() + 8000;
    let entries: { reason: string; file: string; offset: number; data: string }[] = [];
    while (Date.now() < deadline) {
      entries = existsSync(deadLetter) ? readFileSync(deadLetter, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as typeof entries[number]) : [];
      if (entries.some((e) => e.data.startsWith('BAD'))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // The whole aggregate that held line 30 (the lines around it), in order, each where it starts in the file.
    const offsets = lines.map((_, i) => lines.slice(0, i).join('').length);
    expect(entries.length).toBeGreaterThan(1);
    const first = lines.indexOf(entries[0]!.data);
    expect(entries.map((e) => [e.data, e.offset, e.file])).toEqual(entries.map((_, i) => [lines[first + i], offsets[first + i], file]));
    expect(entries.map((e) => e.data)).toContain('BAD line 30\n');
    expect(entries[0]!.reason).toMatch(/^rejected: /);
  }, 15_000);
});
