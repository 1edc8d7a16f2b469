import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptFileError, DurableJsonFile } from '../../../../src/node/checkpoint/DurableJsonFile.js';
import { checkpointDocumentSchema, type CheckpointDocument } from '../../../../src/shared/checkpoint/checkpointDocument.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shardline-durable-'));
  dirs.push(dir);
  return dir;
}

const checkpoint = { path: '/var/log/app/a.log', dev: '2049', ino: '1234', fingerprint: 'abc', offset: 10, size: 20, mtimeMs: 1700000000000.5, updatedAt: '2024-01-02T03:04:05.000Z' };
const documents: [string, CheckpointDocument][] = [
  ['an empty document', { version: 1, flows: {} }],
  ['a flow without files', { version: 1, flows: { 'kinesis:s:/var/log/*.log': { files: {} } } }],
  ['two flows with files', { version: 1, flows: { a: { files: { '2049:1234': checkpoint } }, 'b|region=eu-west-1': { files: { '1:2': { ...checkpoint, path: '/tmp/ü ñ.log', offset: 0 } } } } }],
];

describe('DurableJsonFile', () => {
  it.each(documents)('round-trips %s through a real file', async (_name, document) => {
    const dir = await tempDir();
    const file = join(dir, 'checkpoints.json');
    const adapter = new DurableJsonFile(file, checkpointDocumentSchema);
    await adapter.write(document);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(document);
    expect(await new DurableJsonFile(file, checkpointDocumentSchema).read()).toEqual(document);
  });

  it('reads a missing file as null (an empty document)', async () => {
    const dir = await tempDir();
    expect(await new DurableJsonFile(join(dir, 'missing.json'), checkpointDocumentSchema).read()).toBeNull();
    expect(await new DurableJsonFile(join(dir, 'no', 'such', 'dir.json'), checkpointDocumentSchema).read()).toBeNull();
  });

  it.each([
    ['an empty file', ''],
    ['invalid JSON', '{"version":1,'],
    ['plain text', 'hello'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['another version', '{"version":2,"flows":{}}'],
    ['flows missing', '{"version":1}'],
    ['a negative offset', JSON.stringify({ version: 1, flows: { f: { files: { k: { ...checkpoint, offset: -1 } } } } })],
    ['a fractional size', JSON.stringify({ version: 1, flows: { f: { files: { k: { ...checkpoint, size: 1.5 } } } } })],
    ['a file entry without its fingerprint', JSON.stringify({ version: 1, flows: { f: { files: { k: { ...checkpoint, fingerprint: undefined } } } } })],
  ])('throws CorruptFileError naming the file for %s', async (_name, text) => {
    const dir = await tempDir();
    const file = join(dir, 'checkpoints.json');
    await writeFile(file, text);
    const error = await new DurableJsonFile(file, checkpointDocumentSchema).read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptFileError);
    expect(error).toMatchObject({ name: 'CorruptFileError', file });
    expect((error as Error).message).toContain(file);
  });

  it('leaves no temporary file after writes, creates missing directories and keeps the file private', async () => {
    const dir = await tempDir();
    const file = join(dir, 'nested', 'deeper', 'checkpoints.json');
    const adapter = new DurableJsonFile(file, checkpointDocumentSchema);
    for (const [, document] of documents) await adapter.write(document);
    expect(await readdir(join(dir, 'nested', 'deeper'))).toEqual(['checkpoints.json']);
    expect(await adapter.read()).toEqual(documents.at(-1)![1]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('a write whose directory cannot be created rejects and leaves nothing behind', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'regular'), 'x');
    const adapter = new DurableJsonFile(join(dir, 'regular', 'checkpoints.json'), checkpointDocumentSchema);
    await expect(adapter.write({ version: 1, flows: {} })).rejects.toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) });
    expect(await readdir(dir)).toEqual(['regular']);
    expect(await readFile(join(dir, 'regular'), 'utf8')).toBe('x');
  });

  it('a file that cannot be read (a directory) is an I/O error, not a CorruptFileError', async () => {
    const dir = await tempDir();
    const error = await new DurableJsonFile(dir, checkpointDocumentSchema).read().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(CorruptFileError);
    expect(error).toMatchObject({ code: 'EISDIR' });
  });
});
