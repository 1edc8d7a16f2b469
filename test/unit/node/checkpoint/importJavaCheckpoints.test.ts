import { createHash } from 'node:crypto';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../src/core/config/validateConfig.js';
import { CheckpointStore } from '../../../../src/node/checkpoint/CheckpointStore.js';
import { importJavaCheckpoints, javaCheckpointSource } from '../../../../src/node/checkpoint/importJavaCheckpoints.js';
import { fingerprintOfBytes } from '../../../../src/node/source/fileIdentity.js';
import type { FlowConfig } from '../../../../src/shared/config/flowSchema.js';
import { javaRowFor, writeJavaCheckpointDb } from '../../../support/javaCheckpointDb.js';
import { tempDir } from '../../../support/tempDir.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => { dir = await tempDir('shardline-javaimport-'); });
afterEach(async () => { await dir.cleanup(); });

const NOW = new Date('2024-06-01T00:00:00.000Z');

function flowsOf(flows: Record<string, unknown>[]): FlowConfig[] {
  const result = validateConfig({ path: join(dir.path, 'agent.json'), text: JSON.stringify({ flows }) });
  if (result.config === undefined) throw new Error(JSON.stringify(result.problems));
  return result.config.flows;
}

interface LogLine { level: number; msg: string; [key: string]: unknown }

function capture() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => { lines.push(JSON.parse(line) as LogLine); } });
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => lines.filter((l) => l.level === { debug: 20, info: 30, warn: 40, error: 50 }[level]).map((l) => l.msg);
  return { logger, lines, at };
}

/** logs/app.log.2 (older), logs/app.log.1 (the Java agent's file, renamed by rotation), logs/app.log (newer). */
async function rotatedLogs() {
  const logs = join(dir.path, 'logs');
  await mkdir(logs);
  const files = { older: join(logs, 'app.log.2'), current: join(logs, 'app.log.1'), newer: join(logs, 'app.log') };
  await writeFile(files.older, 'old 1\nold 2\n');
  await writeFile(files.current, 'cur 1\ncur 2\ncur 3\n');
  await writeFile(files.newer, 'new 1\n');
  await utimes(files.older, 1000, 1000);
  await utimes(files.current, 2000, 2000);
  await utimes(files.newer, 3000, 3000);
  return { pattern: join(logs, 'app.log*'), files };
}

describe('importJavaCheckpoints (at agent start)', () => {
  it('imports each flow once: resume at the offset, older files as sent, newer ones left to be read from 0; logged per flow and in a summary', async () => {
    const { pattern, files } = await rotatedLogs();
    const [flow] = flowsOf([{ filePattern: pattern, kinesisStream: 'app' }]);
    const db = join(dir.path, 'checkpoints');
    // The Java agent read app.log up to "cur 1\n", then logrotate renamed it to app.log.1.
    await writeJavaCheckpointDb(db, [{ ...(await javaRowFor(`kinesis:app:${pattern}`, files.current, 6, NOW)), path: files.newer }]);
    const dbHash = createHash('sha256').update(await readFile(db)).digest('hex');
    const store = await CheckpointStore.open(join(dir.path, 'data', 'checkpoints.json'));
    const log = capture();
    await importJavaCheckpoints({ flows: [flow!], checkpointFile: db, store, logger: log.logger, now: () => NOW });

    const entries = Object.values(store.flow(flow!.key)?.files ?? {});
    expect(entries.map((e) => [e.path, e.offset, e.size, e.fingerprint])).toEqual([
      [files.current, 6, 18, fingerprintOfBytes(Buffer.from('cur 1\ncur 2\ncur 3\n'))],
      [files.older, 12, 12, fingerprintOfBytes(Buffer.from('old 1\nold 2\n'))],
    ]);
    expect(store.javaImport).toEqual({ path: db, importedAt: NOW.toISOString(), flows: 1 });
    // Written at once, not at the first checkpoint interval.
    const onDisk = JSON.parse(await readFile(store.file, 'utf8')) as { imported: unknown; flows: Record<string, unknown> };
    expect(onDisk.imported).toEqual({ javaSqlite: { path: db, importedAt: NOW.toISOString(), flows: 1 } });
    expect(Object.keys(onDisk.flows)).toEqual([flow!.key]);
    expect(log.at('info')).toEqual([
      `imported the Java agent's checkpoint of kinesis:app:${pattern}: ${files.current} resumes at offset 6; 1 newer file(s) read from the start, 1 older file(s) treated as sent`,
      `imported the Java agent's checkpoints from ${db} (read-only): 1 flow(s) imported, 1 row(s) of 1 Java flow(s) read`,
    ]);
    expect(log.lines.find((l) => l.msg.startsWith('imported the Java agent\'s checkpoint of'))).toMatchObject({ file: files.current, offset: 6, newerFiles: [files.newer], olderFiles: [files.older] });
    expect(createHash('sha256').update(await readFile(db)).digest('hex')).toBe(dbHash);

    // Once: a restart (even with a newer Java row) imports nothing.
    await writeJavaCheckpointDb(db, [await javaRowFor(`kinesis:app:${pattern}`, files.current, 12, new Date(NOW.getTime() + 1000))]);
    store.remove(flow!.key, `${entries[0]!.dev}:${entries[0]!.ino}`);
    const again = capture();
    const reopened = await CheckpointStore.open(store.file);
    await importJavaCheckpoints({ flows: [flow!], checkpointFile: db, store: reopened, logger: again.logger, now: () => NOW });
    expect(reopened.flow(flow!.key)?.files[`${entries[0]!.dev}:${entries[0]!.ino}`]?.offset).toBe(6);
    expect(again.at('info')).toEqual([]);
    expect(again.at('debug')).toEqual([`the Java agent's checkpoints were imported from ${db} at ${NOW.toISOString()}; not again`]);
  });

  it('keeps Shardline\'s own checkpoints of a flow and imports the others; lists Java flows not configured', async () => {
    const { pattern, files } = await rotatedLogs();
    const other = join(dir.path, 'other.log');
    await writeFile(other, 'x\ny\n');
    const [mine, theirs] = flowsOf([{ filePattern: pattern, kinesisStream: 'app' }, { filePattern: other, deliveryStream: 'd' }]);
    const db = join(dir.path, 'checkpoints');
    await writeJavaCheckpointDb(db, [
      await javaRowFor(`kinesis:app:${pattern}`, files.current, 6, NOW),
      await javaRowFor(`fh:d:${other}`, other, 2, NOW),
      await javaRowFor('kinesis:removed:/var/log/gone.log', other, 1, NOW),
    ]);
    const store = await CheckpointStore.open(join(dir.path, 'checkpoints.json'));
    store.update(mine!.key, '1:1', { path: files.current, dev: '1', ino: '1', fingerprint: '0:x', offset: 3, size: 3, mtimeMs: 0, updatedAt: NOW.toISOString() });
    const log = capture();
    await importJavaCheckpoints({ flows: [mine!, theirs!], checkpointFile: db, store, logger: log.logger, now: () => NOW });
    expect(Object.keys(store.flow(mine!.key)?.files ?? {})).toEqual(['1:1']);
    expect(Object.values(store.flow(theirs!.key)?.files ?? {}).map((e) => [e.path, e.offset])).toEqual([[other, 2]]);
    expect(store.javaImport?.flows).toBe(1);
    expect(log.at('info')).toEqual(expect.arrayContaining([
      `Java agent checkpoint of kinesis:app:${pattern} not imported: Shardline already has checkpoints for this flow; they are kept`,
      'Java agent checkpoints of flows not in this configuration, not imported: kinesis:removed:/var/log/gone.log',
    ]));
  });

  it('a Java file that is gone or shorter than the offset: a warning, initialPosition applies (no entries), the import is still recorded', async () => {
    const { pattern, files } = await rotatedLogs();
    const [gone, short] = flowsOf([{ filePattern: pattern, kinesisStream: 'gone' }, { filePattern: pattern, kinesisStream: 'short', initialPosition: 'START_OF_FILE' }]);
    const db = join(dir.path, 'checkpoints');
    await writeJavaCheckpointDb(db, [
      { ...(await javaRowFor(`kinesis:gone:${pattern}`, files.current, 6, NOW)), fileId: '(dev=1,ino=999999999)' },
      await javaRowFor(`kinesis:short:${pattern}`, files.current, 19, NOW),
    ]);
    const store = await CheckpointStore.open(join(dir.path, 'checkpoints.json'));
    const log = capture();
    await importJavaCheckpoints({ flows: [gone!, short!], checkpointFile: db, store, logger: log.logger, now: () => NOW });
    expect(store.flow(gone!.key)).toBeUndefined();
    expect(store.flow(short!.key)).toBeUndefined();
    expect(store.javaImport?.flows).toBe(0);
    expect(log.at('warn')).toEqual([
      expect.stringMatching(/^Java agent checkpoint of kinesis:gone:.* not imported: the file of the Java checkpoint .* is not among the files matching the pattern now: deleted, or renamed to a name the pattern does not match; the flow starts with initialPosition END_OF_FILE \(as the Java agent would\)$/),
      expect.stringMatching(/^Java agent checkpoint of kinesis:short:.* not imported: .*app\.log\.1 .* has 18 bytes, fewer than the checkpoint offset 19: truncated, or its inode was reused; the flow starts with initialPosition START_OF_FILE/),
    ]);
  });

  it.each([
    { name: 'not SQLite at the Java default path', write: (db: string) => writeFile(db, 'garbage that is not a database'), detail: 'not a SQLite database' },
    { name: 'a directory', write: (db: string) => mkdir(db), detail: 'is a directory' },
  ])('a database that cannot be read ($name): an error naming it, nothing recorded, no throw', async ({ write, detail }) => {
    const db = join(dir.path, 'aws-kinesis-agent', 'checkpoints');
    await mkdir(join(dir.path, 'aws-kinesis-agent'));
    await write(db);
    const store = await CheckpointStore.open(join(dir.path, 'checkpoints.json'));
    const log = capture();
    await importJavaCheckpoints({ flows: flowsOf([{ filePattern: join(dir.path, '*.log'), kinesisStream: 's' }]), checkpointFile: undefined, javaDefault: db, store, logger: log.logger, now: () => NOW });
    expect(store.javaImport).toBeUndefined();
    expect(log.at('error')).toEqual([expect.stringContaining(`cannot read the Java agent's checkpoint database ${db}: ${detail}`)]);
    expect(log.at('error')[0]).toContain('nothing imported, flows start from Shardline\'s checkpoints or initialPosition');
  });

  it('warns about a hot journal and imports what is on disk', async () => {
    const { pattern, files } = await rotatedLogs();
    const db = join(dir.path, 'checkpoints');
    await writeJavaCheckpointDb(db, [await javaRowFor(`kinesis:app:${pattern}`, files.current, 6, NOW)]);
    await writeFile(`${db}-journal`, Buffer.alloc(512, 7));
    const store = await CheckpointStore.open(join(dir.path, 'checkpoints.json'));
    const log = capture();
    await importJavaCheckpoints({ flows: flowsOf([{ filePattern: pattern, kinesisStream: 'app' }]), checkpointFile: db, store, logger: log.logger, now: () => NOW });
    expect(log.at('warn')).toEqual([expect.stringContaining(`${db}-journal exists (512 bytes): the Java agent may still be running`)]);
    expect(store.javaImport?.flows).toBe(1);
  });
});

describe('javaCheckpointSource', () => {
  it.each([
    { name: 'checkpointFile is a SQLite database under any name', checkpointFile: 'java.db', javaDefault: 'missing', expected: 'java.db' },
    { name: 'checkpointFile is the Java path but does not exist', checkpointFile: 'aws-kinesis-agent/checkpoints', javaDefault: 'java.db', expected: undefined },
    { name: 'checkpointFile is Shardline\'s own JSON file (the Java default is not looked at)', checkpointFile: 'own.json', javaDefault: 'java.db', expected: undefined },
    { name: 'no checkpointFile, the Java default exists', checkpointFile: undefined, javaDefault: 'java.db', expected: 'java.db' },
    { name: 'no checkpointFile, the Java default exists but is not SQLite (reported by the import)', checkpointFile: undefined, javaDefault: 'own.json', expected: 'own.json' },
    { name: 'no checkpointFile, no Java default', checkpointFile: undefined, javaDefault: 'missing', expected: undefined },
  ])('$name', async ({ checkpointFile, javaDefault, expected }) => {
    await writeJavaCheckpointDb(join(dir.path, 'java.db'), []);
    await writeFile(join(dir.path, 'own.json'), '{"version":1,"flows":{}}');
    const at = (name: string | undefined) => (name === undefined ? undefined : join(dir.path, name));
    expect(await javaCheckpointSource(at(checkpointFile), at(javaDefault))).toBe(at(expected));
  });
});

describe('the checkpoint document with an import record (version 1, backward compatible)', () => {
  it('reads a document written before the record existed, and keeps the record across a write and a read', async () => {
    const file = join(dir.path, 'checkpoints.json');
    await writeFile(file, JSON.stringify({ version: 1, flows: { f: { files: {} } } }));
    const store = await CheckpointStore.open(file);
    expect(store.javaImport).toBeUndefined();
    store.markJavaImport({ path: '/var/run/aws-kinesis-agent/checkpoints', importedAt: NOW.toISOString(), flows: 2 });
    await store.flush();
    const reread = await CheckpointStore.open(file);
    expect(reread.javaImport).toEqual({ path: '/var/run/aws-kinesis-agent/checkpoints', importedAt: NOW.toISOString(), flows: 2 });
    expect(reread.flow('f')).toEqual({ files: {} });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1 });
  });
});
