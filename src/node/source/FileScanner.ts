import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { splitGlobPattern, type GlobPlan } from '../../core/source/splitGlobPattern.js';
import { identityOf, type FileIdentity } from './fileIdentity.js';

/** Compressed rotations are never tailed (the Java agent's SourceFile does the same). */
const COMPRESSED = /\.(gz|bz2|zip)$/i;

export interface DiscoveredFile extends FileIdentity {
  path: string;
}

export interface ScanProblem {
  path: string;
  message: string;
}

export interface ScanResult {
  /** Regular files whose path matches the pattern, by identity (a file with two names once). */
  matching: Map<string, DiscoveredFile>;
  /** Every regular file in the directories walked, matching or not: where renamed and copied files are found. */
  all: Map<string, DiscoveredFile>;
  /** Directories walked (watched for events). */
  dirs: string[];
  problems: ScanProblem[];
}

const options = { dot: true };

/**
 * Lists the files of a `filePattern` with globs in the file name and in directories (Java NIO glob
 * syntax per part, `**` for any depth). Symlinks are followed once: a directory reached twice (a
 * symlink loop) is reported and not walked again.
 */
export class FileScanner {
  readonly plan: GlobPlan;
  private readonly matchPath: (relative: string) => boolean;
  private readonly matchSegment: ((name: string) => boolean)[];

  constructor(pattern: string) {
    this.plan = splitGlobPattern(pattern);
    this.matchPath = picomatch(this.plan.relativeGlob, options);
    this.matchSegment = this.plan.segments.map((segment) => picomatch(segment, options));
  }

  async scan(): Promise<ScanResult> {
    const result: ScanResult = { matching: new Map(), all: new Map(), dirs: [], problems: [] };
    await this.walk(this.plan.baseDir, '', 0, new Set(), result);
    return result;
  }

  private async walk(dir: string, relative: string, depth: number, visited: Set<string>, result: ScanResult): Promise<void> {
    let identity: string;
    try {
      identity = identityOf(await stat(dir, { bigint: true })).key;
    } catch (error) {
      result.problems.push({ path: dir, message: describe(error, depth === 0 ? 'does not exist yet' : 'vanished') });
      return;
    }
    if (visited.has(identity)) {
      result.problems.push({ path: dir, message: 'symlink loop: this directory was already walked; not following it again' });
      return;
    }
    visited.add(identity);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      result.problems.push({ path: dir, message: describe(error, 'vanished') });
      return;
    }
    result.dirs.push(dir);
    const lastLevel = !this.plan.recursive && depth === this.plan.segments.length - 1;
    for (const name of names) {
      const path = join(dir, name);
      const rel = relative === '' ? name : `${relative}/${name}`;
      let stats;
      try {
        stats = await stat(path, { bigint: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') result.problems.push({ path, message: describe(error, 'vanished') });
        continue;
      }
      if (stats.isDirectory()) {
        if (this.plan.recursive || (!lastLevel && this.matchSegment[depth]?.(name) === true)) await this.walk(path, rel, depth + 1, visited, result);
        continue;
      }
      if (!stats.isFile()) continue;
      const file = { ...identityOf(stats), path };
      if (!result.all.has(file.key)) result.all.set(file.key, file);
      if ((this.plan.recursive || lastLevel) && !COMPRESSED.test(name) && this.matchPath(rel) && !result.matching.has(file.key)) result.matching.set(file.key, file);
    }
  }
}

function describe(error: unknown, missing: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return missing;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'symlink loop';
  return (error as Error).message;
}
