import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterEach } from 'vitest';
import { AimdLimiter } from '../../src/core/send/AimdLimiter.js';
import { expandRuns } from '../../src/core/send/RecordRun.js';
import type { PutEntry, PutOutcome } from '../../src/core/send/RecordsTransport.js';
import { SendSlots } from '../../src/core/send/SendSlots.js';
import { Flow, type FlowDeps } from '../../src/node/agent/Flow.js';
import { CheckpointStore } from '../../src/node/checkpoint/CheckpointStore.js';
import { DeadLetterFile } from '../../src/node/processing/DeadLetterFile.js';
import { OpenFileBudget } from '../../src/node/source/OpenFileBudget.js';
import { flowSchema } from '../../src/shared/config/flowSchema.js';

/**
 * One real Flow tailing a real file in a temporary directory, its requests answered by `put` (a
 * fake destination): for Flow's unit tests. Stopped and removed after each test.
 */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

export async function startFlow(flowJson: Record<string, unknown>, put: (entries: readonly PutEntry[]) => Promise<PutOutcome[]>, deps: Partial<FlowDeps> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'shardline-flow-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'logs'));
  const file = join(dir, 'logs', 'app.log');
  await writeFile(file, '');
  const config = flowSchema.parse({ filePattern: join(dir, 'logs', '*.log'), kinesisStream: 's', ...flowJson });
  const store = await CheckpointStore.open(join(dir, 'checkpoints.json'));
  const deadLetter = DeadLetterFile.forFlow(dir, 'f', () => undefined);
  const flow = new Flow(config, {
    logger: pino({ level: 'silent' }), store, openFiles: new OpenFileBudget(64), maxHeldFileBytes: 1024 ** 3, checkpointTtlDays: 7,
    agentWarnings: () => [], chainDeps: { hostname: 'h', now: Date.now, ec2Metadata: () => () => undefined, onEc2Unavailable: () => undefined },
    deadLetter, keepSkippedRecords: false, prepareChain: async () => undefined,
    // Runs (RecordRun) reach these fakes as one entry per record, as a request carries them.
    transport: { put: (entries) => put(expandRuns(entries)) }, limiter: new AimdLimiter(4), slots: new SendSlots(4), fatalRetryMaxMillis: 1000,
    gzip: (d) => gzipSync(d), md5: (d) => createHash('md5').update(d).digest(),
    schedule: (ms, cb) => { const t = setTimeout(cb, ms); return () => clearTimeout(t); },
    now: Date.now, random: Math.random, md5Hex: (d) => createHash('md5').update(d).digest('hex'),
    ...deps,
  });
  flow.start();
  cleanups.push(() => flow.stop(1000));
  return { flow, file, deadLetter };
}

/** Polls `done` every 20 ms for up to `millis`. */
export async function waitFor(done: () => boolean, millis: number): Promise<void> {
  const deadline = Date.now() + millis;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}
