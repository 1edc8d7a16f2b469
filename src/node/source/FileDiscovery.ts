import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import picomatch from 'picomatch';
import { identityOf, type FileIdentity } from './fileIdentity.js';

/** Compressed rotations are never tailed (the Java agent's SourceFile does the same). */
const COMPRESSED = /\.(gz|bz2|zip)$/i;

export interface DiscoveredFile extends FileIdentity {
  path: string;
}

/**
 * Finds the files of a pattern `dir/glob`: a directory listing filtered by the glob (Java NIO glob
 * syntax: `*`, `?`, `[...]`, `{a,b}`). chokidar's events only hint that a rescan or a read is due;
 * the periodic rescan is the source of truth (peers.md §6.3).
 */
export class FileDiscovery {
  private readonly matches: (name: string) => boolean;
  private watcher: FSWatcher | undefined;

  constructor(
    readonly dir: string,
    glob: string,
  ) {
    const isMatch = picomatch(glob, { dot: true });
    this.matches = (name) => isMatch(name) && !COMPRESSED.test(name);
  }

  /** Starts watching; `onHint` is called on any event in the directory. */
  watch(onHint: () => void, onError: (error: unknown) => void): void {
    this.watcher = watch(this.dir, { depth: 0, ignoreInitial: true, persistent: false, ignorePermissionErrors: true });
    this.watcher.on('all', onHint);
    this.watcher.on('error', onError);
  }

  async close(): Promise<void> {
    await this.watcher?.close();
  }

  /** Every regular file matching the pattern, keyed by identity; an absent directory is empty. */
  async scan(): Promise<Map<string, DiscoveredFile>> {
    const found = new Map<string, DiscoveredFile>();
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return found;
      throw error;
    }
    for (const name of names) {
      if (!this.matches(name)) continue;
      const path = join(this.dir, name);
      try {
        const stats = await stat(path, { bigint: true });
        if (!stats.isFile()) continue;
        const identity = identityOf(stats);
        // Two names for one inode (a hard link, or a symlink and its target): follow it once.
        if (!found.has(identity.key)) found.set(identity.key, { ...identity, path });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return found;
  }
}
