import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(readonly lockFile: string, readonly pid: number) {
    super(`data dir is in use by another Shardline agent (pid ${pid}, lock ${lockFile}); stop it or use another --data-dir`);
    this.name = 'DataDirLockedError';
  }
}

interface LockContent {
  pid: number;
  hostname: string;
  startedAt: string;
}

/**
 * One agent per data dir (DESIGN §2). The lock file holds the owner's pid and host; a lock whose
 * process is gone (kill -9, power loss) is taken over. On Linux, a pid reused by an unrelated
 * program is recognised through /proc/<pid>/cmdline.
 *
 * Races between agents starting at once are closed two ways: a lock is created whole (written to a
 * temporary file, then hard-linked into place, which fails if a lock exists), so it is never seen
 * half-written; and a stale lock is taken over by renaming it aside and checking that what was
 * moved is the stale lock that was read — if another agent's fresh lock was moved instead, it is
 * put back and this agent yields.
 */
export class DataDirLock {
  private constructor(readonly file: string, private readonly content: string) {}

  static async acquire(dataDir: string, onTakeover: (stale: LockContent) => void): Promise<DataDirLock> {
    const file = join(dataDir, 'shardline.lock');
    const content = `${JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() })}\n`;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      if (await createWhole(file, content)) return new DataDirLock(file, content);
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // released meanwhile: try again
      const holder = parseLock(text);
      if (holder !== undefined && (await isAlive(holder))) throw new DataDirLockedError(file, holder.pid);
      if (await takeOver(file, text)) {
        if (holder !== undefined) onTakeover(holder);
      } else {
        const fresh = parseLock((await readFile(file, 'utf8').catch(() => '')) ?? '');
        if (fresh !== undefined && (await isAlive(fresh))) throw new DataDirLockedError(file, fresh.pid);
      }
    }
    const holder = parseLock((await readFile(file, 'utf8').catch(() => '')) ?? '');
    throw new DataDirLockedError(file, holder?.pid ?? 0);
  }

  async release(): Promise<void> {
    const text = await readFile(this.file, 'utf8').catch(() => undefined);
    if (text === this.content) await unlink(this.file).catch(() => undefined);
  }
}

/** Creates the lock with its content in one step; false if a lock exists. */
async function createWhole(file: string, content: string): Promise<boolean> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, content, { mode: 0o644 });
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Moves the stale lock aside; true if what was moved is the lock that was read as stale. */
async function takeOver(file: string, staleText: string): Promise<boolean> {
  const aside = `${file}.stale.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved === staleText) {
    await unlink(aside).catch(() => undefined);
    return true;
  }
  // Another agent's fresh lock was moved: put it back (unless yet another lock exists) and yield.
  await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
  return false;
}

function parseLock(text: string): LockContent | undefined {
  try {
    const content = JSON.parse(text) as Partial<LockContent>;
    if (typeof content.pid !== 'number' || !Number.isInteger(content.pid) || content.pid <= 0) return undefined;
    return { pid: content.pid, hostname: typeof content.hostname === 'string' ? content.hostname : hostname(), startedAt: String(content.startedAt ?? '') };
  } catch {
    return undefined; // garbage: a lock is never half-written, so it is stale
  }
}

async function isAlive(holder: LockContent): Promise<boolean> {
  if (holder.hostname !== hostname()) return true; // a shared data dir on another host: never steal
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const cmdline = await readFile(`/proc/${holder.pid}/cmdline`, 'utf8');
    return /node|shardline|electron/i.test(cmdline);
  } catch {
    return true;
  }
}
