import { open, readFile, stat } from 'node:fs/promises';
import type { JavaCheckpointRow } from '../../core/checkpoint/planJavaImport.js';

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = 'SQLite format 3\0';

export class JavaCheckpointReadError extends Error {
  constructor(readonly file: string, readonly detail: string) {
    super(`cannot read the Java agent's checkpoint database ${file}: ${detail}`);
    this.name = 'JavaCheckpointReadError';
  }
}

export interface JavaCheckpoints {
  /** Whether the database has the `FILE_CHECKPOINTS` table (a Java agent that never checkpointed may not). */
  hasTable: boolean;
  rows: JavaCheckpointRow[];
  /** Rows that cannot be used, and signs that the Java agent may still be running. */
  warnings: string[];
}

/** Whether a file starts with the SQLite header; false if it cannot be read (or is a directory). */
export async function hasSqliteHeader(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return false;
  try {
    const header = Buffer.alloc(16);
    const { bytesRead } = await handle.read(header, 0, 16, 0);
    return bytesRead === 16 && header.toString('latin1') === SQLITE_HEADER;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * Every row of the Java agent's `FILE_CHECKPOINTS` table. The file is read into memory and opened
 * there by sql.js (SQLite compiled to WebAssembly: no native build, and no way to write the file):
 * the Java agent's database is never modified, not even by a journal rollback. Throws
 * JavaCheckpointReadError naming the file when it cannot be read or is not a SQLite database.
 */
export async function readJavaCheckpoints(file: string): Promise<JavaCheckpoints> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new JavaCheckpointReadError(file, describe(error));
  }
  const warnings = await journalWarnings(file);
  // SQLite treats an empty file as an empty database: a Java agent stopped before it created its table.
  if (bytes.length === 0) return { hasTable: false, rows: [], warnings };
  if (bytes.subarray(0, 16).toString('latin1') !== SQLITE_HEADER) throw new JavaCheckpointReadError(file, 'not a SQLite database (no "SQLite format 3" header)');
  // Loaded only when there is something to import: sql.js keeps its WebAssembly instance (about
  // 28 MB resident) for the life of the process, which an agent that never imports should not pay.
  const { default: initSqlJs } = await import('sql.js');
  const SQL = await initSqlJs();
  let db;
  try {
    db = new SQL.Database(bytes);
    const tables = db.exec("select name from sqlite_master where type = 'table' and lower(name) = 'file_checkpoints'");
    if (tables.length === 0) return { hasTable: false, rows: [], warnings };
    const result = db.exec('select flow, path, fileId, lastModifiedTime, size, offset, lastUpdated from FILE_CHECKPOINTS');
    const rows: JavaCheckpointRow[] = [];
    (result[0]?.values ?? []).forEach((values, index) => {
      const row = toRow(values);
      if (typeof row === 'string') warnings.push(`${file}: row ${index + 1} of FILE_CHECKPOINTS ignored: ${row}`);
      else rows.push(row);
    });
    return { hasTable: true, rows, warnings };
  } catch (error) {
    // sql.js reports "file is not a database" or "database disk image is malformed" for damaged files.
    throw new JavaCheckpointReadError(file, `not a readable SQLite database (${(error as Error).message})`);
  } finally {
    db?.close();
  }
}

type SqlValue = number | string | Uint8Array | null;

/** A row with the types Java writes, or why it cannot be used. */
function toRow(values: SqlValue[]): JavaCheckpointRow | string {
  const [flow, path, fileId, lastModifiedTime, size, offset, lastUpdated] = values;
  if (typeof flow !== 'string' || typeof path !== 'string' || typeof fileId !== 'string') return `flow, path and fileId must be text, got ${JSON.stringify([flow, path, fileId].map(show))}`;
  for (const [name, value] of [['lastModifiedTime', lastModifiedTime], ['size', size], ['offset', offset]] as const) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return `${name} must be a non-negative integer, got ${show(value)} (flow ${flow}, path ${path})`;
  }
  if (typeof lastUpdated !== 'string' && typeof lastUpdated !== 'number') return `lastUpdated must be text, got ${show(lastUpdated)} (flow ${flow}, path ${path})`;
  return { flow, path, fileId, lastModifiedTime: lastModifiedTime as number, size: size as number, offset: offset as number, lastUpdated: String(lastUpdated) };
}

function show(value: SqlValue | undefined): string {
  if (value instanceof Uint8Array) return `a ${value.length}-byte blob`;
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * A rollback journal (`-journal`) exists only while a transaction is open, or after a crash in one; a
 * write-ahead log (`-wal`) holds commits not yet in the database. Neither is applied here (that
 * would mean writing next to the Java agent's file), so the rows read may be a little behind.
 */
async function journalWarnings(file: string): Promise<string[]> {
  const warnings: string[] = [];
  for (const suffix of ['-journal', '-wal']) {
    const size = await stat(`${file}${suffix}`).then((s) => s.size, () => 0);
    if (size > 0) {
      warnings.push(`${file}${suffix} exists (${size} bytes): the Java agent may still be running, or stopped in the middle of a transaction; `
        + 'the database is read as it is on disk and its latest changes may be missing. Stop the Java agent before switching.');
    }
  }
  return warnings;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  return (error as Error).message;
}
