import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLock, DataDirLockedError } from '../../../../src/node/lock/DataDirLock.js';

type StaleLock = Parameters<Parameters<typeof DataDirLock.acquire>[1]>[0];

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shardline-lock-'));
  dirs.push(dir);
  return dir;
}

/** A pid that was real a moment ago: `node -e ""`, waited for and reaped. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

/** A live process; killed after the test. */
async function livePid(command: string, args: string[]): Promise<number> {
  const child = spawn(command, args, { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn'); // emitted once exec() has succeeded, so /proc/<pid>/cmdline is the new program
  return child.pid!;
}

const lockContent = (pid: number, host = hostname()): StaleLock => ({ pid, hostname: host, startedAt: '2024-01-02T03:04:05.000Z' });
const asFile = (content: unknown) => `${JSON.stringify(content)}\n`;

async function acquire(dir: string) {
  const takeovers: StaleLock[] = [];
  const lock = await DataDirLock.acquire(dir, (stale) => takeovers.push(stale));
  return { lock, takeovers };
}

async function readLockFile(dir: string): Promise<StaleLock> {
  return JSON.parse(await readFile(join(dir, 'shardline.lock'), 'utf8')) as StaleLock;
}

describe('DataDirLock', () => {
  it('acquire creates shardline.lock holding this pid and host name', async () => {
    const dir = await tempDir();
    const before = Date.now();
    const { lock, takeovers } = await acquire(dir);
    expect(lock.file).toBe(join(dir, 'shardline.lock'));
    expect(takeovers).toEqual([]);
    const text = await readFile(lock.file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const content = JSON.parse(text) as StaleLock;
    expect(content).toEqual({ pid: process.pid, hostname: hostname(), startedAt: expect.any(String) });
    expect(Date.parse(content.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    await lock.release();
  });

  it('a second acquire in the same process throws DataDirLockedError (same pid counts as alive)', async () => {
    const dir = await tempDir();
    const { lock } = await acquire(dir);
    const before = await readFile(lock.file, 'utf8');
    const takeovers: StaleLock[] = [];
    const error = await DataDirLock.acquire(dir, (stale) => takeovers.push(stale)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect(error).toMatchObject({ name: 'DataDirLockedError', pid: process.pid, lockFile: lock.file });
    expect((error as Error).message).toContain(`pid ${process.pid}`);
    expect((error as Error).message).toContain(lock.file);
    expect(takeovers).toEqual([]);
    expect(await readFile(lock.file, 'utf8')).toBe(before);
    await lock.release();
  });

  interface Holder {
    /** The text of the existing lock file. */
    text: string;
    /** What onTakeover must receive, if the lock is taken over; undefined = not called. */
    stale?: StaleLock;
    /** The pid a DataDirLockedError must name, if the lock must be refused. */
    lockedBy?: number;
  }

  it.each<[string, () => Promise<Holder>]>([
    ['the pid of a process that has exited', async () => {
      const stale = lockContent(await exitedPid());
      return { text: asFile(stale), stale };
    }],
    ['a live pid whose cmdline is not node/shardline/electron (sleep 30: a reused pid)', async () => {
      const stale = lockContent(await livePid('sleep', ['30']));
      return { text: asFile(stale), stale };
    }],
    ['garbage (not JSON)', () => Promise.resolve({ text: 'this is not a lock\n' })],
    ['JSON without a numeric pid', () => Promise.resolve({ text: asFile({ pid: '12345', hostname: hostname() }) })],
  ])('takes over a lock holding %s', async (_name, makeHolder) => {
    const dir = await tempDir();
    const holder = await makeHolder();
    await writeFile(join(dir, 'shardline.lock'), holder.text);
    const { lock, takeovers } = await acquire(dir);
    expect(takeovers).toEqual(holder.stale === undefined ? [] : [holder.stale]);
    expect(await readLockFile(dir)).toMatchObject({ pid: process.pid, hostname: hostname() });
    await lock.release();
  });

  it.each<[string, () => Promise<Holder>]>([
    ['a live node process', async () => {
      const pid = await livePid(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
      return { text: asFile(lockContent(pid)), lockedBy: pid };
    }],
    ['another host name (a dead pid there means nothing here)', async () => {
      const pid = await exitedPid();
      return { text: asFile(lockContent(pid, `not-${hostname()}`)), lockedBy: pid };
    }],
    ['another host name and this very pid', () => Promise.resolve({ text: asFile(lockContent(process.pid, `not-${hostname()}`)), lockedBy: process.pid })],
  ])('never takes over a lock held by %s', async (_name, makeHolder) => {
    const dir = await tempDir();
    const holder = await makeHolder();
    const file = join(dir, 'shardline.lock');
    await writeFile(file, holder.text);
    const takeovers: StaleLock[] = [];
    const error = await DataDirLock.acquire(dir, (stale) => takeovers.push(stale)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect(error).toMatchObject({ pid: holder.lockedBy, lockFile: file });
    expect(takeovers).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe(holder.text);
  });

  it('release removes our own lock, and the data dir can be locked again', async () => {
    const dir = await tempDir();
    const { lock } = await acquire(dir);
    await lock.release();
    await expect(stat(lock.file)).rejects.toMatchObject({ code: 'ENOENT' });
    const again = await acquire(dir);
    expect(again.takeovers).toEqual([]);
    await again.lock.release();
  });

  it.each<[string, string]>([
    ['another pid on this host', asFile(lockContent(process.pid + 1))],
    ['garbage', 'garbage'],
  ])('release leaves a lock file that holds %s', async (_name, text) => {
    const dir = await tempDir();
    const { lock } = await acquire(dir);
    await writeFile(lock.file, text);
    await lock.release();
    expect(await readFile(lock.file, 'utf8')).toBe(text);
  });

  it('release after the lock file is gone resolves', async () => {
    const dir = await tempDir();
    const { lock } = await acquire(dir);
    await rm(lock.file);
    await expect(lock.release()).resolves.toBeUndefined();
  });
});

describe('DataDirLock races', () => {
  it('two agents taking over the same stale lock at once: exactly one wins, every time', async () => {
    const dir = await tempDir();
    for (let round = 0; round < 200; round += 1) {
      await writeFile(join(dir, 'shardline.lock'), round % 2 === 0 ? 'garbage\n' : JSON.stringify({ pid: await exitedPid(), hostname: hostname() }));
      const results = await Promise.allSettled([DataDirLock.acquire(dir, () => undefined), DataDirLock.acquire(dir, () => undefined)]);
      const won = results.filter((r): r is PromiseFulfilledResult<DataDirLock> => r.status === 'fulfilled');
      expect(won, `round ${round}`).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(DataDirLockedError);
      await won[0]!.value.release();
      await expect(stat(join(dir, 'shardline.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
    }
  }, 60_000);
});
