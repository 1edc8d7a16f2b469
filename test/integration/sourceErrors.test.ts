import { execFileSync, spawnSync } from 'node:child_process';
import { appendFile, chmod, chown, mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAgentConfig } from '../support/agentConfig.js';
import { spawnShardline } from '../support/agentProcess.js';
import { startFaultServer, type FaultServer } from '../support/faultServer.js';
import { numbered } from '../support/sourceHarness.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const NOBODY = { uid: 65534, gid: 65534 };
/** Mounting a tmpfs needs CAP_SYS_ADMIN: true as root on this machine and in CI. */
const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = `/tmp/shardline-mount-probe-${process.pid}`;
  spawnSync('mkdir', ['-p', probe]);
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
  if (ok) spawnSync('umount', [probe]);
  spawnSync('rmdir', [probe]);
  return ok;
})();

describe('errors reported, retried, and never stopping the rest of the flow (real CLI)', () => {
  let sink: FaultServer;
  let dir: { path: string; cleanup: () => Promise<void> };
  let mounted: string | undefined;
  const received = new Set<string>();
  afterEach(async () => {
    if (mounted !== undefined) spawnSync('umount', ['-l', mounted]);
    mounted = undefined;
    await sink.close();
    await dir.cleanup();
    received.clear();
  });

  async function setup(flow: Record<string, unknown> = {}, global: Record<string, unknown> = {}) {
    sink = await startFaultServer(() => ({ kind: 'ok' }), { keep: false, onAccepted: (e) => received.add(e.data.toString('utf8')) });
    dir = await tempDir();
    await chmod(dir.path, 0o755);
    const logs = join(dir.path, 'logs');
    await mkdir(logs, { mode: 0o755 });
    const config = await writeAgentConfig(dir.path, sink.endpoint, { filePattern: join(logs, '*.log'), kinesisStream: 'errors', ...flow }, global);
    await chmod(config, 0o644);
    return { logs, config, data: join(dir.path, 'data') };
  }
  const has = (text: string) => text.split(/(?<=\n)/).filter((l) => l !== '').every((l) => received.has(l));

  it('an unreadable file is reported in the log and the status, the other files keep flowing, and it is read once readable', async () => {
    const { logs, config, data } = await setup();
    await mkdir(data, { mode: 0o700 });
    await chown(data, NOBODY.uid, NOBODY.gid);
    await writeFile(join(logs, 'ok.log'), numbered('ok', 0, 20), { mode: 0o644 });
    await writeFile(join(logs, 'secret.log'), numbered('secret', 0, 20), { mode: 0o600 });
    const agent = spawnShardline(['run', '-c', config, '--data-dir', data], {}, NOBODY);
    await agent.waitForLog(/cannot open .*secret\.log \(permission denied\); will retry/);
    await waitFor(() => has(numbered('ok', 0, 20)), 20_000, 'ok.log');
    await agent.waitForLog(/Warnings: .*secret\.log: permission denied/);
    await appendFile(join(logs, 'ok.log'), numbered('ok', 20, 30));
    await waitFor(() => has(numbered('ok', 20, 30)), 20_000, 'more of ok.log');
    await chmod(join(logs, 'secret.log'), 0o644);
    await waitFor(() => has(numbered('secret', 0, 20)), 20_000, 'secret.log once readable');
    await agent.waitForLog(/secret\.log: readable now/);
    expect(await agent.stop()).toBe(0);
  });

  it.runIf(canMount)('a full disk under the checkpoints: shipping goes on, the error is in the log and status, checkpoints resume when space returns', async () => {
    const { logs, config, data } = await setup();
    await mkdir(data);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', data]);
    mounted = data;
    await writeFile(join(logs, 'app.log'), numbered('a', 0, 10));
    const agent = spawnShardline(['run', '-c', config, '--data-dir', data]);
    await waitFor(() => has(numbered('a', 0, 10)), 20_000, 'first lines');
    // Fill the filesystem.
    const filler = await open(join(data, 'filler'), 'w');
    const block = Buffer.alloc(4096, 1);
    try {
      for (;;) await filler.write(block);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    await filler.close();
    await appendFile(join(logs, 'app.log'), numbered('a', 10, 40));
    await agent.waitForLog(/cannot write checkpoints to .*checkpoints\.json \(.*no space left on device.*\); will retry/i);
    await waitFor(() => has(numbered('a', 10, 40)), 20_000, 'lines while the disk is full');
    await agent.waitForLog(/Warnings: cannot write checkpoints/);
    await rm(join(data, 'filler'));
    await agent.waitForLog(/checkpoints written to .* again/);
    expect(await agent.stop()).toBe(0);
    const doc = JSON.parse(await readFile(join(data, 'checkpoints.json'), 'utf8')) as { flows: Record<string, { files: Record<string, { offset: number }> }> };
    const offsets = Object.values(doc.flows).flatMap((f) => Object.values(f.files).map((e) => e.offset));
    expect(offsets).toContain(Buffer.byteLength(numbered('a', 0, 40)));
  });

  it('a corrupt checkpoint file is moved aside with an error and the agent starts (initialPosition applies)', async () => {
    const { logs, config, data } = await setup();
    await mkdir(data);
    await writeFile(join(data, 'checkpoints.json'), '{"version":1,"flows":{"trunc');
    await writeFile(join(logs, 'app.log'), numbered('c', 0, 5));
    const agent = spawnShardline(['run', '-c', config, '--data-dir', data]);
    await agent.waitForLog(/is not a valid checkpoint document .* moved it to .*checkpoints\.json\.corrupt-/);
    await waitFor(() => has(numbered('c', 0, 5)), 20_000, 'lines after the corrupt checkpoint');
    expect(await agent.stop()).toBe(0);
    const names = await readdir(data);
    expect(names.some((n) => n.startsWith('checkpoints.json.corrupt-'))).toBe(true);
    expect(JSON.parse(await readFile(join(data, 'checkpoints.json'), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('a checkpointFile that is the Java agent\'s SQLite database is never written', async () => {
    const javaDb = join(`/tmp`, `shardline-java-${process.pid}-checkpoints`);
    const bytes = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(100, 7)]);
    await writeFile(javaDb, bytes);
    try {
      const { logs, config, data } = await setup({}, { checkpointFile: javaDb });
      await writeFile(join(logs, 'app.log'), numbered('j', 0, 3));
      const agent = spawnShardline(['run', '-c', config, '--data-dir', data]);
      await agent.waitForLog(/names the Java agent's SQLite database; Shardline never writes it/);
      await waitFor(() => has(numbered('j', 0, 3)), 20_000, 'lines');
      expect(await agent.stop()).toBe(0);
      expect(await readFile(javaDb)).toEqual(bytes);
      expect(JSON.parse(await readFile(join(data, 'checkpoints.json'), 'utf8'))).toMatchObject({ version: 1 });
    } finally {
      await rm(javaDb, { force: true });
    }
  });

  it('checkpoints of vanished files expire after checkpointTimeToLiveDays; those of present files stay', async () => {
    const { logs, config, data } = await setup({}, { checkpointTimeToLiveDays: 7 });
    await mkdir(data);
    const flowKey = `kinesis:errors:${join(logs, '*.log')}`;
    const entry = (path: string, daysAgo: number) => ({ path, dev: '1', ino: String(1000 + daysAgo), fingerprint: '3:abc', offset: 3, size: 3, mtimeMs: 0, updatedAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString() });
    await writeFile(join(data, 'checkpoints.json'), JSON.stringify({ version: 1, flows: { [flowKey]: { files: { '1:1030': entry('/gone/old.log', 30), '1:1001': entry('/gone/recent.log', 1) } } } }));
    await writeFile(join(logs, 'here.log'), numbered('h', 0, 3));
    const agent = spawnShardline(['run', '-c', config, '--data-dir', data]);
    await agent.waitForLog(/forgot the checkpoint of \/gone\/old\.log/);
    await waitFor(() => has(numbered('h', 0, 3)), 20_000, 'lines');
    expect(await agent.stop()).toBe(0);
    const doc = JSON.parse(await readFile(join(data, 'checkpoints.json'), 'utf8')) as { flows: Record<string, { files: Record<string, { path: string }> }> };
    const paths = Object.values(doc.flows[flowKey]?.files ?? {}).map((f) => f.path).sort();
    expect(paths).toEqual(['/gone/recent.log', join(logs, 'here.log')].sort());
  });
});
