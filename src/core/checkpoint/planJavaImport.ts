import type { FileCheckpoint } from '../../shared/checkpoint/checkpointDocument.js';
import { parseJavaFileId } from './parseJavaFileId.js';

/** One row of the Java agent's `FILE_CHECKPOINTS` table (reference §4). */
export interface JavaCheckpointRow {
  flow: string;
  /** The file's path when the record was read (it may have been renamed since). */
  path: string;
  /** `(dev=<hex>,ino=<dec>)`. */
  fileId: string;
  lastModifiedTime: number;
  size: number;
  /** Bytes of the file already sent: the offset just after the last record of a delivered batch. */
  offset: number;
  /** UTC text `YYYY-MM-DD HH:MM:SS.SSS`, as Java's `strftime` writes it. */
  lastUpdated: string;
}

/** A regular file matching a flow's pattern now. */
export interface CurrentFile {
  path: string;
  /** Decimal, as in Shardline's file keys. */
  dev: string;
  ino: string;
  size: number;
  mtimeMs: number;
  /** Fingerprint of its first bytes, as the file source computes it; undefined if it cannot be read. */
  fingerprint: string | undefined;
}

/** A Shardline flow the Java rows may be imported into. */
export interface ImportTarget {
  /** The checkpoint key (`FlowConfig.key`). */
  key: string;
  /** The flow id (`FlowConfig.id`). */
  id: string;
  /** The ids a Java row of this flow can carry, most likely first. */
  javaIds: readonly string[];
  /** Shardline already has checkpoints for this flow: they win, nothing is imported. */
  hasCheckpoints: boolean;
  /** The files matching the flow's pattern now. */
  files: readonly CurrentFile[];
}

export interface ImportedFlow {
  action: 'import';
  key: string;
  id: string;
  row: JavaCheckpointRow;
  /** The file of the Java checkpoint (perhaps under a new name) and where reading resumes. */
  resume: { file: CurrentFile; offset: number };
  /** Files newer than it: the Java agent would read them next, from their start. */
  newer: CurrentFile[];
  /** Files older than it: the Java agent would never read them again, so they count as sent. */
  older: CurrentFile[];
  /** Older files that could not be read (no fingerprint): no checkpoint can be written for them. */
  unreadable: CurrentFile[];
  /** Shardline checkpoint entries by file key (`<dev>:<ino>`). */
  entries: Record<string, FileCheckpoint>;
}

export interface SkippedFlow {
  action: 'skip';
  key: string;
  id: string;
  /** The Java row that was considered, if the flow has one. */
  row: JavaCheckpointRow | undefined;
  /** Why nothing is imported: the flow then starts as Shardline would without the Java agent. */
  reason: string;
  /** The Java checkpoint exists but cannot be used: worth a warning, not just a note. */
  unusable: boolean;
}

export type FlowImportPlan = ImportedFlow | SkippedFlow;

export interface JavaImportPlan {
  /** One plan per target, in the targets' order. */
  flows: FlowImportPlan[];
  /** The newest row of each Java flow that no target takes. */
  otherFlows: JavaCheckpointRow[];
}

/**
 * Java's "load at start" per flow: `order by lastUpdated desc limit 1`. `lastUpdated` is compared as
 * text, as SQLite does (its fixed-width format sorts by time); on a tie the first row read wins.
 */
export function newestRows(rows: readonly JavaCheckpointRow[]): Map<string, JavaCheckpointRow> {
  const newest = new Map<string, JavaCheckpointRow>();
  for (const row of rows) {
    const current = newest.get(row.flow);
    if (current === undefined || row.lastUpdated > current.lastUpdated) newest.set(row.flow, row);
  }
  return newest;
}

/**
 * What importing the Java agent's checkpoints does to each flow, so the flow continues exactly where
 * the Java agent would have (reference §3.3, §4): its newest row's file is found among the files
 * matching the pattern now by its FileId (under any name), and if it still holds `offset` bytes,
 * reading resumes there; files newer than it (Java's "pending" files) are read from their start,
 * older ones are treated as sent. Nothing is imported for a flow Shardline already checkpoints, or
 * whose Java file is gone or shorter than the offset: Java would then apply `initialPosition`, and
 * a flow without checkpoints does the same in Shardline.
 */
export function planJavaImport(rows: readonly JavaCheckpointRow[], targets: readonly ImportTarget[], now: string): JavaImportPlan {
  const newest = newestRows(rows);
  const taken = new Set<string>();
  const flows = targets.map((target) => {
    const javaId = target.javaIds.find((id) => newest.has(id));
    if (javaId !== undefined) taken.add(javaId);
    return planFlow(target, javaId === undefined ? undefined : newest.get(javaId), now);
  });
  const otherFlows = [...newest.values()].filter((row) => !taken.has(row.flow));
  return { flows, otherFlows };
}

function planFlow(target: ImportTarget, row: JavaCheckpointRow | undefined, now: string): FlowImportPlan {
  const skip = (reason: string, unusable = true): SkippedFlow => ({ action: 'skip', key: target.key, id: target.id, row, reason, unusable });
  if (row === undefined) return skip('no Java checkpoint for this flow', false);
  if (target.hasCheckpoints) return skip('Shardline already has checkpoints for this flow; they are kept', false);
  const id = parseJavaFileId(row.fileId);
  if (id === undefined) return skip(`the Java checkpoint's fileId ${JSON.stringify(row.fileId)} is not a (dev=…,ino=…) file key`);
  const file = target.files.find((f) => f.dev === id.dev && f.ino === id.ino);
  if (file === undefined) return skip(`the file of the Java checkpoint (${row.path}, ${row.fileId}) is not among the files matching the pattern now: deleted, or renamed to a name the pattern does not match`);
  if (file.size < row.offset) return skip(`${file.path} (${row.fileId}) has ${file.size} bytes, fewer than the checkpoint offset ${row.offset}: truncated, or its inode was reused`);
  if (file.fingerprint === undefined) return skip(`${file.path} cannot be read`);
  const others = target.files.filter((f) => f !== file);
  const newer = others.filter((f) => isNewer(f, file));
  const older = others.filter((f) => !isNewer(f, file));
  const entry = (f: CurrentFile & { fingerprint: string }, offset: number): FileCheckpoint => ({
    path: f.path, dev: f.dev, ino: f.ino, fingerprint: f.fingerprint, offset, size: f.size, mtimeMs: f.mtimeMs, updatedAt: now,
  });
  // The resumed file's entry comes first: the source matches entries in order.
  const entries: Record<string, FileCheckpoint> = { [`${file.dev}:${file.ino}`]: entry({ ...file, fingerprint: file.fingerprint }, row.offset) };
  const unreadable: CurrentFile[] = [];
  for (const f of older) {
    if (f.fingerprint === undefined) unreadable.push(f);
    else entries[`${f.dev}:${f.ino}`] = entry({ ...f, fingerprint: f.fingerprint }, f.size);
  }
  return { action: 'import', key: target.key, id: target.id, row, resume: { file, offset: row.offset }, newer, older, unreadable, entries };
}

/**
 * Java's `TrackedFile.isNewer`: a later modification time (in whole milliseconds, as
 * `FileTime.toMillis()` gives it), or the same time and fewer bytes (at the instant of a rotation
 * the fresh file is the smaller one).
 */
function isNewer(a: CurrentFile, b: CurrentFile): boolean {
  const ta = Math.floor(a.mtimeMs);
  const tb = Math.floor(b.mtimeMs);
  return ta > tb || (ta === tb && a.size < b.size);
}
