const GLOB_CHARS = /[*?[\]{}]/;

export interface GlobPlan {
  /** The longest literal directory prefix: where the walk starts and what is watched. */
  baseDir: string;
  /** The rest of the pattern, relative to baseDir (`*\/app*.log`, `**\/access.log`). */
  relativeGlob: string;
  /** Its `/`-separated parts; the last one matches file names. */
  segments: string[];
  /** True when a `**` lets files lie at any depth. */
  recursive: boolean;
}

/**
 * Splits a `filePattern` into the literal directory the walk starts from and the glob below it.
 * The Java agent allowed globs only in the file name (#78); Shardline also takes them in the
 * directories (`/var/log/*\/app*.log`, `/srv/**\/access.log`).
 */
export function splitGlobPattern(pattern: string): GlobPlan {
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((part, i) => i < parts.length - 1 && GLOB_CHARS.test(part));
  const literalCount = firstGlob < 0 ? parts.length - 1 : firstGlob;
  const baseParts = parts.slice(0, literalCount);
  const baseDir = baseParts.length === 1 && baseParts[0] === '' ? '/' : baseParts.join('/') || '.';
  const segments = parts.slice(literalCount);
  return { baseDir, relativeGlob: segments.join('/'), segments, recursive: segments.some((s) => s.includes('**')) };
}
