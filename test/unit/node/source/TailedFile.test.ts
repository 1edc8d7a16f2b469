import { appendFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityOf } from '../../../../src/node/source/fileIdentity.js';
import { TailedFile } from '../../../../src/node/source/TailedFile.js';
import { tempDir } from '../../../support/tempDir.js';

describe('TailedFile record-id fingerprints', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => { dir = await tempDir(); });
  afterAll(async () => dir.cleanup());

  async function open(path: string, offset: number) {
    const file = { ...identityOf(await stat(path, { bigint: true })), path };
    return TailedFile.open(file, offset, 1024 * 1024, 0, Date.now());
  }

  it('the id of a record in a young file stays the same as the file grows past 1 KiB, and after a reopen', async () => {
    const path = join(dir.path, 'young.log');
    await writeFile(path, 'first record\n');
    const buffer = Buffer.alloc(64 * 1024);
    const file = await open(path, 0);
    await file.read(buffer, buffer.length);
    const early = file.fingerprintUpTo(13);
    await appendFile(path, `${'x'.repeat(3000)}\n`);
    await file.read(buffer, buffer.length);
    expect(file.fingerprint.startsWith('1024:')).toBe(true);
    expect(file.fingerprintUpTo(13)).toBe(early);
    await file.close();
    const again = await open(path, 13); // after a crash, from the checkpoint
    expect(again.fingerprintUpTo(13)).toBe(early);
    expect(again.fingerprintUpTo(3014)).toBe(again.fingerprint);
    await again.close();
  });
});
