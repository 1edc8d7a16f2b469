import { createHash } from 'node:crypto';
import { readSync, type BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Bytes hashed for a file's fingerprint: enough to tell files with identical first lines apart. */
export const FINGERPRINT_BYTES = 1024;

export interface FileIdentity {
  /** `<dev>:<ino>`, the checkpoint key (DESIGN §2). */
  key: string;
  dev: string;
  ino: string;
  size: number;
  mtimeMs: number;
}

/** Identity from `stat(..., { bigint: true })`: inode numbers can exceed 2^53 on some filesystems. */
export function identityOf(stats: BigIntStats): FileIdentity {
  const dev = stats.dev.toString();
  const ino = stats.ino.toString();
  return { key: `${dev}:${ino}`, dev, ino, size: Number(stats.size), mtimeMs: Number(stats.mtimeMs) };
}

/**
 * `<length>:<sha1 hex>` of the first min(size, 1 KiB) bytes. With device+inode it recognises a reused
 * inode as a new file.
 */
export async function fingerprintOf(handle: FileHandle, size: number): Promise<string> {
  return fingerprintOfBytes(await readHead(handle, size));
}

/** fingerprintOf with a synchronous read of the descriptor (see TailedFile#read). */
export function fingerprintOfSync(fd: number, size: number): string {
  const buffer = headBuffer.subarray(0, Math.min(size, FINGERPRINT_BYTES));
  const bytesRead = buffer.length === 0 ? 0 : readSync(fd, buffer, 0, buffer.length, 0);
  return fingerprintOfBytes(buffer.subarray(0, bytesRead));
}

/** fingerprintOfSync's buffer (used and done with within one call). */
const headBuffer = Buffer.alloc(FINGERPRINT_BYTES);

/** The file's first min(size, 1 KiB) bytes. */
export async function readHead(handle: FileHandle, size: number): Promise<Buffer> {
  const length = Math.min(size, FINGERPRINT_BYTES);
  const buffer = Buffer.alloc(length);
  const { bytesRead } = length === 0 ? { bytesRead: 0 } : await handle.read(buffer, 0, length, 0);
  return buffer.subarray(0, bytesRead);
}

export function fingerprintOfBytes(head: Uint8Array): string {
  return `${head.length}:${createHash('sha1').update(head).digest('hex')}`;
}

/** Whether the file still starts with the bytes a stored fingerprint was taken of. */
export async function matchesFingerprint(handle: FileHandle, fingerprint: string): Promise<boolean> {
  const length = Number(fingerprint.slice(0, fingerprint.indexOf(':')));
  if (!Number.isSafeInteger(length) || length < 0) return false;
  return (await fingerprintOf(handle, length)) === fingerprint;
}
