import { appendFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { PutOutcome } from '../../../../src/core/send/RecordsTransport.js';
import { startFlow, waitFor } from '../../../support/flowHarness.js';
import { kplUserRecords as userRecords } from '../../../support/kplUserRecords.js';

// A delivered run's, KPL aggregate's or Firehose pack's buffer is reused by a later one (BufferRecycler). These hold
// a record back (throttled, again and again) while later runs or aggregates are delivered and their
// buffers reused: the held record must keep its bytes until it is in.
const OK: PutOutcome = { ok: true };
const THROTTLED: PutOutcome = { ok: false, code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' };
/** 1,001 bytes, different in every line (a reused buffer would show). */
const lineOf = (i: number) => `${String(i).padStart(6, '0')} ${String.fromCharCode(97 + (i % 26)).repeat(993)}\n`;
const HELD = lineOf(5);

describe.each([
  ['runs', { maxBufferSizeRecords: 100 }, (data: Uint8Array) => [Buffer.from(data).toString()]],
  // Aggregates of about 70 lines (the record limit; buffers under 64 KiB are not reused).
  ['KPL aggregates', { aggregation: 'kpl', maxRecordSizeBytes: 70 * 1024 }, userRecords],
  // Firehose packs of about 70 lines.
  ['Firehose packs', { kinesisStream: undefined, deliveryStream: 'd', aggregatedRecordSizeBytes: 70 * 1024 }, (data: Uint8Array) => Buffer.from(data).toString().split(/(?<=\n)/)],
])('Flow: buffers of delivered %s serve later ones', (_name, settings, linesOf) => {
  it('a record retried while later ones are delivered keeps its bytes; every line arrives once', async () => {
    const delivered = new Map<string, number>();
    let holding = true;
    let held = 0;
    const { flow, file } = await startFlow({ maxBufferAgeMillis: 1000, retryInitialBackoffMillis: 20, retryMaxBackoffMillis: 100, ...settings }, async (entries) => entries.map((entry) => {
      const lines = linesOf(entry.data);
      if (holding && lines.includes(HELD)) {
        held += 1;
        return THROTTLED;
      }
      for (const line of lines) delivered.set(line, (delivered.get(line) ?? 0) + 1);
      return OK;
    }));
    await new Promise((r) => setTimeout(r, 300));
    const all = Array.from({ length: 600 }, (_, i) => lineOf(i));
    for (let batch = 0; batch < 6; batch++) {
      await appendFile(file, all.slice(batch * 100, batch * 100 + 100).join(''));
      // Delivered: all but the held record (and the lines of its aggregate) and an open aggregate.
      await waitFor(() => delivered.size >= (batch + 1) * 100 - 150, 5000);
    }
    expect(held).toBeGreaterThan(1);
    holding = false;
    await waitFor(() => flow.trackedFiles()[0]?.offset === all.join('').length, 5000);
    expect([...delivered.keys()].sort()).toEqual([...all].sort());
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    expect(flow.trackedFiles()[0]!.offset).toBe(all.join('').length);
  }, 20_000);
});
