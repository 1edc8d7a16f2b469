import { createHash } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PutOutcome } from '../../../../src/core/send/RecordsTransport.js';
import { startFlow, waitFor } from '../../../support/flowHarness.js';
import { kplUserRecords as userRecords } from '../../../support/kplUserRecords.js';

// KPL aggregation acknowledges a file's lines by stretch: the lines of one file that follow each
// other in an aggregate share one ticket (Flow.kplTicket, OrderedAcks.extend). The checkpoint must
// still stop exactly before the first line of an aggregate that is not delivered, whatever is
// delivered after it, and never count a line twice or lose one.
const OK: PutOutcome = { ok: true };
const THROTTLED: PutOutcome = { ok: false, code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' };
/** Line `i` of file `f`: 1,001 bytes, different in every line. */
const lineOf = (f: number, i: number) => `${f}${String(i).padStart(5, '0')} ${String.fromCharCode(97 + (i % 26)).repeat(993)}\n`;

describe('Flow: KPL tickets by stretch of a file', () => {
  it.each([
    // The held aggregate's lines are read in one chunk with those around them (one stretch each).
    ['one file, written at once', 1, 1],
    // Written in pieces of 20 lines: stretches continue across reads.
    ['one file, written in 40 pieces', 1, 40],
    // Two files written in turns of 20 lines: aggregates (70 lines) hold stretches of both, and
    // each file's checkpoint stops before its own first line in the held aggregate.
    ['two files, written in turns', 2, 40],
  ])('the checkpoint stops before an aggregate still retried, then reaches the end (%s)', async (_name, fileCount, pieces) => {
    const delivered = new Map<string, number>();
    let holding = true;
    let held: string[] | undefined;
    const { flow, file } = await startFlow({ aggregation: 'kpl', maxRecordSizeBytes: 70 * 1024, maxBufferAgeMillis: 1000, retryInitialBackoffMillis: 20, retryMaxBackoffMillis: 100 }, async (entries) => entries.map((entry) => {
      const lines = userRecords(entry.data);
      if (holding && lines.includes(lineOf(0, 300))) {
        held = lines;
        return THROTTLED;
      }
      for (const line of lines) delivered.set(line, (delivered.get(line) ?? 0) + 1);
      return OK;
    }));
    const paths = [file, join(dirname(file), 'other.log')].slice(0, fileCount);
    // Both files are open before lines come (a new file would wait for the next scan).
    for (const path of paths) await appendFile(path, '');
    await waitFor(() => flow.trackedFiles().length === fileCount, 3000);
    const lines = paths.map((_, f) => Array.from({ length: 800 }, (_, i) => lineOf(f, i)));
    // Each piece is read before the next is written, so the pieces of the two files take turns.
    const per = 800 / pieces;
    let written = 0;
    for (let at = 0; at < 800; at += per) {
      for (const [f, path] of paths.entries()) {
        await appendFile(path, lines[f]!.slice(at, at + per).join(''));
        written += per;
        await waitFor(() => flow.status().counters.linesRead >= written, 3000);
      }
    }
    const all = lines.flat();
    // Everything but the held aggregate is delivered, lines after it included.
    await waitFor(() => held !== undefined && delivered.size + held.length === all.length, 10_000);
    expect(held!.length).toBeGreaterThan(1);
    const offsetOf = (path: string) => flow.trackedFiles().find((tracked) => tracked.path === path)?.offset;
    for (const [f, path] of paths.entries()) {
      // Where the file's first line in the held aggregate starts (or its end, if it has none there).
      const firstHeld = lines[f]!.findIndex((line) => held!.includes(line));
      expect(offsetOf(path)).toBe((firstHeld < 0 ? 800 : firstHeld) * 1001);
    }
    // (With two files, the held aggregate holds stretches of both.)
    expect(new Set(held!.map((line) => line[0])).size).toBe(fileCount);
    holding = false;
    await waitFor(() => paths.every((path) => offsetOf(path) === 800 * 1001), 5000);
    expect(paths.map(offsetOf)).toEqual(paths.map(() => 800 * 1001));
    expect([...delivered.keys()].sort()).toEqual([...all].sort());
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
  }, 20_000);

  it('with the MD5 computed elsewhere (md5Async), late and out of order, no aggregate goes out before its digest is in it', async () => {
    const delivered = new Map<string, number>();
    let digests = 0;
    // Each digest comes back after a delay that shrinks with every call: later aggregates' first.
    const md5Async = (data: Uint8Array) => {
      const delay = Math.max(0, 60 - 10 * digests++);
      const digest = createHash('md5').update(data).digest();
      return new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(digest), delay));
    };
    let badDigests = 0;
    const { flow, file } = await startFlow({ aggregation: 'kpl', maxRecordSizeBytes: 70 * 1024, maxBufferAgeMillis: 1000 }, async (entries) => entries.map((entry) => {
      let lines: string[];
      try {
        // The reference deaggregator throws on a digest that does not match.
        lines = userRecords(entry.data);
      } catch {
        // (The flow would send it again, digested by then: counted, not hidden by the retry.)
        badDigests += 1;
        return THROTTLED;
      }
      for (const line of lines) delivered.set(line, (delivered.get(line) ?? 0) + 1);
      return OK;
    }), { md5Async });
    // The file is tracked before lines come (one found later would be read from its end).
    await waitFor(() => flow.trackedFiles().length === 1, 3000);
    const lines = Array.from({ length: 800 }, (_, i) => lineOf(0, i));
    await appendFile(file, lines.join(''));
    const offset = () => flow.trackedFiles().find((tracked) => tracked.path === file)?.offset;
    await waitFor(() => offset() === 800 * 1001, 10_000);
    expect(offset()).toBe(800 * 1001);
    expect(digests).toBeGreaterThan(5);
    expect(badDigests).toBe(0);
    expect([...delivered.keys()].sort()).toEqual([...lines].sort());
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
  }, 20_000);
});

