import { appendFile, mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAgentConfig } from '../support/agentConfig.js';
import { spawnShardline } from '../support/agentProcess.js';
import { startFaultServer, type FaultServer } from '../support/faultServer.js';
import { monitorProcess } from '../support/processMonitor.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const MB = 1024 * 1024;

describe('scale (real CLI against a counting Kinesis endpoint)', () => {
  let sink: FaultServer | undefined;
  let dir: { path: string; cleanup: () => Promise<void> } | undefined;
  afterEach(async () => {
    await sink?.close();
    await dir?.cleanup();
  });

  it('1,000 files under a directory glob, 100 of them active: every line, descriptors under the cap, RSS under 150 MB', async () => {
    const seen = new Map<string, number>();
    sink = await startFaultServer(() => ({ kind: 'ok' }), { keep: false, onAccepted: (e) => { const k = e.data.toString('latin1'); seen.set(k, (seen.get(k) ?? 0) + 1); } });
    dir = await tempDir();
    const logs = join(dir.path, 'logs');
    const files: string[] = [];
    for (let d = 0; d < 50; d += 1) {
      await mkdir(join(logs, `host${d}`), { recursive: true });
      for (let f = 0; f < 20; f += 1) files.push(join(logs, `host${d}`, `svc${f}.log`));
    }
    let expected = 0;
    for (const [i, file] of files.entries()) {
      await writeFile(file, `file ${i} line 0\nfile ${i} line 1\n`);
      expected += 2;
    }
    const cap = 200;
    const config = await writeAgentConfig(dir.path, sink.endpoint, { filePattern: join(logs, '*', 'svc*.log'), kinesisStream: 'many' }, { maxOpenFiles: cap });
    const agent = spawnShardline(['run', '-c', config, '--data-dir', join(dir.path, 'data')]);
    const monitor = monitorProcess(agent.child.pid!, logs);
    await agent.waitForLog(/started with 1 flow/);
    // 100 active files: 20 rounds of appends, one line each, ~100 ms apart.
    for (let round = 2; round < 22; round += 1) {
      for (let i = 0; i < 1000; i += 10) await appendFile(files[i]!, `file ${i} line ${round}\n`);
      expected += 100;
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor(() => seen.size >= expected, 60_000, () => `${seen.size} of ${expected} lines`);
    const peak = await monitor.stop();
    expect(await agent.stop()).toBe(0);
    console.log(`1,000 files: ${expected} lines, peak RSS ${(peak.rssBytes / MB).toFixed(1)} MB, peak descriptors on log files ${peak.fdsUnder} (cap ${cap}), ${peak.samples} samples`);
    expect(seen.size).toBe(expected);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(peak.samples).toBeGreaterThan(10);
    expect(peak.fdsUnder).toBeLessThanOrEqual(cap);
    expect(peak.fdsUnder).toBeGreaterThan(0);
    expect(peak.rssBytes).toBeLessThan(150 * MB);
  });

  it('a 200 MB backlog read from the start: every line, RSS under 150 MB (memory does not grow with the backlog)', async () => {
    let lines = 0;
    let bytes = 0;
    const seq = new Uint8Array(210_000);
    sink = await startFaultServer(() => ({ kind: 'ok' }), { keep: false, onAccepted: (e) => {
      lines += 1;
      bytes += e.data.length;
      const n = Number(/^(\d+) /.exec(e.data.toString('latin1', 0, 12))?.[1] ?? -1);
      if (n >= 0 && n < seq.length) seq[n] = 1;
    } });
    dir = await tempDir();
    await mkdir(join(dir.path, 'logs'));
    const file = join(dir.path, 'logs', 'backlog.log');
    const handle = await open(file, 'w');
    const padding = 'b'.repeat(1000);
    let total = 0;
    let written = 0;
    while (written < 200 * MB) {
      let chunk = '';
      for (let i = 0; i < 1000; i += 1) chunk += `${total++} ${padding}\n`;
      await handle.write(chunk);
      written += Buffer.byteLength(chunk);
    }
    await handle.close();
    const config = await writeAgentConfig(dir.path, sink.endpoint, { filePattern: join(dir.path, 'logs', '*.log'), kinesisStream: 'backlog' });
    const agent = spawnShardline(['run', '-c', config, '--data-dir', join(dir.path, 'data')]);
    const monitor = monitorProcess(agent.child.pid!, join(dir.path, 'logs'));
    const started = Date.now();
    await waitFor(() => lines >= total, 240_000, () => `${lines} of ${total} lines`);
    const seconds = (Date.now() - started) / 1000;
    const peak = await monitor.stop();
    expect(await agent.stop()).toBe(0);
    console.log(`200 MB backlog: ${total} lines, ${(bytes / MB).toFixed(0)} MB in ${seconds.toFixed(1)} s, peak RSS ${(peak.rssBytes / MB).toFixed(1)} MB`);
    expect(lines).toBe(total);
    expect(seq.subarray(0, total).every((v) => v === 1)).toBe(true);
    expect(peak.rssBytes).toBeLessThan(150 * MB);
  }, 300_000);
});
