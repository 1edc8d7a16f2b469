import { stat, writeFile } from 'node:fs/promises';
import initSqlJs from 'sql.js';
import type { JavaCheckpointRow } from '../../src/core/checkpoint/planJavaImport.js';

/** The Java agent's table, exactly as `SQLiteFileCheckpointStore` creates it (reference §4). */
export const JAVA_SCHEMA = `create table if not exists FILE_CHECKPOINTS(
       flow text,
       path text,
       fileId text,
       lastModifiedTime bigint,
       size bigint,
       offset bigint,
       lastUpdated datetime,
       primary key (flow, path))`;

/** A row as the Java agent writes it (the importer's own row type). */
export type JavaRow = JavaCheckpointRow;

/** `lastUpdated` as the Java agent writes it: UTC `YYYY-MM-DD HH:MM:SS.SSS`. */
export function javaTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** A file's Java FileId, `(dev=<hex st_dev>,ino=<st_ino>)`, from the real file. */
export async function javaFileId(path: string): Promise<string> {
  const stats = await stat(path, { bigint: true });
  return `(dev=${stats.dev.toString(16)},ino=${stats.ino.toString()})`;
}

/** A row for a real file as the Java agent would write it after sending `offset` bytes of it. */
export async function javaRowFor(flow: string, path: string, offset: number, lastUpdated: Date): Promise<JavaRow> {
  const stats = await stat(path);
  return { flow, path, fileId: await javaFileId(path), lastModifiedTime: Math.floor(stats.mtimeMs), size: stats.size, offset, lastUpdated: javaTimestamp(lastUpdated) };
}

/**
 * Writes a Java agent checkpoint database: its schema, then the rows with the Java agent's own
 * statement (`insert or ignore into FILE_CHECKPOINTS values(?,?,?,?,?,?,?)`). `schema: false` leaves
 * the table out (a Java agent that never checkpointed).
 */
export async function writeJavaCheckpointDb(file: string, rows: readonly JavaRow[], options: { schema?: boolean } = {}): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    if (options.schema !== false) db.run(JAVA_SCHEMA);
    else db.run('create table OTHER(x int)');
    for (const row of rows) {
      db.run('insert or ignore into FILE_CHECKPOINTS values(?,?,?,?,?,?,?)', [row.flow, row.path, row.fileId, row.lastModifiedTime, row.size, row.offset, row.lastUpdated]);
    }
    await writeFile(file, db.export());
  } finally {
    db.close();
  }
}
