import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileConverter } from '../../../../src/core/processing/compileChain.js';
import type { PutOutcome } from '../../../../src/core/send/RecordsTransport.js';
import type { ProcessingOption } from '../../../../src/shared/config/processingOptionSchema.js';
import { startFlow, waitFor } from '../../../support/flowHarness.js';

// Records of a flow without KPL, packing, multi-line or gzip travel as runs (RecordRun): one request
// entry and one acknowledgement ticket for consecutive lines of a file. These check what a run must
// keep of per-record sending: only failed records are resent, the checkpoint never passes a line
// that is not delivered, a rejected line is dead-lettered with its own offset, keys are per line.
const OK: PutOutcome = { ok: true };
const THROTTLED: PutOutcome = { ok: false, code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' };
const INVALID: PutOutcome = { ok: false, code: 'ValidationException', message: 'bad record' };
const lineOf = (i: number) => `line ${String(i).padStart(4, '0')}\n`;

describe('Flow: records sent as runs', () => {
  it('bytesSent counts the lines\' bytes, not the unused bytes that align a run\'s records', async () => {
    let received = 0;
    const { flow, file } = await startFlow({ maxBufferAgeMillis: 1000 }, async (entries) => entries.map((entry) => { received += entry.data.length; return OK; }));
    await waitFor(() => flow.trackedFiles().length === 1, 3000);
    // Lengths of every residue mod 3, so that most records of a run have unused bytes before them.
    const text = Array.from({ length: 300 }, (_, i) => `${'x'.repeat(i % 7)}${lineOf(i)}`).join('');
    await appendFile(file, text);
    await waitFor(() => flow.status().counters.recordsSent === 300, 5000);
    expect(received).toBe(text.length);
    expect(flow.status().counters.bytesSent).toBe(text.length);
  });

  it('a partial failure resends only the failed lines, and the checkpoint waits for them', async () => {
    const delivered: string[] = [];
    let failing = true;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const { flow, file } = await startFlow({ maxBufferAgeMillis: 1000, retryInitialBackoffMillis: 100 }, async (entries) => {
      const lines = entries.map((entry) => Buffer.from(entry.data).toString());
      if (failing) {
        failing = false;
        // Line 5 fails the first time; its retry is held until the test has looked at the checkpoint.
        const outcomes = lines.map((line) => (line === lineOf(5) ? THROTTLED : OK));
        for (const line of lines) if (line !== lineOf(5)) delivered.push(line);
        return outcomes;
      }
      if (lines.includes(lineOf(5))) await held;
      delivered.push(...lines);
      return lines.map(() => OK);
    });
    await new Promise((r) => setTimeout(r, 300));
    const text = Array.from({ length: 10 }, (_, i) => lineOf(i)).join('');
    await appendFile(file, text);
    await waitFor(() => delivered.length === 9, 3000);
    expect(delivered).toHaveLength(9);
    await new Promise((r) => setTimeout(r, 300));
    // Lines 0–4 and 6–9 are delivered, but the run's range is committed only with line 5.
    expect(flow.trackedFiles()[0]!.offset).toBe(0);
    release();
    await waitFor(() => delivered.length === 10, 3000);
    await waitFor(() => flow.trackedFiles()[0]!.offset === text.length, 2000);
    expect([...delivered].sort()).toEqual(Array.from({ length: 10 }, (_, i) => lineOf(i)));
    expect(flow.trackedFiles()[0]!.offset).toBe(text.length);
    expect(flow.status().counters.recordsSent).toBe(10);
  }, 10_000);

  it('a line of a run refused as invalid is dead-lettered with its own offset; the others are delivered once', async () => {
    const delivered: string[] = [];
    const { flow, file, deadLetter } = await startFlow({ maxBufferAgeMillis: 1000 }, async (entries) => {
      const lines = entries.map((entry) => Buffer.from(entry.data).toString());
      // Something was accepted before (a refusal of everything would be the configuration's fault).
      const outcomes = lines.map((line) => (line === lineOf(3) ? INVALID : OK));
      lines.forEach((line, i) => { if (outcomes[i]!.ok) delivered.push(line); });
      return outcomes;
    });
    await new Promise((r) => setTimeout(r, 300));
    const text = Array.from({ length: 8 }, (_, i) => lineOf(i)).join('');
    await appendFile(file, text);
    await waitFor(() => flow.trackedFiles()[0]?.offset === text.length, 4000);
    expect(flow.trackedFiles()[0]!.offset).toBe(text.length);
    expect(delivered).toEqual(Array.from({ length: 8 }, (_, i) => lineOf(i)).filter((line) => line !== lineOf(3)));
    const dead = readFileSync(deadLetter.path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { offset: number; file: string });
    expect(dead).toHaveLength(1);
    expect(dead[0]!.offset).toBe(3 * lineOf(0).length);
    expect(dead[0]!.file).toBe(file);
  }, 10_000);

  it('lines a FILTER drops inside a run are committed with it; RANDOM keys differ per line', async () => {
    const sent: { line: string; key: string }[] = [];
    const { flow, file } = await startFlow({ maxBufferAgeMillis: 1000, dataProcessingOptions: [{ optionName: 'FILTER', exclude: 'drop' }] }, async (entries) => {
      for (const entry of entries) sent.push({ line: Buffer.from(entry.data).toString(), key: entry.partitionKey });
      return entries.map(() => OK);
    });
    await new Promise((r) => setTimeout(r, 300));
    const text = 'keep 1\ndrop 2\nkeep 3\ndrop 4\n';
    await appendFile(file, text);
    await waitFor(() => flow.trackedFiles()[0]?.offset === text.length, 3000);
    expect(sent.map((s) => s.line)).toEqual(['keep 1\n', 'keep 3\n']);
    expect(sent[0]!.key).toMatch(/^\d+\.\d+$/);
    expect(sent[0]!.key).not.toBe(sent[1]!.key);
    expect(flow.trackedFiles()[0]!.offset).toBe(text.length);
    expect(flow.status().counters.skipped).toEqual({ filter: 2 });
  }, 10_000);

  it('a line too long for the record limit with its key goes alone, cut, after the lines before it', async () => {
    const sent: string[][] = [];
    const { flow, file } = await startFlow({ maxBufferAgeMillis: 1000, maxRecordSizeBytes: 1024 }, async (entries) => {
      sent.push(entries.map((entry) => Buffer.from(entry.data).toString()));
      return entries.map(() => OK);
    });
    await new Promise((r) => setTimeout(r, 300));
    const long = `${'x'.repeat(1500)}\n`;
    const text = `a\n${long}b\n`;
    await appendFile(file, text);
    await waitFor(() => flow.trackedFiles()[0]?.offset === text.length, 3000);
    const records = sent.flat();
    expect(records[0]).toBe('a\n');
    // Cut to the record limit less its RANDOM key's bytes (Java's truncation, reference §3.4).
    expect(records[1]!.length).toBeLessThanOrEqual(1024 - 3);
    expect(records[1]!.length).toBeGreaterThan(1024 - 20);
    expect(records[1]!.startsWith('xxx')).toBe(true);
    expect(records[2]).toBe('b\n');
    expect(flow.status().counters.recordsTruncated).toBe(1);
  }, 10_000);

  it('LOGTOJSON written straight into runs: the regex path\'s records, keys and skips, in file order', async () => {
    const option = { optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' };
    const sent: { line: string; key: string }[] = [];
    const { flow, file } = await startFlow({ maxBufferAgeMillis: 1000, maxRecordSizeBytes: 1024, partitionKeyOption: 'DETERMINISTIC', dataProcessingOptions: [option] }, async (entries) => {
      for (const entry of entries) sent.push({ line: Buffer.from(entry.data).toString(), key: entry.partitionKey });
      return entries.map(() => OK);
    });
    await new Promise((r) => setTimeout(r, 300));
    const apache = (request: string, agent = 'curl/8.5.0') => `10.0.0.1 - - [04/Dec/2026:15:01:27 +0000] "${request}" 200 512 "-" "${agent}"\n`;
    const lines = [
      apache('GET /a HTTP/1.1'),
      apache('GET /crlf HTTP/1.1').replace('\n', '\r\n'), // the regex skips it (`.` does not match CR)
      apache('GET /b HTTP/1.1', 'Mözilla/5.0'), // UTF-8: the writer declines, the regex path converts it
      'not an access log line\n',
      apache('GET /c\\d HTTP/1.1'),
      apache(`GET /${'p'.repeat(500)} HTTP/1.1`), // its worst case passes the limit, its JSON does not: sent whole
    ];
    const text = lines.join('');
    await appendFile(file, text);
    await waitFor(() => flow.trackedFiles()[0]?.offset === Buffer.byteLength(text), 3000);
    const regex = compileConverter(option as ProcessingOption, { hostname: 'h', now: Date.now, ec2Metadata: () => () => undefined, onEc2Unavailable: () => undefined });
    const expected = [lines[0]!, lines[2]!, lines[4]!, lines[5]!].map((line) => regex(line, { path: file, fingerprint: '', offset: 0 }) as string);
    expect(sent.map((s) => s.line)).toEqual(expected);
    expect(sent.map((s) => s.key)).toEqual(expected.map((json) => createHash('md5').update(json).digest('hex')));
    expect(flow.trackedFiles()[0]!.offset).toBe(Buffer.byteLength(text));
    expect(flow.status().counters.recordsProcessed).toBe(4);
    expect(flow.status().counters.skipped).toEqual({ logFormatMismatch: 2 });
  }, 10_000);
});
