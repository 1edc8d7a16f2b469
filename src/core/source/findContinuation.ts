/** A regular file seen in the pattern's directories. */
export interface Candidate {
  key: string;
  path: string;
  size: number;
  /** Whether its path matches the flow's pattern (a rotated name may not). */
  matches: boolean;
}

/** What a checkpoint or a tracked file knows of a file. */
export interface KnownFile {
  key: string;
  /** `<length>:<hash>` of the file's first `length` bytes. */
  fingerprint: string;
  /** Bytes of it already handled: the checkpoint, or the read position of a tracked file. */
  offset: number;
  /** Its size when last seen, to prefer the closest copy when several start alike. */
  size: number;
}

/** Hash of a candidate's first `length` bytes, in the fingerprint's form, or undefined if shorter. */
export type HashPrefix = (candidate: Candidate, length: number) => Promise<string | undefined>;

export type Continuation = { candidate: Candidate; how: 'same' | 'copy' };

export function fingerprintLength(fingerprint: string): number {
  const length = Number(fingerprint.slice(0, fingerprint.indexOf(':')));
  return Number.isSafeInteger(length) && length >= 0 ? length : -1;
}

/**
 * Where a known file's data lives now (DESIGN §3): the same inode if it still starts with the same
 * bytes and is at least as long as the offset (else it was truncated or its inode reused), or else
 * a copy — another inode starting with the same bytes and at least as long (copytruncate, or a copy
 * made while the agent was down). Among several copies, the one whose size is closest to the known
 * size wins. A known file with an empty fingerprint has no copies: all empty files look alike.
 */
export async function findContinuation(known: KnownFile, candidates: Iterable<Candidate>, hashPrefix: HashPrefix, taken: ReadonlySet<string> = new Set()): Promise<Continuation | undefined> {
  const length = fingerprintLength(known.fingerprint);
  if (length < 0) return undefined;
  const all = [...candidates].filter((c) => !taken.has(c.key));
  const same = all.find((c) => c.key === known.key);
  if (same !== undefined && same.size >= known.offset && (await hashPrefix(same, length)) === known.fingerprint) return { candidate: same, how: 'same' };
  if (length === 0) return undefined;
  const copies: Candidate[] = [];
  for (const candidate of all) {
    if (candidate.key === known.key || candidate.size < known.offset || candidate.size < length) continue;
    if ((await hashPrefix(candidate, length)) === known.fingerprint) copies.push(candidate);
  }
  copies.sort((a, b) => Math.abs(a.size - known.size) - Math.abs(b.size - known.size));
  const copy = copies[0];
  return copy === undefined ? undefined : { candidate: copy, how: 'copy' };
}
