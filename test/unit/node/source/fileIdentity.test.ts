import { open, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINGERPRINT_BYTES, fingerprintOf, identityOf, matchesFingerprint } from '../../../../src/node/source/fileIdentity.js';
import { tempDir } from '../../../support/tempDir.js';

describe('file identity', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => { dir = await tempDir(); });
  afterAll(async () => dir.cleanup());

  async function fingerprint(content: string | Buffer, size?: number): Promise<string> {
    const path = join(dir.path, `f${Math.random()}`);
    await writeFile(path, content);
    const handle = await open(path, 'r');
    try {
      return await fingerprintOf(handle, size ?? Buffer.byteLength(content));
    } finally {
      await handle.close();
    }
  }

  const header = 'timestamp,level,message\n';
  it.each([
    ['identical files', header + 'a\n', header + 'a\n', true],
    ['identical first line, different second line', header + 'a\n', header + 'b\n', false],
    ['identical first KiB, different after it', 'x'.repeat(FINGERPRINT_BYTES) + 'a', 'x'.repeat(FINGERPRINT_BYTES) + 'b', true],
    ['empty files', '', '', true],
  ])('%s → same fingerprint: %s', async (_name, a, b, same) => {
    expect((await fingerprint(a)) === (await fingerprint(b))).toBe(same);
  });

  it.each([
    [10, '10:'],
    [5000, `${FINGERPRINT_BYTES}:`],
    [0, '0:'],
  ])('covers min(size, 1 KiB) bytes: size %i → %s…', async (size, prefix) => {
    expect(await fingerprint('y'.repeat(size))).toMatch(new RegExp(`^${prefix}[0-9a-f]{40}$`));
  });

  it('a file that grew still matches the fingerprint taken when it was small; a rewritten one does not', async () => {
    const path = join(dir.path, 'grow.log');
    await writeFile(path, 'first\n');
    let handle = await open(path, 'r');
    const small = await fingerprintOf(handle, 6);
    await handle.close();
    await writeFile(path, 'first\nsecond\n');
    handle = await open(path, 'r');
    expect(await matchesFingerprint(handle, small)).toBe(true);
    await handle.close();
    await writeFile(path, 'other\n');
    handle = await open(path, 'r');
    expect(await matchesFingerprint(handle, small)).toBe(false);
    await handle.close();
  });

  it('keys by device and inode, exact beyond 2^53', async () => {
    const path = join(dir.path, 'k.log');
    await writeFile(path, 'x');
    const stats = await stat(path, { bigint: true });
    const identity = identityOf(stats);
    expect(identity.key).toBe(`${stats.dev}:${stats.ino}`);
    expect(identityOf({ ...stats, ino: 2n ** 60n + 1n } as typeof stats).ino).toBe('1152921504606846977');
  });
});
