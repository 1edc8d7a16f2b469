import { open, readFile, unlink } from 'node:fs/promises';
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
 * One agent per data dir (DESIGN §2). The lock file holds the owner's pid; a lock whose process is
 * gone (kill -9, power loss) is taken over. On Linux, a pid reused by an unrelated program is
 * recognised through /proc/<pid>/cmdline.
 */
export class DataDirLock {
  private constructor(readonly file: string) {}

  static async acquire(dataDir: string, onTakeover: (stale: LockContent) => void): Promise<DataDirLock> {
    const file = join(dataDir, 'shardline.lock');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const handle = await open(file, 'wx', 0o644);
        const content: LockContent = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
        await handle.writeFile(`${JSON.stringify(content)}\n`);
        await handle.close();
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readLock(file);
      if (holder !== undefined && (await isAlive(holder))) throw new DataDirLockedError(file, holder.pid);
      if (holder !== undefined) onTakeover(holder);
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    const holder = await readLock(file);
    throw new DataDirLockedError(file, holder?.pid ?? 0);
  }

  async release(): Promise<void> {
    const holder = await readLock(this.file);
    if (holder?.pid === process.pid) await unlink(this.file).catch(() => undefined);
  }
}

async function readLock(file: string): Promise<LockContent | undefined> {
  try {
    const content = JSON.parse(await readFile(file, 'utf8')) as LockContent;
    return typeof content.pid === 'number' ? content : undefined;
  } catch {
    return undefined; // being written, or garbage: treated as stale
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
