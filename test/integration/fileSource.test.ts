import { appendFile, copyFile, mkdir, open, rename, rm, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { numbered, sleep, sourceHarness } from '../support/sourceHarness.js';
import { tempDir } from '../support/tempDir.js';

/** Counts of each line: every expected line exactly `times`, nothing else. */
function expectLines(got: string[], expected: string, times = 1): void {
  const want = expected.split(/(?<=\n)/).filter((l) => l !== '');
  const counts = new Map<string, number>();
  for (const line of got) counts.set(line, (counts.get(line) ?? 0) + 1);
  const missing = want.filter((l) => (counts.get(l) ?? 0) < times);
  const extra = [...counts].filter(([l, n]) => !want.includes(l) || n > times);
  expect({ missing: missing.slice(0, 5), missingCount: missing.length, extra: extra.slice(0, 5) }).toEqual({ missing: [], missingCount: 0, extra: [] });
}

describe('file source: discovery, rotation, identity, restarts (real files)', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let harnesses: { stop: () => Promise<void> }[] = [];
  beforeEach(async () => { dir = await tempDir(); harnesses = []; });
  afterEach(async () => {
    for (const h of harnesses) await h.stop().catch(() => undefined);
    await dir.cleanup();
  });
  const start = (options: Parameters<typeof sourceHarness>[0]) => {
    const h = sourceHarness(options);
    harnesses.push(h);
    return h;
  };
  const p = (...parts: string[]) => join(dir.path, ...parts);

  it('tails many files at once under a directory glob; ignores .gz; new files within a second', async () => {
    for (const d of ['a', 'b', 'c']) await mkdir(p(d));
    for (const d of ['a', 'b']) await writeFile(p(d, 'app1.log'), numbered(d, 0, 100));
    await writeFile(p('a', 'app0.log.gz'), 'compressed\n');
    await writeFile(p('a', 'other.log'), 'not matching\n');
    const h = start({ filePattern: p('*', 'app*.log') });
    await h.until(() => h.lines.length === 200);
    const appearedAt = Date.now();
    await writeFile(p('c', 'app2.log'), numbered('c', 0, 50));
    await appendFile(p('a', 'app1.log'), numbered('a', 100, 150));
    await h.until(() => h.lines.length === 300);
    expect(Date.now() - appearedAt).toBeLessThan(1500);
    expectLines(h.lines, numbered('a', 0, 150) + numbered('b', 0, 100) + numbered('c', 0, 50));
  });

  it('walks ** at any depth and reports a symlink loop instead of following it forever', async () => {
    await mkdir(p('x', 'y', 'z'), { recursive: true });
    await writeFile(p('access.log'), 'top\n');
    await writeFile(p('x', 'y', 'z', 'access.log'), 'deep\n');
    await symlink(dir.path, p('x', 'loop'));
    const h = start({ filePattern: p('**', 'access.log') });
    await h.until(() => h.lines.length === 2);
    await h.until(() => h.source.warnings().some((w) => w.includes('symlink loop')));
    expectLines(h.lines, 'top\ndeep\n');
  });

  it('reports a directory that does not exist yet, and tails it once it appears', async () => {
    const h = start({ filePattern: p('later', '*.log') });
    await h.until(() => h.source.warnings().some((w) => w.includes('does not exist yet')));
    await mkdir(p('later'));
    await writeFile(p('later', 'x.log'), numbered('x', 0, 10));
    await h.until(() => h.lines.length === 10);
    await h.until(() => h.source.warnings().length === 0);
  });

  it('rename + create: the renamed file is read to its end though its name no longer matches, lines written through the old descriptor included', async () => {
    await writeFile(p('app.log'), numbered('one', 0, 100));
    const h = start({ filePattern: p('app.log') });
    await h.until(() => h.lines.length === 100);
    const old = await open(p('app.log'), 'a');
    await rename(p('app.log'), p('app.log.1'));
    await old.appendFile(numbered('one', 100, 120)); // the writer has not reopened yet
    await old.close();
    await writeFile(p('app.log'), numbered('two', 0, 30));
    await h.until(() => h.lines.length === 150);
    await h.until(() => h.events.some((e) => e.startsWith(`released ${p('app.log.1')}`)));
    expectLines(h.lines, numbered('one', 0, 120) + numbered('two', 0, 30));
  });

  it.each([
    ['a pattern the copy matches', 'app.log*'],
    ['an exact pattern the copy does not match', 'app.log'],
  ])('copytruncate with %s: the copy continues where the original was, nothing resent, the original restarts at 0', async (_name, pattern) => {
    await writeFile(p('app.log'), numbered('before', 0, 200));
    const h = start({ filePattern: p(pattern) });
    await h.until(() => h.lines.length === 200);
    await appendFile(p('app.log'), numbered('before', 200, 210));
    await copyFile(p('app.log'), p('app.log.1'));
    await truncate(p('app.log'), 0);
    await appendFile(p('app.log'), numbered('after', 0, 40));
    await h.until(() => h.lines.length >= 250);
    await sleep(2000); // past the copy grace period: a mistaken "new file" would be read by now
    expectLines(h.lines, numbered('before', 0, 210) + numbered('after', 0, 40));
    expect(h.events.some((e) => e.startsWith('rekeyed'))).toBe(true);
  });

  it('plain truncation restarts at 0 without resending what was before', async () => {
    await writeFile(p('app.log'), numbered('old', 0, 50));
    const h = start({ filePattern: p('app.log') });
    await h.until(() => h.lines.length === 50);
    await truncate(p('app.log'), 0);
    await sleep(100);
    await appendFile(p('app.log'), numbered('new', 0, 5));
    await h.until(() => h.lines.length === 55);
    await sleep(500);
    expectLines(h.lines, numbered('old', 0, 50) + numbered('new', 0, 5));
  });

  it.each([
    ['plain truncation', false],
    ['copytruncate', true],
  ])('%s followed by writes past the read position before the source looks: nothing lost', async (_name, copy) => {
    let budget = true;
    await writeFile(p('app.log'), numbered('old', 0, 100));
    const h = start({ filePattern: p('app.log*'), hasBudget: () => budget });
    await h.until(() => h.lines.length === 100);
    budget = false; // the agent is busy: it does not read, but it still scans
    await appendFile(p('app.log'), numbered('old', 100, 150));
    if (copy) await copyFile(p('app.log'), p('app.log.1'));
    await truncate(p('app.log'), 0);
    await appendFile(p('app.log'), numbered('new', 0, 400)); // longer than what was read
    await sleep(600);
    budget = true;
    h.source.wake();
    await h.until(() => new Set(h.lines).size >= 150 + 400 - (copy ? 0 : 50));
    await sleep(copy ? 2000 : 500);
    const got = new Set(h.lines);
    const want = (copy ? numbered('old', 0, 150) : numbered('old', 0, 100)) + numbered('new', 0, 400);
    expect(want.split(/(?<=\n)/).filter((l) => l !== '' && !got.has(l))).toEqual([]);
  });

  it('a file deleted while open is drained before it is closed', async () => {
    let budget = true;
    await writeFile(p('app.log'), numbered('a', 0, 10));
    const h = start({ filePattern: p('app.log'), hasBudget: () => budget });
    await h.until(() => h.lines.length === 10);
    budget = false;
    await appendFile(p('app.log'), numbered('a', 10, 5000));
    await unlink(p('app.log'));
    await sleep(400);
    budget = true;
    h.source.wake();
    await h.until(() => h.lines.length === 5000);
    await h.until(() => h.events.some((e) => e.includes('deleted, and read to its end')));
    expectLines(h.lines, numbered('a', 0, 5000));
  });

  it('a rotated file written again is continued, not resent (Java #87)', async () => {
    await writeFile(p('app.log'), numbered('x', 0, 20));
    const h = start({ filePattern: p('app.log*') });
    await h.until(() => h.lines.length === 20);
    await rename(p('app.log'), p('app.log.1'));
    await writeFile(p('app.log'), numbered('y', 0, 5));
    await h.until(() => h.lines.length === 25);
    await sleep(600);
    await appendFile(p('app.log.1'), numbered('x', 20, 30));
    await h.until(() => h.lines.length === 35);
    expectLines(h.lines, numbered('x', 0, 30) + numbered('y', 0, 5));
  });

  it('a symlink swapped to a new target: the old target is drained, the new one read from 0', async () => {
    await writeFile(p('a.log'), numbered('a', 0, 10));
    await writeFile(p('b.log'), numbered('b', 0, 10));
    await symlink(p('a.log'), p('current'));
    const h = start({ filePattern: p('current') });
    await h.until(() => h.lines.length === 10);
    await appendFile(p('a.log'), numbered('a', 10, 15));
    await rm(p('current'));
    await symlink(p('b.log'), p('current'));
    await h.until(() => h.lines.length === 25);
    expectLines(h.lines, numbered('a', 0, 15) + numbered('b', 0, 10));
  });

  it('the partial last line of a released file is delivered, not discarded', async () => {
    await writeFile(p('app.log'), 'complete\npartial without newline');
    const h = start({ filePattern: p('app.log') });
    await h.until(() => h.lines.length === 1);
    await rename(p('app.log'), p('gone.txt'));
    await h.until(() => h.lines.length === 2);
    expect(h.lines).toEqual(['complete\n', 'partial without newline']);
  });

  it('restart: each checkpoint continues where its data is now — renamed away, copied, or in place', async () => {
    await writeFile(p('app.log'), numbered('r', 0, 100));
    await writeFile(p('other.log'), numbered('o', 0, 100));
    await writeFile(p('copied.log'), numbered('c', 0, 100));
    const first = start({ filePattern: p('*.log') });
    await first.until(() => first.lines.length === 300);
    await first.stop();
    const checkpoints = structuredClone(first.checkpoints);
    // While the agent is down: more lines everywhere, app.log renamed away, copied.log copytruncated.
    await appendFile(p('app.log'), numbered('r', 100, 120));
    await rename(p('app.log'), p('app.log.1'));
    await appendFile(p('other.log'), numbered('o', 100, 110));
    await appendFile(p('copied.log'), numbered('c', 100, 105));
    await copyFile(p('copied.log'), p('copied.log.1'));
    await truncate(p('copied.log'), 0);
    await appendFile(p('copied.log'), numbered('c2', 0, 3));
    const second = start({ filePattern: p('*.log'), checkpoints, firstStart: false });
    await second.until(() => second.lines.length === 20 + 10 + 5 + 3);
    await sleep(500);
    expectLines(second.lines, numbered('r', 100, 120) + numbered('o', 100, 110) + numbered('c', 100, 105) + numbered('c2', 0, 3));
  });

  it('initialPosition END_OF_FILE applies only to files present at a first start; later files are read from 0', async () => {
    await writeFile(p('old.log'), numbered('old', 0, 10));
    const h = start({ filePattern: p('*.log'), initialPosition: 'END_OF_FILE' });
    await h.until(() => h.events.some((e) => e.includes('initialPosition END_OF_FILE')));
    await appendFile(p('old.log'), numbered('old', 10, 12));
    await writeFile(p('new.log'), numbered('new', 0, 3));
    await h.until(() => h.lines.length === 5);
    expectLines(h.lines, numbered('old', 10, 12) + numbered('new', 0, 3));
  });

  it('skipHeaderLines applies to every file read from 0, including rotated-in ones', async () => {
    await writeFile(p('a.csv'), 'h1\nh2\nrow a\n');
    const h = start({ filePattern: p('*.csv'), skipHeaderLines: 2 });
    await h.until(() => h.lines.length === 1);
    await writeFile(p('b.csv'), 'h1\nh2\nrow b\n');
    await h.until(() => h.lines.length === 2);
    expect(h.lines.sort()).toEqual(['row a\n', 'row b\n']);
  });

  it('maxOpenFiles: files read to their end are closed, least recently active first, and reopened by identity', async () => {
    for (let i = 0; i < 6; i += 1) await writeFile(p(`f${i}.log`), numbered(`f${i}`, 0, 10));
    const h = start({ filePattern: p('*.log'), maxOpenFiles: 2 });
    await h.until(() => h.lines.length === 60, 20_000);
    let expected = '';
    for (let i = 0; i < 6; i += 1) expected += numbered(`f${i}`, 0, 10);
    for (let round = 1; round <= 2; round += 1) {
      for (let i = 0; i < 6; i += 1) {
        await appendFile(p(`f${i}.log`), numbered(`f${i}`, round * 10, round * 10 + 10));
        expected += numbered(`f${i}`, round * 10, round * 10 + 10);
      }
      await h.until(() => h.lines.length === 60 * (round + 1), 20_000);
    }
    expectLines(h.lines, expected);
    expect(h.maxOpen).toBeLessThanOrEqual(2);
    expect(h.source.openCount).toBeLessThanOrEqual(2);
  });

  it('maxHeldFileBytes: during an outage a rotated file is held; past the cap the oldest is released, loudly', async () => {
    let budget = true;
    await writeFile(p('app.log'), numbered('a', 0, 10));
    const h = start({ filePattern: p('app.log'), hasBudget: () => budget, maxHeldFileBytes: 10_000 });
    await h.until(() => h.lines.length === 10);
    budget = false;
    await appendFile(p('app.log'), numbered('a', 10, 5000));
    await rename(p('app.log'), p('app.log.1'));
    await h.until(() => h.events.some((e) => e.startsWith(`abandoned ${p('app.log.1')}`)));
  });
});
