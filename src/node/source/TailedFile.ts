import { open, type FileHandle } from 'node:fs/promises';
import { OrderedAcks } from '../../core/acks/OrderedAcks.js';
import { LineFramer, type FrameItem, type FrameSink } from '../../core/framing/LineFramer.js';
import { fingerprintLength } from '../../core/source/findContinuation.js';
import { readSync } from 'node:fs';
import { FINGERPRINT_BYTES, fingerprintOf, fingerprintOfBytes, fingerprintOfSync, identityOf, readHead, type FileIdentity } from './fileIdentity.js';
import type { DiscoveredFile } from './FileScanner.js';
import { readsSynchronously } from './readsSynchronously.js';

/**
 * One file being tailed: its descriptor (closed while "parked"), read position, line framer and
 * ordered acks. Its identity can change once: when copytruncate copies it, the copy takes over
 * (`rebind`) so the records in flight keep acknowledging into the same tracker.
 */
export class TailedFile {
  readonly acks: OrderedAcks;
  private readonly framer: LineFramer;
  private readOffset: number;
  private handle: FileHandle | undefined;
  fingerprint = '0:';
  /** The file's first KiB (or less while it is smaller), for record ids that never change. */
  private head: Buffer = Buffer.alloc(0);
  identity: FileIdentity;
  path: string;
  size: number;
  mtimeMs: number;
  /** When the file left the pattern (renamed away or deleted): it is drained, then released. */
  goneSince: number | undefined;
  /** Last time a read returned data (for parking the least recently active file). */
  lastActive: number;
  /** Read position at the last check that the file still starts with its fingerprinted bytes. */
  verifiedOffset: number;
  /** Chunks are read synchronously: the file is on a local file system (readsSynchronously). */
  private syncReads = false;
  private decideReads: (path: string) => Promise<boolean> = readsSynchronously;
  /** When to look at an idle file again (idle files back off up to 1 s). */
  nextCheck = 0;
  idleChecks = 0;

  private constructor(file: DiscoveredFile, handle: FileHandle, startOffset: number, maxLineBytes: number, skipHeaderLines: number, now: number) {
    this.identity = file;
    this.path = file.path;
    this.size = file.size;
    this.mtimeMs = file.mtimeMs;
    this.handle = handle;
    this.readOffset = startOffset;
    this.verifiedOffset = startOffset;
    this.lastActive = now;
    this.acks = new OrderedAcks(startOffset);
    this.framer = new LineFramer(startOffset, maxLineBytes, skipHeaderLines);
  }

  /** Opens `file` and checks it is still the identity the scan saw (it may have been replaced). */
  static async open(
    file: DiscoveredFile, startOffset: number, maxLineBytes: number, skipHeaderLines: number, now: number,
    syncReads: (path: string) => Promise<boolean> = readsSynchronously,
  ): Promise<TailedFile> {
    const handle = await openChecked(file);
    try {
      const tailed = new TailedFile(file, handle, startOffset, maxLineBytes, skipHeaderLines, now);
      tailed.head = await readHead(handle, Math.max(file.size, startOffset));
      tailed.fingerprint = fingerprintOfBytes(tailed.head);
      tailed.syncReads = await syncReads(file.path);
      tailed.decideReads = syncReads;
      return tailed;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get key(): string {
    return this.identity.key;
  }

  get parked(): boolean {
    return this.handle === undefined;
  }

  get position(): number {
    return this.readOffset;
  }

  /** Bytes of the file not yet acknowledged (lag). */
  get lagBytes(): number {
    return Math.max(0, this.size - this.acks.committed);
  }

  /** Bytes of the file not yet read. */
  get unreadBytes(): number {
    return Math.max(0, this.size - this.readOffset);
  }

  /**
   * Reads into `buffer` (up to `length` bytes) at the read position and frames them; no bytes at the
   * end. The items view `buffer`: use them before the buffer is read into again.
   */
  /**
   * Reads the next bytes into `buffer`; returns how many. They must then be given to `frame`, before
   * anything else reads this file (the reader does both in one turn of the event loop).
   * Synchronous on a local file system (see readsSynchronously), as Fluent Bit's and the Java
   * agent's reads.
   */
  async read(buffer: Buffer, length: number): Promise<number> {
    const handle = this.requireHandle();
    const size = Math.min(length, buffer.length);
    const bytesRead = this.syncReads ? readSync(handle.fd, buffer, 0, size, this.readOffset) : (await handle.read(buffer, 0, size, this.readOffset)).bytesRead;
    if (bytesRead === 0) return 0;
    const start = this.readOffset;
    // Reads follow a verification of the file's start, so what they return is of the same content.
    if (this.verifiedOffset === start) this.verifiedOffset = start + bytesRead;
    this.readOffset += bytesRead;
    if (this.readOffset > this.size) this.size = this.readOffset;
    if (start < FINGERPRINT_BYTES && fingerprintLength(this.fingerprint) < FINGERPRINT_BYTES) {
      // Extend the fingerprint of a small file only while its start is unchanged: a file truncated
      // and rewritten must not silently adopt the new content as its identity.
      if (await this.verify()) {
        this.head = await readHead(handle, this.readOffset);
        this.fingerprint = fingerprintOfBytes(this.head);
      }
    }
    return bytesRead;
  }

  /** The lines of what `read` returned, to `sink` (they may view `chunk`: valid during the call). */
  frame(chunk: Uint8Array, sink: FrameSink): void {
    this.framer.pushTo(chunk, sink);
  }

  /**
   * The fingerprint for the id of a record ending at `endOffset`: of the file's first
   * min(1 KiB, endOffset) bytes, which are written before the record and never change — unlike the
   * file's fingerprint, which grows while the file is under 1 KiB. So a record sent again after a
   * crash has the same id.
   */
  fingerprintUpTo(endOffset: number): string {
    if (endOffset >= FINGERPRINT_BYTES && this.head.length >= FINGERPRINT_BYTES) return this.fingerprint;
    return fingerprintOfBytes(this.head.subarray(0, Math.min(endOffset, this.head.length)));
  }

  /**
   * Whether the file still starts with the bytes of its fingerprint. A truncation followed by new
   * writes past the read position cannot be seen in the size; it shows here.
   */
  async verify(): Promise<boolean> {
    const handle = this.requireHandle();
    const position = this.readOffset;
    // Synchronous when `read` is (which it precedes every time): 1 KiB from the page cache.
    const length = fingerprintLength(this.fingerprint);
    const fingerprint = this.syncReads ? fingerprintOfSync(handle.fd, length) : await fingerprintOf(handle, length);
    if (fingerprint !== this.fingerprint) return false;
    this.verifiedOffset = position;
    return true;
  }

  /** Size, mtime and link count from the descriptor; `nlink` 0 means deleted while open. */
  async refresh(): Promise<{ size: number; nlink: number }> {
    const stats = await this.requireHandle().stat({ bigint: true });
    this.size = Number(stats.size);
    this.mtimeMs = Number(stats.mtimeMs);
    return { size: this.size, nlink: Number(stats.nlink) };
  }

  /** Closes the descriptor of a file read to its end, to respect maxOpenFiles. */
  async park(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  /** Reopens a parked file at `file` (found by identity); false if it is not the same file any more. */
  async unpark(file: DiscoveredFile): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await openChecked(file);
    } catch {
      return false;
    }
    const length = fingerprintLength(this.fingerprint);
    if (file.key !== this.key || (await fingerprintOf(handle, length)) !== this.fingerprint) {
      await handle.close();
      return false;
    }
    this.handle = handle;
    this.path = file.path;
    return true;
  }

  /** copytruncate: the copy `file` (already opened) holds this file's data; continue in it. */
  async rebind(file: DiscoveredFile, handle: FileHandle): Promise<void> {
    // The copy starts with the same bytes: head and fingerprint stay.
    const old = this.handle;
    this.handle = handle;
    this.identity = file;
    this.path = file.path;
    this.size = file.size;
    this.syncReads = await this.decideReads(file.path);
    await old?.close();
  }

  /** The unfinished last line, delivered when the file is released (not discarded, as Java does). */
  takePartial(): FrameItem | undefined {
    return this.framer.takePartial();
  }

  async close(): Promise<void> {
    await this.park();
  }

  private requireHandle(): FileHandle {
    if (this.handle === undefined) throw new Error(`${this.path} is parked`);
    return this.handle;
  }
}

/** Opens a path and verifies its identity matches what the scan saw (no swap in between). */
export async function openChecked(file: DiscoveredFile): Promise<FileHandle> {
  const handle = await open(file.path, 'r');
  const key = identityOf(await handle.stat({ bigint: true })).key;
  if (key !== file.key) {
    await handle.close();
    throw Object.assign(new Error(`${file.path} was replaced while being opened`), { code: 'EREPLACED' });
  }
  return handle;
}
