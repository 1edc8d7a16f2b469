import { appendFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityOf } from '../../../../src/node/source/fileIdentity.js';
import { isRemoteFilesystemType, readsSynchronously } from '../../../../src/node/source/readsSynchronously.js';
import { TailedFile } from '../../../../src/node/source/TailedFile.js';
import { tempDir } from '../../../support/tempDir.js';

describe('readsSynchronously', () => {
  it.each([
    ['ext4', 0xef53, false],
    ['xfs', 0x58465342, false],
    ['tmpfs', 0x01021994, false],
    ['btrfs', 0x9123683e, false],
    ['overlayfs', 0x794c7630, false],
    ['NFS', 0x6969, true],
    ['CIFS', 0xff534d42, true],
    ['SMB2', 0xfe534d42, true],
    ['FUSE (sshfs, s3fs)', 0x65735546, true],
    ['Ceph', 0x00c36400, true],
    ['Lustre', 0x0bd00bd0, true],
  ])('%s is remote: %s', (_name, type, remote) => {
    expect(isRemoteFilesystemType(type)).toBe(remote);
  });

  it('local files on Linux are read synchronously; other platforms and unknown paths are not', async () => {
    const dir = await tempDir();
    try {
      expect(await readsSynchronously(dir.path, 'linux')).toBe(true);
      expect(await readsSynchronously(dir.path, 'darwin')).toBe(false);
      expect(await readsSynchronously(dir.path, 'win32')).toBe(false);
      expect(await readsSynchronously(join(dir.path, 'missing', 'x.log'), 'linux')).toBe(false);
    } finally {
      await dir.cleanup();
    }
  });
});

describe.each([
  ['synchronous reads (local file system)', true],
  ['reads through the thread pool (network file system)', false],
])('TailedFile with %s', (_name, sync) => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => { dir = await tempDir(); });
  afterAll(async () => dir.cleanup());

  async function open(path: string) {
    const file = { ...identityOf(await stat(path, { bigint: true })), path };
    return TailedFile.open(file, 0, 1024 * 1024, 0, Date.now(), async () => sync);
  }

  it('reads what is appended, chunk by chunk, and tells a file rewritten from the start', async () => {
    const path = join(dir.path, `app-${sync}.log`);
    await writeFile(path, 'one\ntwo\n');
    const file = await open(path);
    const buffer = Buffer.alloc(5);
    expect(await file.verify()).toBe(true);
    expect(await file.read(buffer, 5)).toBe(5);
    expect(buffer.toString()).toBe('one\nt');
    expect(await file.read(buffer, 5)).toBe(3);
    expect(buffer.subarray(0, 3).toString()).toBe('wo\n');
    expect(await file.read(buffer, 5)).toBe(0);
    await appendFile(path, 'three\n');
    expect(await file.read(buffer, 5)).toBe(5);
    await writeFile(path, 'ONE\nTWO\nTHREE\nFOUR\n'); // truncated and written past the read position
    expect(await file.verify()).toBe(false);
    await file.close();
  });
});
