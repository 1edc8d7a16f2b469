import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckpointStore } from '../../../../src/node/checkpoint/CheckpointStore.js';
import { CorruptFileError } from '../../../../src/node/checkpoint/DurableJsonFile.js';
import type { CheckpointDocument, FileCheckpoint } from '../../../../src/shared/checkpoint/checkpointDocument.js';

const DAY = 86_400_000;
const NOW = Date.parse('2024-06-01T00:00:00.000Z');

const dirs: string[] = [];
const stores: CheckpointStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) store.stopPeriodicFlush();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shardline-store-'));
  dirs.push(dir);
  return dir;
}

async function openStore(file: string): Promise<CheckpointStore> {
  const store = await CheckpointStore.open(file);
  stores.push(store);
  return store;
}

const checkpoint = (offset: number, updatedAt = NOW): FileCheckpoint => ({
  path: `/var/log/app/${offset}.log`,
  dev: '2049',
  ino: String(1000 + offset),
  fingerprint: `fp${offset}`,
  offset,
  size: offset * 2,
  mtimeMs: updatedAt - 5,
  updatedAt: new Date(updatedAt).toISOString(),
});

async function readDocument(file: string): Promise<CheckpointDocument> {
  return JSON.parse(await readFile(file, 'utf8')) as CheckpointDocument;
}

describe('CheckpointStore', () => {
  it('opens a missing file as an empty document without creating it', async () => {
    const dir = await tempDir();
    const file = join(dir, 'checkpoints.json');
    const store = await openStore(file);
    expect(store.file).toBe(file);
    expect(store.flow('f')).toBeUndefined();
    await store.flush();
    expect(await readdir(dir)).toEqual([]);
  });

  it('round-trips flows and files through a real file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'checkpoints.json');
    const store = await openStore(file);
    store.ensureFlow('empty');
    store.update('f', '2049:1', checkpoint(1));
    store.update('f', '2049:2', checkpoint(2));
    store.update('g|region=eu-west-1', '2049:3', checkpoint(3));
    await store.flush();
    expect(await readdir(dir)).toEqual(['checkpoints.json']);
    const expected: CheckpointDocument = {
      version: 1,
      flows: { empty: { files: {} }, f: { files: { '2049:1': checkpoint(1), '2049:2': checkpoint(2) } }, 'g|region=eu-west-1': { files: { '2049:3': checkpoint(3) } } },
    };
    expect(await readDocument(file)).toEqual(expected);
    const reopened = await openStore(file);
    expect(reopened.flow('f')).toEqual(expected.flows['f']);
    expect(reopened.flow('empty')).toEqual({ files: {} });
    expect(reopened.ensureFlow('f')).toEqual({ created: false });
  });

  it.each([
    ['invalid JSON', '{"version":1,"flows":{'],
    ['a document failing the schema', '{"version":1,"flows":{"f":{"files":{"k":{"offset":1}}}}}'],
  ])('refuses to open %s with a CorruptFileError naming the file', async (_name, text) => {
    const dir = await tempDir();
    const file = join(dir, 'checkpoints.json');
    await writeFile(file, text);
    const error = await CheckpointStore.open(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptFileError);
    expect(error).toMatchObject({ file });
    expect((error as Error).message).toContain(file);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('ensureFlow reports created only once', async () => {
    const store = await openStore(join(await tempDir(), 'checkpoints.json'));
    expect(store.ensureFlow('f')).toEqual({ created: true });
    expect(store.ensureFlow('f')).toEqual({ created: false });
    expect(store.ensureFlow('g')).toEqual({ created: true });
    store.update('h', 'k', checkpoint(1));
    expect(store.ensureFlow('h')).toEqual({ created: false });
    expect(store.flow('f')).toEqual({ files: {} });
  });

  it('update replaces an entry and remove deletes one', async () => {
    const dir = await tempDir();
    const file = join(dir, 'checkpoints.json');
    const store = await openStore(file);
    store.update('f', 'a', checkpoint(1));
    store.update('f', 'a', checkpoint(5));
    store.update('f', 'b', checkpoint(2));
    store.remove('f', 'b');
    expect(store.flow('f')).toEqual({ files: { a: checkpoint(5) } });
    await store.flush();
    expect((await readDocument(file)).flows).toEqual({ f: { files: { a: checkpoint(5) } } });
  });

  it.each<[string, number, number[], number[]]>([
    // name, ttl days, entry ages in days (keys are their index), ages expected to remain
    ['removes entries older than the ttl and keeps fresh ones', 7, [0, 1, 6.99, 7.01, 30], [0, 1, 6.99]],
    ['keeps an entry exactly ttl days old', 7, [7], [7]],
    ['removes nothing when everything is fresh', 1, [0, 0.5], [0, 0.5]],
    ['keeps an entry updated in the future (clock moved back)', 1, [-2], [-2]],
    ['removes all when all are old', 1, [2, 3], []],
  ])('expire %s', async (_name, ttlDays, ages, remaining) => {
    const dir = await tempDir();
    const file = join(dir, 'checkpoints.json');
    const store = await openStore(file);
    ages.forEach((age, i) => store.update(i % 2 === 0 ? 'even' : 'odd', `k${age}`, checkpoint(i, NOW - age * DAY)));
    await store.flush();
    expect(store.expire(ttlDays, NOW)).toBe(ages.length - remaining.length);
    const keys = (doc: Pick<CheckpointDocument, 'flows'>) => Object.values(doc.flows).flatMap((flow) => Object.keys(flow.files)).sort();
    const expected = remaining.map((age) => `k${age}`).sort();
    expect(keys({ flows: { even: store.flow('even') ?? { files: {} }, odd: store.flow('odd') ?? { files: {} } } })).toEqual(expected);
    await store.flush();
    expect(keys(await readDocument(file))).toEqual(expected);
  });

  describe('flush writes only when something changed', () => {
    const SENTINEL = 'written by the test, not by the store';

    it.each<[string, (store: CheckpointStore) => void, boolean]>([
      ['nothing', () => undefined, false],
      ['ensureFlow of a known flow', (store) => store.ensureFlow('f'), false],
      ['remove of an unknown file', (store) => store.remove('f', 'nope'), false],
      ['remove in an unknown flow', (store) => store.remove('nope', 'a'), false],
      ['expire with nothing old', (store) => store.expire(7, NOW), false],
      ['ensureFlow of a new flow', (store) => store.ensureFlow('g'), true],
      ['update', (store) => store.update('f', 'b', checkpoint(2)), true],
      ['update with the same value', (store) => store.update('f', 'a', checkpoint(1)), true],
      ['remove of a known file', (store) => store.remove('f', 'a'), true],
      ['expire removing an entry', (store) => store.expire(7, NOW + 8 * DAY), true],
    ])('after %s', async (_name, change, writes) => {
      const dir = await tempDir();
      const file = join(dir, 'checkpoints.json');
      const store = await openStore(file);
      store.update('f', 'a', checkpoint(1));
      await store.flush();
      await writeFile(file, SENTINEL);
      const { mtimeMs } = await stat(file);
      change(store);
      await store.flush();
      const text = await readFile(file, 'utf8');
      if (writes) {
        expect(text).not.toBe(SENTINEL);
        const flushed = JSON.parse(text) as CheckpointDocument;
        expect(flushed.flows['f']).toEqual(store.flow('f'));
        // and only once: a second flush leaves the file alone
        await writeFile(file, SENTINEL);
        await store.flush();
        expect(await readFile(file, 'utf8')).toBe(SENTINEL);
      } else {
        expect(text).toBe(SENTINEL);
        expect((await stat(file)).mtimeMs).toBe(mtimeMs);
      }
    });
  });

  it('serialises concurrent flushes', async () => {
    const dir = await tempDir();
    const file = join(dir, 'checkpoints.json');
    const store = await openStore(file);
    const flushes: Promise<void>[] = [];
    for (let i = 1; i <= 10; i += 1) {
      store.update('f', `k${i}`, checkpoint(i));
      flushes.push(store.flush());
    }
    await Promise.all(flushes);
    expect(Object.keys((await readDocument(file)).flows['f']?.files ?? {})).toHaveLength(10);
    expect(await readdir(dir)).toEqual(['checkpoints.json']);
  });

  it('startPeriodicFlush writes changes without an explicit flush', async () => {
    const dir = await tempDir();
    const file = join(dir, 'checkpoints.json');
    const store = await openStore(file);
    const errors: unknown[] = [];
    store.startPeriodicFlush(10, (error) => errors.push(error));
    store.update('f', 'a', checkpoint(1));
    await vi.waitFor(async () => expect((await readDocument(file)).flows['f']).toEqual({ files: { a: checkpoint(1) } }), { timeout: 2000 });
    store.stopPeriodicFlush();
    expect(errors).toEqual([]);
  });

  /** A store whose file's parent directory is (for now) a regular file, so mkdir fails. */
  async function brokenStore() {
    const dir = await tempDir();
    const parent = join(dir, 'state');
    const file = join(parent, 'checkpoints.json');
    const store = await openStore(file); // opens while `state` does not exist: an empty document
    await writeFile(parent, 'a regular file where the directory should be');
    store.update('f', 'a', checkpoint(1));
    return { dir, parent, file, store };
  }

  it('a failed write rejects, and the store stays dirty while the cause remains', async () => {
    const { dir, parent, store } = await brokenStore();
    await expect(store.flush()).rejects.toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) });
    await expect(store.flush()).rejects.toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) });
    expect(await readdir(dir)).toEqual(['state']);
    expect(await readFile(parent, 'utf8')).toBe('a regular file where the directory should be');
  });

  // BUG (src/node/checkpoint/CheckpointStore.ts, flush): `this.writing = this.writing.then(...)` keeps
  // the rejected promise of the failed write as the chain's tail, so every later flush skips its
  // callback and rejects with the first error forever: the checkpoint is never written again, even
  // after the disk has room. Remove `.fails` once flush() chains on a settled promise.
  it('the next flush after a failed write retries once the cause is gone', async () => {
    const { parent, file, store } = await brokenStore();
    await expect(store.flush()).rejects.toThrow();
    await rm(parent);
    await store.flush();
    expect((await readDocument(file)).flows).toEqual({ f: { files: { a: checkpoint(1) } } });
  });
});
