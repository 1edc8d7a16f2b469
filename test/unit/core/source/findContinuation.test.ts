import { describe, expect, it } from 'vitest';
import { findContinuation, type Candidate, type KnownFile } from '../../../../src/core/source/findContinuation.js';

/** Files as strings of content; a "hash" is the prefix itself, so the tests read plainly. */
function world(files: Partial<Record<string, { content: string; matches?: boolean }>>) {
  const candidates: Candidate[] = Object.entries(files).flatMap(([key, f]) => (f === undefined ? [] : [{ key, path: `/logs/${key}`, size: f.content.length, matches: f.matches ?? true }]));
  const hashPrefix = async (c: Candidate, length: number) => {
    const content = files[c.key]?.content ?? '';
    return content.length < length ? undefined : `${length}:${content.slice(0, length)}`;
  };
  return { candidates, hashPrefix };
}

const known = (key: string, content: string, offset: number, size = offset): KnownFile => ({ key, fingerprint: `${content.length}:${content}`, offset, size });

describe('findContinuation (restart search and copytruncate)', () => {
  it.each([
    { name: 'same inode, same start: continue', files: { a: { content: 'hello world' } }, known: known('a', 'hello', 8), expected: { key: 'a', how: 'same' } },
    { name: 'same inode renamed to a non-matching name: continue', files: { a: { content: 'hello world', matches: false } }, known: known('a', 'hello', 8), expected: { key: 'a', how: 'same' } },
    { name: 'inode reused by another file: no continuation', files: { a: { content: 'other stuff' } }, known: known('a', 'hello', 8), expected: undefined },
    { name: 'same inode truncated below the offset, copy elsewhere: the copy', files: { a: { content: 'new' }, b: { content: 'hello world', matches: false } }, known: known('a', 'hello', 8), expected: { key: 'b', how: 'copy' } },
    { name: 'copy shorter than the offset is not it', files: { a: { content: '' }, b: { content: 'hello' } }, known: known('a', 'hello', 8), expected: undefined },
    { name: 'identical first lines in different files: the fingerprint covers 1 KiB, not a line', files: { a: { content: 'header\nA' }, b: { content: 'header\nB' } }, known: known('a', 'header\nA', 8), expected: { key: 'a', how: 'same' } },
    { name: 'several copies: the closest in size wins', files: { b: { content: 'hello world and more' }, c: { content: 'hello world' } }, known: known('a', 'hello', 9, 11), expected: { key: 'c', how: 'copy' } },
    { name: 'an empty known file has no copies', files: { b: { content: '' } }, known: known('a', '', 0), expected: undefined },
    { name: 'gone entirely', files: {}, known: known('a', 'hello', 5), expected: undefined },
  ])('$name', async ({ files, known: k, expected }) => {
    const { candidates, hashPrefix } = world(files);
    const found = await findContinuation(k, candidates, hashPrefix);
    expect(found === undefined ? undefined : { key: found.candidate.key, how: found.how }).toEqual(expected);
  });

  it('skips candidates already claimed by another known file', async () => {
    const { candidates, hashPrefix } = world({ b: { content: 'hello world' } });
    expect(await findContinuation(known('a', 'hello', 5), candidates, hashPrefix, new Set(['b']))).toBeUndefined();
  });
});
