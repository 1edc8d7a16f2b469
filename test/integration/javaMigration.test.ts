import { createHash } from 'node:crypto';
import { appendFile, chmod, chown, mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { writeAgentConfig } from '../support/agentConfig.js';
import { spawnShardline, type AgentProcess } from '../support/agentProcess.js';
import { javaFileId, javaRowFor, javaTimestamp, writeJavaCheckpointDb } from '../support/javaCheckpointDb.js';
import { duplicates, multiset, readRecords } from '../support/streamRecords.js';
import { tempDir } from '../support/tempDir.js';

const NOBODY = { uid: 65534, gid: 65534 };

const lines = (name: string, from: number, to: number): Buffer[] =>
  Array.from({ length: to - from }, (_, k) => Buffer.from(`${name} ${from + k} ${'x'.repeat((from + k) % 40)}\n`));
const bytes = (list: Buffer[]) => Buffer.concat(list);
const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** Runs a non-`run` command to its end; resolves with its exit code and output. */
async function command(args: string[], asUser?: { uid: number; gid: number }): Promise<{ code: number | string; out: string[]; err: string[] }> {
  const child: AgentProcess = spawnShardline(args, {}, asUser);
  const code = await child.exited;
  await new Promise((r) => setImmediate(r));
  return { code, out: child.lines, err: child.stderr };
}

describe('migration from the Java agent: its SQLite checkpoints are imported once, read-only', () => {
  let kinesis: LocalKinesis;
  let dir: { path: string; cleanup: () => Promise<void> };
  let streams = 0;

  beforeAll(async () => {
    kinesis = await startKinesalite();
    dir = await tempDir();
    await chmod(dir.path, 0o755);
  });
  afterAll(async () => {
    await kinesis.close();
    await dir.cleanup();
  });

  /**
   * The Java agent tailed logs/app.log and checkpointed it at the end of line 120; then, while no
   * agent ran, logrotate renamed it app.log.1 and a new app.log was started. app.log.2 is an
   * earlier rotation the Java agent had finished. Its database also holds an older row of the flow
   * (pointing at app.log.2) and a row of a flow that is no longer configured.
   */
  async function setup(name: string, javaDirName = 'java') {
    const stream = `${name}-${(streams += 1)}`;
    await kinesis.createStream(stream, 2);
    const base = join(dir.path, stream);
    const logs = join(base, 'logs');
    await mkdir(logs, { recursive: true, mode: 0o755 });
    await chmod(base, 0o755);
    const files = { older: join(logs, 'app.log.2'), current: join(logs, 'app.log.1'), newer: join(logs, 'app.log') };
    const content = { older: lines('older', 0, 150), current: lines('current', 0, 200), newer: lines('newer', 0, 50) };
    for (const key of ['older', 'current', 'newer'] as const) await writeFile(files[key], bytes(content[key]), { mode: 0o644 });
    const now = Date.now() / 1000;
    await utimes(files.older, now - 300, now - 300);
    await utimes(files.current, now - 200, now - 200);
    await utimes(files.newer, now - 100, now - 100);

    const pattern = join(logs, 'app.log*');
    const flow = `kinesis:${stream}:${pattern}`;
    const offset = bytes(content.current.slice(0, 121)).length;
    const javaDir = join(base, javaDirName);
    await mkdir(javaDir, { mode: 0o755 });
    const javaDb = join(javaDir, 'checkpoints');
    const checkpointedAt = new Date(Date.now() - 150_000);
    await writeJavaCheckpointDb(javaDb, [
      // The newest row: written under the file's name at the time (app.log), before the rename.
      { ...(await javaRowFor(flow, files.current, offset, checkpointedAt)), path: files.newer },
      // Older rows must be ignored (Java loads `order by lastUpdated desc limit 1`).
      await javaRowFor(flow, files.older, 0, new Date(checkpointedAt.getTime() - 86_400_000)),
      { flow: 'kinesis:retired:/var/log/retired.log', path: '/var/log/retired.log', fileId: await javaFileId(files.older), lastModifiedTime: 0, size: 10, offset: 5, lastUpdated: javaTimestamp(checkpointedAt) },
    ]);
    const config = await writeAgentConfig(base, kinesis.endpoint, { filePattern: pattern, kinesisStream: stream, maxBufferSizeRecords: 50 }, { checkpointFile: javaDb });
    await chmod(config, 0o644);
    const data = join(base, 'data');
    return {
      stream, files, content, offset, javaDb, javaDir, config, data, flow,
      run: () => spawnShardline(['run', '-c', config, '--data-dir', data]),
      // What the Java agent had not sent yet: the rest of its file, then the newer file; never app.log.2.
      expected: [...content.current.slice(121), ...content.newer],
    };
  }

  /** Every record of the stream once `count` arrived, and proof that no more arrive. */
  async function exactly(stream: string, count: number): Promise<Buffer[]> {
    const records = await readRecords(kinesis, stream, count);
    expect(records.length).toBe(count);
    const settled = await readRecords(kinesis, stream, count + 1, 2500);
    expect(settled.length).toBe(count);
    return settled;
  }

  it('run: resumes the checkpointed file (renamed) at its offset, reads the newer file from 0, skips the older; the Java database is unchanged; a restart does not import again', async () => {
    const setupResult = await setup('run');
    const { stream, files, javaDb, javaDir, run, data, flow } = setupResult;
    const expected = [...setupResult.expected];
    const hash = await sha256(javaDb);

    const first = run();
    const imported = await first.waitForLog(/imported the Java agent's checkpoint of/);
    expect(JSON.parse(imported)).toMatchObject({ flow, file: files.current, offset: setupResult.offset, newerFiles: [files.newer], olderFiles: [files.older] });
    await first.waitForLog(/imported the Java agent's checkpoints from .*: 1 flow\(s\) imported, 3 row\(s\) of 2 Java flow\(s\) read/);
    await first.waitForLog(/Java agent checkpoints of flows not in this configuration, not imported: kinesis:retired:\/var\/log\/retired\.log/);
    await first.waitForLog(/started with 1 flow/);
    // Written while running: nothing after the offset is skipped either.
    const more = lines('newer', 50, 60);
    await appendFile(files.newer, bytes(more));
    expected.push(...more);

    const records = await exactly(stream, expected.length);
    expect(multiset(records)).toEqual(multiset(expected));
    expect(duplicates(records).size).toBe(0);
    expect(await first.stop()).toBe(0);

    const doc = JSON.parse(await readFile(join(data, 'checkpoints.json'), 'utf8')) as { imported?: { javaSqlite?: { path: string; flows: number } } };
    expect(doc.imported?.javaSqlite).toMatchObject({ path: javaDb, flows: 1 });
    expect(await sha256(javaDb)).toBe(hash);
    expect(await readdir(javaDir)).toEqual(['checkpoints']);

    // A restart continues from Shardline's own checkpoints: no import, nothing resent.
    const second = run();
    await second.waitForLog(/started with 1 flow/);
    const after = lines('newer', 60, 70);
    await appendFile(files.newer, bytes(after));
    expected.push(...after);
    const again = await exactly(stream, expected.length);
    expect(multiset(again)).toEqual(multiset(expected));
    expect(await second.stop()).toBe(0);
    expect(second.lines.some((l) => l.includes('imported the Java agent'))).toBe(false);
    expect(await sha256(javaDb)).toBe(hash);
  });

  it('migrate --dry-run reports per flow and writes nothing; migrate imports (exit 3 while an agent holds the data dir); run then continues from there', async () => {
    const { files, content, offset, javaDb, config, data, run, expected, flow, stream } = await setup('migrate');
    const hash = await sha256(javaDb);

    const dry = await command(['migrate', '-c', config, '--data-dir', data, '--dry-run']);
    expect(dry.code).toBe(0);
    const currentSize = bytes(content.current).length;
    expect(dry.out).toEqual([
      `Java agent checkpoints: ${javaDb} (3 row(s) of 2 flow(s))`,
      `Shardline checkpoints: ${join(data, 'checkpoints.json')}`,
      flow,
      `  Java checkpoint: ${files.newer} ${await javaFileId(files.current)} at offset ${offset}, updated ${dry.out[3]?.match(/updated (.*) UTC$/)?.[1] ?? '?'} UTC`,
      `  resume: ${files.current} at offset ${offset} of ${currentSize} bytes (${currentSize - offset} to send)`,
      `  newer files, read from the start: ${files.newer} (${bytes(content.newer).length} bytes)`,
      `  older files, treated as sent: ${files.older} (${bytes(content.older).length} bytes)`,
      'Java checkpoints of flows not in this configuration (not imported):',
      '  kinesis:retired:/var/log/retired.log: /var/log/retired.log at offset 5',
      `dry run: would import 1 flow(s) into ${join(data, 'checkpoints.json')}; nothing written`,
    ]);
    expect(dry.out[3]).toMatch(/updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC$/);
    await expect(readdir(data)).rejects.toThrow(/ENOENT/);

    const migrated = await command(['migrate', '-c', config, '--data-dir', data]);
    expect(migrated.code).toBe(0);
    expect(migrated.out.at(-1)).toBe(`imported 1 flow(s) into ${join(data, 'checkpoints.json')}; ${javaDb} was only read. \`shardline run\` continues from here and will not import again.`);
    const doc = JSON.parse(await readFile(join(data, 'checkpoints.json'), 'utf8')) as { flows: Record<string, { files: Record<string, { path: string; offset: number }> }> };
    expect(Object.values(Object.values(doc.flows)[0]?.files ?? {}).map((e) => [e.path, e.offset])).toEqual([[files.current, offset], [files.older, bytes(content.older).length]]);

    const agent = run();
    await agent.waitForLog(/started with 1 flow/);
    const locked = await command(['migrate', '-c', config, '--data-dir', data]);
    expect(locked.code).toBe(3);
    expect(locked.err.join('\n')).toMatch(/data dir is in use by another Shardline agent/);
    const records = await exactly(stream, expected.length);
    expect(multiset(records)).toEqual(multiset(expected));
    expect(await agent.stop()).toBe(0);
    expect(agent.lines.some((l) => l.includes('imported the Java agent'))).toBe(false);

    const twice = await command(['migrate', '-c', config, '--data-dir', data, '--dry-run']);
    expect(twice.code).toBe(0);
    expect(twice.out).toEqual([expect.stringMatching(/^already imported: the Java agent's checkpoints were imported from .* \(1 flow\(s\)\); nothing to do$/)]);
    expect(await sha256(javaDb)).toBe(hash);
  });

  it('migrate: exit 2 for a bad config', async () => {
    const bad = join(dir.path, 'bad.json');
    await writeFile(bad, JSON.stringify({ flows: [{ filePattern: '/var/log/x.log', kinesisStream: 's', maxBufferSizeRecords: 900 }] }));
    const result = await command(['migrate', '-c', bad, '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toContain('flows[0].maxBufferSizeRecords: must be 1..500, got 900');
  });

  it('a Java database the agent cannot read: an error naming it, and the agent still starts (initialPosition); migrate exits 1', async () => {
    // Unreadable, it can only be recognised by its path: the Java agent's own directory name.
    const { javaDb, config, data, stream, content } = await setup('unreadable', 'aws-kinesis-agent');
    await chmod(javaDb, 0o600);
    await mkdir(data, { mode: 0o700 });
    await chown(data, NOBODY.uid, NOBODY.gid);

    const dry = await command(['migrate', '-c', config, '--data-dir', data, '--dry-run'], NOBODY);
    expect(dry.code).toBe(1);
    expect(dry.err).toEqual([`cannot read the Java agent's checkpoint database ${javaDb}: permission denied`]);

    const agent = spawnShardline(['run', '-c', config, '--data-dir', data], {}, NOBODY);
    const error = await agent.waitForLog(/cannot read the Java agent's checkpoint database/);
    expect(JSON.parse(error)).toMatchObject({ level: 50, msg: `cannot read the Java agent's checkpoint database ${javaDb}: permission denied; nothing imported, flows start from Shardline's checkpoints or initialPosition` });
    await agent.waitForLog(/started with 1 flow/);
    // initialPosition START_OF_FILE (the test config's): every matching file from its start.
    const all = [...content.older, ...content.current, ...content.newer];
    const records = await exactly(stream, all.length);
    expect(multiset(records)).toEqual(multiset(all));
    expect(await agent.stop()).toBe(0);
  });
});
