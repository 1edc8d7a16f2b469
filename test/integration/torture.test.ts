import { fork, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamReader } from '../../src/node/demo/StreamReader.js';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { writeAgentConfig } from '../support/agentConfig.js';
import { spawnShardline, type AgentProcess } from '../support/agentProcess.js';
import { tempDir } from '../support/tempDir.js';

const WRITER = fileURLToPath(new URL('../support/tortureWriter.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends a command to the writer and waits for its answer. */
function command(writer: ChildProcess, message: Record<string, unknown>): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    writer.once('message', (reply) => resolve(reply as Record<string, number>));
    writer.send(message);
  });
}

describe('torture: rotations of every kind and kill -9 restarts while a writer appends 2,000 lines/s', () => {
  let kinesis: LocalKinesis;
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    kinesis = await startKinesalite();
    await kinesis.createStream('torture', 2);
    dir = await tempDir();
  });
  afterAll(async () => {
    await kinesis.close();
    await dir.cleanup();
  });

  it.each([
    { name: 'with three kill -9 restarts: nothing lost, duplicates only from the kill windows', kills: [4500, 10500, 13500], stream: 'torture-kills' },
    { name: 'without kills: nothing lost and nothing duplicated', kills: [] as number[], stream: 'torture-clean' },
  ])('$name', async ({ kills, stream }) => {
    await kinesis.createStream(stream, 2);
    const base = join(dir.path, stream);
    const logs = join(base, 'logs');
    await mkdir(logs, { recursive: true });
    const config = await writeAgentConfig(base, kinesis.endpoint, { filePattern: join(logs, 'app.log*'), kinesisStream: stream, maxBufferAgeMillis: 1000 });
    const run = () => spawnShardline(['run', '-c', config, '--data-dir', join(base, 'data')]);
    const writer = fork(WRITER, [logs, '2000'], { stdio: 'ignore' });
    await sleep(100);

    let agent: AgentProcess = run();
    let upSince = Date.now();
    const copytruncates = [3000, 9000];
    const started = Date.now();
    const kinds = { rename: 0, renameDelete: 0, copytruncate: 0, kill: 0 };
    for (let t = 500; t <= 16000; t += 500) {
      await sleep(Math.max(0, started + t - Date.now()));
      if (kills.includes(t)) {
        expect(await agent.stop('SIGKILL')).toBe('SIGKILL');
        kinds.kill += 1;
        await sleep(1000);
        agent = run();
        upSince = Date.now();
        continue;
      }
      if (copytruncates.includes(t)) {
        await command(writer, { op: 'copytruncate' });
        kinds.copytruncate += 1;
        continue;
      }
      // A rotated file is deleted right away only while the agent has been up long enough to have
      // it open, and not just before a kill: a file deleted while no one holds it open is gone.
      const nextKill = kills.find((k) => k > t) ?? Infinity;
      const safe = Date.now() - upSince > 1500 && nextKill - t > 1500;
      const deleteIt = safe && (t / 500) % 2 === 0;
      await command(writer, { op: 'rename', delete: deleteIt });
      if (deleteIt) kinds.renameDelete += 1;
      else kinds.rename += 1;
    }
    const { total = 0 } = await command(writer, { op: 'stop' });

    const reader = new StreamReader(kinesis.client, stream);
    const counts = new Uint32Array(total);
    let missing = total;
    const deadline = Date.now() + 60_000;
    while (missing > 0 && Date.now() < deadline) {
      for (const record of await reader.poll()) {
        const seq = Number(/^n=(\d+) /.exec(Buffer.from(record).toString('latin1'))?.[1] ?? -1);
        if (seq < 0 || seq >= total) continue;
        if (counts[seq] === 0) missing -= 1;
        counts[seq] = (counts[seq] ?? 0) + 1;
      }
      if (missing > 0) await sleep(500);
    }
    await sleep(1000);
    for (const record of await reader.poll()) {
      const seq = Number(/^n=(\d+) /.exec(Buffer.from(record).toString('latin1'))?.[1] ?? -1);
      if (seq >= 0 && seq < total) counts[seq] = (counts[seq] ?? 0) + 1;
    }
    expect(await agent.stop('SIGTERM')).toBe(0);

    const lost = counts.filter((c) => c === 0).length;
    const duplicates = counts.reduce((sum, c) => sum + Math.max(0, c - 1), 0);
    console.log(`torture (${stream}): ${total} lines written; ${JSON.stringify(kinds)}; lost ${lost}, duplicates ${duplicates}`);
    const firstLost = [...counts.keys()].filter((i) => counts[i] === 0).slice(0, 10);
    expect({ lost, firstLost }).toEqual({ lost: 0, firstLost: [] });
    expect(total).toBeGreaterThan(25_000);
    expect(kinds.kill).toBe(kills.length);
    expect(kinds.copytruncate).toBe(2);
    expect(kinds.renameDelete).toBeGreaterThan(0);
    if (kills.length === 0) expect(duplicates).toBe(0);
  }, 180_000);
});
