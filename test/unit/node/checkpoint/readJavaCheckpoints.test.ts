import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasSqliteHeader, JavaCheckpointReadError, readJavaCheckpoints } from '../../../../src/node/checkpoint/readJavaCheckpoints.js';
import { JAVA_SCHEMA, writeJavaCheckpointDb, type JavaRow } from '../../../support/javaCheckpointDb.js';
import { tempDir } from '../../../support/tempDir.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => { dir = await tempDir('shardline-javadb-'); });
afterEach(async () => { await dir.cleanup(); });

const ROWS: JavaRow[] = [
  { flow: 'kinesis:app:/var/log/app/app.log*', path: '/var/log/app/app.log', fileId: '(dev=ca01,ino=409751)', lastModifiedTime: 1717200000123, size: 52_428_800, offset: 41_943_040, lastUpdated: '2024-06-01 00:00:01.234' },
  { flow: 'kinesis:app:/var/log/app/app.log*', path: '/var/log/app/app.log.1', fileId: '(dev=ca01,ino=409750)', lastModifiedTime: 1717100000000, size: 900, offset: 900, lastUpdated: '2024-05-31 23:00:00.000' },
  { flow: 'fh:delivery:/var/log/x.log', path: '/var/log/x.log', fileId: '(dev=ca01,ino=7)', lastModifiedTime: 0, size: 0, offset: 0, lastUpdated: '2024-05-01 00:00:00.000' },
];

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

describe('readJavaCheckpoints (sql.js over the bytes of the Java agent\'s database)', () => {
  it('reads every row with Java\'s column types, and leaves the database and its directory untouched', async () => {
    const db = join(dir.path, 'checkpoints');
    await writeJavaCheckpointDb(db, ROWS);
    const before = await sha256(db);
    const read = await readJavaCheckpoints(db);
    expect(read).toEqual({ hasTable: true, rows: ROWS, warnings: [] });
    expect(await sha256(db)).toBe(before);
    expect(await readdir(dir.path)).toEqual(['checkpoints']);
  });

  it.each([
    { name: 'a database without FILE_CHECKPOINTS (the Java agent never checkpointed)', write: (db: string) => writeJavaCheckpointDb(db, [], { schema: false }) },
    { name: 'an empty table', write: (db: string) => writeJavaCheckpointDb(db, []) },
    { name: 'an empty file (SQLite reads it as an empty database)', write: (db: string) => writeFile(db, '') },
  ])('$name: no rows', async ({ name, write }) => {
    const db = join(dir.path, 'checkpoints');
    await write(db);
    const read = await readJavaCheckpoints(db);
    expect(read.rows).toEqual([]);
    expect(read.hasTable).toBe(name === 'an empty table');
  });

  it('ignores rows it cannot use, with a warning naming them', async () => {
    const SQL = await initSqlJs();
    const sql = new SQL.Database();
    sql.run(JAVA_SCHEMA);
    sql.run('insert into FILE_CHECKPOINTS values(?,?,?,?,?,?,?)', ['kinesis:a:/l/a.log', '/l/a.log', '(dev=1,ino=2)', 5, 10, null, '2024-06-01 00:00:00.000']);
    sql.run('insert into FILE_CHECKPOINTS values(?,?,?,?,?,?,?)', ['kinesis:a:/l/a.log', '/l/b.log', '(dev=1,ino=3)', 5, 10, -1, '2024-06-01 00:00:00.000']);
    sql.run('insert into FILE_CHECKPOINTS values(?,?,?,?,?,?,?)', ['kinesis:a:/l/a.log', '/l/c.log', '(dev=1,ino=4)', 5, 10, 4, '2024-06-01 00:00:00.000']);
    const db = join(dir.path, 'checkpoints');
    await writeFile(db, sql.export());
    sql.close();
    const read = await readJavaCheckpoints(db);
    expect(read.rows.map((r) => r.path)).toEqual(['/l/c.log']);
    expect(read.warnings).toEqual([
      expect.stringMatching(/row 1 of FILE_CHECKPOINTS ignored: offset must be a non-negative integer, got null/),
      expect.stringMatching(/row 2 of FILE_CHECKPOINTS ignored: offset must be a non-negative integer, got -1/),
    ]);
  });

  it.each([
    { name: 'a hot rollback journal', suffix: '-journal', content: Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7, 0, 0, 0, 1]) },
    { name: 'a write-ahead log', suffix: '-wal', content: Buffer.alloc(32, 1) },
  ])('warns about $name next to the database: the Java agent may still be running', async ({ suffix, content }) => {
    const db = join(dir.path, 'checkpoints');
    await writeJavaCheckpointDb(db, ROWS);
    await writeFile(`${db}${suffix}`, content);
    const read = await readJavaCheckpoints(db);
    expect(read.rows).toHaveLength(3);
    expect(read.warnings).toEqual([expect.stringContaining(`${db}${suffix} exists (${content.length} bytes): the Java agent may still be running, or stopped in the middle of a transaction`)]);
  });

  it('an empty journal (none in progress) is no warning', async () => {
    const db = join(dir.path, 'checkpoints');
    await writeJavaCheckpointDb(db, ROWS);
    await writeFile(`${db}-journal`, '');
    expect((await readJavaCheckpoints(db)).warnings).toEqual([]);
  });

  it.each([
    { name: 'missing', setup: async (_db: string) => undefined, detail: 'no such file' },
    { name: 'a directory', setup: (db: string) => mkdir(db).then(() => undefined), detail: 'is a directory' },
    { name: 'not SQLite', setup: (db: string) => writeFile(db, '{"version":1,"flows":{}}'), detail: 'not a SQLite database (no "SQLite format 3" header)' },
    {
      name: 'damaged (a SQLite header, then garbage)',
      setup: (db: string) => writeFile(db, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.from([0x10, 0x00, 0x01, 0x01]), Buffer.alloc(4000, 0xab)])),
      detail: expect.stringMatching(/^not a readable SQLite database \(.+\)$/),
    },
  ])('$name: an error naming the file', async ({ setup, detail }) => {
    const db = join(dir.path, 'checkpoints');
    await setup(db);
    const error = await readJavaCheckpoints(db).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(JavaCheckpointReadError);
    expect(error).toMatchObject({ file: db, detail, message: expect.stringContaining(`cannot read the Java agent's checkpoint database ${db}: `) });
  });

  it('hasSqliteHeader: true only for a SQLite file it can read', async () => {
    const db = join(dir.path, 'db');
    const json = join(dir.path, 'json');
    await writeJavaCheckpointDb(db, []);
    await writeFile(json, '{}');
    expect(await Promise.all([db, json, join(dir.path, 'missing'), dir.path].map(hasSqliteHeader))).toEqual([true, false, false, false]);
  });
});
