import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { writeAgentConfig } from '../support/agentConfig.js';
import { spawnShardline } from '../support/agentProcess.js';
import { duplicates, multiset, readRecords } from '../support/streamRecords.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

/** Line i: CRLF, empty, non-ASCII, invalid UTF-8 and control bytes among plain lines. */
function line(i: number): Buffer {
  switch (i % 10) {
    case 0: return Buffer.from(`line ${i} ends with CRLF\r\n`);
    case 3: return Buffer.from('\n');
    case 5: return Buffer.from(`línea ${i} 日本語 🚀 "quoted" \\ tab\there\n`);
    case 7: return Buffer.concat([Buffer.from(`binary ${i} `), Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0xc3]), Buffer.from('\n')]);
    default: return Buffer.from(`line ${i} ${'x'.repeat(i % 300)}\n`);
  }
}

/** Appends lines 0..total-1 in ticks; remembers each line's start offset. */
function startWriter(file: string, total: number, perTick: number, tickMillis: number) {
  const offsets: { line: Buffer; offset: number }[] = [];
  let offset = 0;
  let written = 0;
  const done = (async () => {
    while (written < total) {
      const batch: Buffer[] = [];
      for (let n = 0; n < perTick && written < total; n += 1, written += 1) {
        const l = line(written);
        offsets.push({ line: l, offset });
        offset += l.length;
        batch.push(l);
      }
      await appendFile(file, Buffer.concat(batch));
      await new Promise((r) => setTimeout(r, tickMillis));
    }
  })();
  return { offsets, done, get written() { return written; } };
}

/** Records the agent reported as sent in its last progress line. */
function sentBy(lines: string[]): number {
  const last = lines.filter((l) => l.includes('Tailer Progress')).at(-1);
  return last === undefined ? 0 : (JSON.parse(last) as { counters: { recordsSent: number } }).counters.recordsSent;
}

const TOTAL = 12_000;

/** The offset of the (single) file in the agent's checkpoint document, 0 if none yet. */
async function checkpointedOffset(dataDir: string): Promise<number> {
  try {
    const doc = JSON.parse(await readFile(join(dataDir, 'checkpoints.json'), 'utf8')) as { flows: Record<string, { files: Record<string, { offset: number }> }> };
    return Object.values(Object.values(doc.flows)[0]?.files ?? {})[0]?.offset ?? 0;
  } catch {
    return 0;
  }
}

describe('end to end: file → shardline run → Kinesis (kinesalite, 2 shards)', () => {
  let kinesis: LocalKinesis;
  let dir: { path: string; cleanup: () => Promise<void> };
  let stream = 0;

  beforeAll(async () => {
    kinesis = await startKinesalite();
    dir = await tempDir();
  });
  afterAll(async () => {
    await kinesis.close();
    await dir.cleanup();
  });

  async function setup(name: string) {
    const streamName = `${name}-${(stream += 1)}`;
    await kinesis.createStream(streamName, 2);
    const base = join(dir.path, streamName);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(base, 'logs'), { recursive: true });
    const file = join(base, 'logs', 'app.log');
    await writeFile(file, '');
    const config = await writeAgentConfig(base, kinesis.endpoint, { filePattern: join(base, 'logs', '*.log'), kinesisStream: streamName, maxBufferSizeRecords: 200 });
    const run = () => spawnShardline(['run', '-c', config, '--data-dir', join(base, 'data')]);
    return { streamName, file, run, dataDir: join(base, 'data') };
  }

  it('delivers 10,000 lines byte for byte: CRLF, empty, non-ASCII, invalid UTF-8, a partial line completed later', async () => {
    const { streamName, file, run } = await setup('e2e');
    const agent = run();
    await agent.waitForLog(/started with 1 flow/);
    const expected: Buffer[] = [];
    for (let i = 0; i < 9_999; i += 500) {
      const chunk = Array.from({ length: Math.min(500, 9_999 - i) }, (_, k) => line(i + k));
      expected.push(...chunk);
      await appendFile(file, Buffer.concat(chunk));
    }
    await appendFile(file, 'the partial line, ');
    await new Promise((r) => setTimeout(r, 700));
    await appendFile(file, 'completed later\n');
    expected.push(Buffer.from('the partial line, completed later\n'));

    const records = await readRecords(kinesis, streamName, expected.length);
    expect(records.length).toBe(10_000);
    expect(multiset(records)).toEqual(multiset(expected));
    expect(await agent.stop()).toBe(0);
    expect(agent.lines.some((l) => l.includes('Shut down completed'))).toBe(true);
  });

  it('SIGTERM while lines are being written, more lines appended, restart: nothing missing, nothing duplicated', async () => {
    const { streamName, file, run } = await setup('sigterm');
    const writer = startWriter(file, TOTAL, 100, 30);
    const first = run();
    await first.waitForLog(/started with 1 flow/);
    await waitFor(() => sentBy(first.lines) > 0);
    expect(writer.written).toBeLessThan(TOTAL); // really halfway: the writer goes on while the agent is down
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(sentBy(first.lines)).toBeLessThan(TOTAL);
    await writer.done;
    const second = run();
    const records = await readRecords(kinesis, streamName, TOTAL);
    await new Promise((r) => setTimeout(r, 1500));
    records.push(...(await readRecords(kinesis, streamName, 0, 0)).slice(records.length));
    expect(duplicates(records)).toEqual(duplicates(writer.offsets.map((o) => o.line)));
    expect(multiset(records)).toEqual(multiset(writer.offsets.map((o) => o.line)));
    expect(await second.stop()).toBe(0);
  });

  it('kill -9 while lines are being written, restart: nothing missing; duplicates only from the window after the last checkpoint', async () => {
    const { streamName, file, run, dataDir } = await setup('sigkill');
    const writer = startWriter(file, TOTAL, 100, 30);
    const first = run();
    await first.waitForLog(/started with 1 flow/);
    await waitFor(async () => (await checkpointedOffset(dataDir)) > 0);
    expect(writer.written).toBeLessThan(TOTAL);
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    const checkpointed = await checkpointedOffset(dataDir);
    await writer.done;

    const second = run();
    await second.waitForLog(/taking over the data dir lock/);
    const expected = writer.offsets.map((o) => o.line);
    const records = await readRecords(kinesis, streamName, TOTAL + 1_000, 20_000);
    const got = new Set(records.map((r) => r.toString('latin1')));
    expect(expected.filter((l) => !got.has(l.toString('latin1')))).toEqual([]);

    // Every extra copy of a line must come from the window after the checkpoint persisted before
    // the kill, and each line of that window is sent at most once more.
    const received = new Map<string, number>();
    for (const r of records) received.set(r.toString('latin1'), (received.get(r.toString('latin1')) ?? 0) + 1);
    const written = new Map<string, number>();
    const inWindow = new Map<string, number>();
    for (const { line: l, offset } of writer.offsets) {
      const text = l.toString('latin1');
      written.set(text, (written.get(text) ?? 0) + 1);
      if (offset >= checkpointed) inWindow.set(text, (inWindow.get(text) ?? 0) + 1);
    }
    for (const [text, count] of received) {
      const extra = count - (written.get(text) ?? 0);
      expect(extra, JSON.stringify(text)).toBeLessThanOrEqual(inWindow.get(text) ?? 0);
    }
    expect(checkpointed).toBeGreaterThan(0);
    expect(await second.stop()).toBe(0);
  });
});
