import { describe, expect, it } from 'vitest';
import { newestRows, planJavaImport, type CurrentFile, type ImportTarget, type JavaCheckpointRow } from '../../../../src/core/checkpoint/planJavaImport.js';

const NOW = '2024-06-01T00:00:00.000Z';
const FLOW = 'kinesis:app:/logs/app.log*';

/** A file on device 2049 (`(dev=801,…)` for Java); `unreadable` leaves it without a fingerprint. */
const file = (name: string, ino: number, size: number, mtimeMs: number, unreadable?: 'unreadable'): CurrentFile => ({
  path: `/logs/${name}`, dev: '2049', ino: String(ino), size, mtimeMs, fingerprint: unreadable === undefined ? `fp-${name}` : undefined,
});

const row = (ino: number, offset: number, lastUpdated = '2024-05-31 23:59:00.000', flow = FLOW, path = '/logs/app.log'): JavaCheckpointRow => ({
  flow, path, fileId: `(dev=801,ino=${ino})`, lastModifiedTime: 1000, size: offset, offset, lastUpdated,
});

const target = (files: CurrentFile[], extra: Partial<ImportTarget> = {}): ImportTarget => ({
  key: FLOW, id: FLOW, javaIds: [FLOW], hasCheckpoints: false, files, ...extra,
});

/** The plan of the one target, as names and offsets so the table reads plainly. */
function summary(rows: JavaCheckpointRow[], t: ImportTarget) {
  const plan = planJavaImport(rows, [t], NOW).flows[0]!;
  if (plan.action === 'skip') return { skip: plan.reason, unusable: plan.unusable };
  const name = (f: CurrentFile) => f.path.slice('/logs/'.length);
  return {
    resume: `${name(plan.resume.file)}@${plan.resume.offset}`,
    newer: plan.newer.map(name).sort(),
    older: plan.older.map(name).sort(),
    entries: Object.fromEntries(Object.entries(plan.entries).map(([key, e]) => [key, `${name(e)}@${e.offset}`])),
    ...(plan.unreadable.length > 0 ? { unreadable: plan.unreadable.map(name) } : {}),
  };
}

describe('planJavaImport (Java rows × files on disk now → Shardline checkpoints)', () => {
  it.each([
    {
      name: 'rotated while stopped: the checkpointed inode is found under its new name; newer read from 0, older treated as sent',
      rows: [row(2, 40)],
      files: [file('app.log.2', 1, 500, 1000), file('app.log.1', 2, 100, 2000), file('app.log', 3, 30, 3000)],
      expected: { resume: 'app.log.1@40', newer: ['app.log'], older: ['app.log.2'], entries: { '2049:2': 'app.log.1@40', '2049:1': 'app.log.2@500' } },
    },
    {
      name: 'no rotation: resume mid-file, nothing else',
      rows: [row(3, 10)],
      files: [file('app.log', 3, 30, 3000)],
      expected: { resume: 'app.log@10', newer: [], older: [], entries: { '2049:3': 'app.log@10' } },
    },
    {
      name: 'the newest row of the flow wins (order by lastUpdated desc limit 1)',
      rows: [row(1, 500, '2024-05-31 10:00:00.000', FLOW, '/logs/app.log.2'), row(2, 40, '2024-05-31 10:00:00.001', FLOW, '/logs/app.log.1'), row(1, 7, '2024-05-30 23:59:59.999')],
      files: [file('app.log.2', 1, 500, 1000), file('app.log.1', 2, 100, 2000)],
      expected: { resume: 'app.log.1@40', newer: [], older: ['app.log.2'], entries: { '2049:2': 'app.log.1@40', '2049:1': 'app.log.2@500' } },
    },
    {
      name: 'offset equal to the size: resumes at the end',
      rows: [row(3, 30)],
      files: [file('app.log', 3, 30, 3000)],
      expected: { resume: 'app.log@30', newer: [], older: [], entries: { '2049:3': 'app.log@30' } },
    },
    {
      name: 'same modification time: the smaller file is the newer one (Java TrackedFile.isNewer), in whole milliseconds',
      rows: [row(2, 40)],
      files: [file('app.log.1', 2, 100, 2000.2), file('app.log', 3, 10, 2000.9), file('app.log.0', 4, 200, 2000.5)],
      expected: { resume: 'app.log.1@40', newer: ['app.log'], older: ['app.log.0'], entries: { '2049:2': 'app.log.1@40', '2049:4': 'app.log.0@200' } },
    },
    {
      name: 'an older file that cannot be read gets no entry and is reported',
      rows: [row(2, 40)],
      files: [file('app.log.2', 1, 500, 1000, 'unreadable'), file('app.log.1', 2, 100, 2000)],
      expected: { resume: 'app.log.1@40', newer: [], older: ['app.log.2'], entries: { '2049:2': 'app.log.1@40' }, unreadable: ['app.log.2'] },
    },
    {
      name: 'the checkpointed file is gone: nothing imported, initialPosition applies',
      rows: [row(9, 40)],
      files: [file('app.log', 3, 30, 3000)],
      expected: { skip: expect.stringContaining('is not among the files matching the pattern now'), unusable: true },
    },
    {
      name: 'the checkpointed file is shorter than the offset (truncated, or inode reused): nothing imported',
      rows: [row(3, 31)],
      files: [file('app.log', 3, 30, 3000)],
      expected: { skip: expect.stringContaining('has 30 bytes, fewer than the checkpoint offset 31'), unusable: true },
    },
    {
      name: 'the checkpointed file cannot be read: nothing imported',
      rows: [row(3, 10)],
      files: [file('app.log', 3, 30, 3000, 'unreadable')],
      expected: { skip: '/logs/app.log cannot be read', unusable: true },
    },
    {
      name: 'a fileId that is no Unix file key',
      rows: [{ ...row(3, 10), fileId: 'null' }],
      files: [file('app.log', 3, 30, 3000)],
      expected: { skip: expect.stringContaining('is not a (dev=…,ino=…) file key'), unusable: true },
    },
    {
      name: 'no row for the flow',
      rows: [row(3, 10, '2024-05-31 23:59:00.000', 'kinesis:other:/logs/other.log')],
      files: [file('app.log', 3, 30, 3000)],
      expected: { skip: 'no Java checkpoint for this flow', unusable: false },
    },
  ])('$name', ({ rows, files, expected }) => {
    expect(summary(rows, target(files))).toEqual(expected);
  });

  it('never imports over Shardline checkpoints of a flow', () => {
    const plan = planJavaImport([row(3, 10)], [target([file('app.log', 3, 30, 3000)], { hasCheckpoints: true })], NOW);
    expect(plan.flows[0]).toMatchObject({ action: 'skip', reason: expect.stringContaining('Shardline already has checkpoints'), unusable: false });
    expect(plan.otherFlows).toEqual([]);
  });

  it('lists the newest row of each Java flow no configured flow takes', () => {
    const other = row(5, 1, '2024-05-31 00:00:00.000', 'fh:gone:/var/log/x.log', '/var/log/x.log');
    const plan = planJavaImport([row(3, 10), other, { ...other, offset: 0, lastUpdated: '2024-05-30 00:00:00.000' }], [target([file('app.log', 3, 30, 3000)])], NOW);
    expect(plan.flows[0]?.action).toBe('import');
    expect(plan.otherFlows).toEqual([other]);
  });

  it('finds a row by any of the flow\'s Java ids (the Java spelling of the pattern, or the pattern as written)', () => {
    const plan = planJavaImport([row(3, 10, undefined, 'kinesis:app:/logs//app.log*')], [target([file('app.log', 3, 30, 3000)], { javaIds: [FLOW, 'kinesis:app:/logs//app.log*'] })], NOW);
    expect(plan.flows[0]?.action).toBe('import');
  });

  it('writes entries the file source resumes from: identity, fingerprint, offset, current size and mtime', () => {
    const plan = planJavaImport([row(2, 40)], [target([file('app.log.2', 1, 500, 1000), file('app.log.1', 2, 100, 2000)])], NOW).flows[0]!;
    expect(plan.action === 'import' && plan.entries).toEqual({
      '2049:2': { path: '/logs/app.log.1', dev: '2049', ino: '2', fingerprint: 'fp-app.log.1', offset: 40, size: 100, mtimeMs: 2000, updatedAt: NOW },
      '2049:1': { path: '/logs/app.log.2', dev: '2049', ino: '1', fingerprint: 'fp-app.log.2', offset: 500, size: 500, mtimeMs: 1000, updatedAt: NOW },
    });
    // The resumed file first: the source matches checkpoint entries in order.
    expect(plan.action === 'import' && Object.keys(plan.entries)[0]).toBe('2049:2');
  });

  it('imports one Java row into every flow with that Java id (one pattern shipped to two regions)', () => {
    const files = [file('app.log', 3, 30, 3000)];
    const plan = planJavaImport([row(3, 10)], [target(files), target(files, { key: `${FLOW}|region=eu-west-1` })], NOW);
    expect(plan.flows.map((f) => f.action)).toEqual(['import', 'import']);
  });
});

describe('newestRows', () => {
  it('keeps the row with the greatest lastUpdated text per flow; the first one read on a tie', () => {
    const a = row(1, 1, '2024-05-31 10:00:00.000');
    const b = row(2, 2, '2024-05-31 10:00:00.000');
    const c = row(3, 3, '2024-05-31 09:59:59.999', 'fh:x:/y');
    expect(newestRows([a, b, c])).toEqual(new Map([[FLOW, a], ['fh:x:/y', c]]));
  });
});
