import { open, type FileHandle } from 'node:fs/promises';
import { OrderedAcks } from '../../core/acks/OrderedAcks.js';
import { LineFramer, type FrameItem } from '../../core/framing/LineFramer.js';
import { FINGERPRINT_BYTES, fingerprintOf, identityOf } from './fileIdentity.js';
import type { DiscoveredFile } from './FileDiscovery.js';

/** One file being tailed: its descriptor, read position, line framer and ordered acks. */
export class TailedFile {
  readonly acks: OrderedAcks;
  private readonly framer: LineFramer;
  private readOffset: number;
  fingerprint = '0:';
  size: number;
  mtimeMs: number;
  path: string;
  /** When the file left the pattern's listing (renamed away or deleted): drained, then released. */
  goneSince: number | undefined;

  private constructor(
    readonly identity: DiscoveredFile,
    private readonly handle: FileHandle,
    startOffset: number,
    maxLineBytes: number,
    skipHeaderLines: number,
  ) {
    this.path = identity.path;
    this.size = identity.size;
    this.mtimeMs = identity.mtimeMs;
    this.readOffset = startOffset;
    this.acks = new OrderedAcks(startOffset);
    this.framer = new LineFramer(startOffset, maxLineBytes, skipHeaderLines);
  }

  static async open(file: DiscoveredFile, maxLineBytes: number, skipHeaderLines: number, chooseOffset: (handle: FileHandle) => Promise<number>): Promise<TailedFile> {
    const handle = await open(file.path, 'r');
    try {
      const offset = await chooseOffset(handle);
      const tailed = new TailedFile(file, handle, offset, maxLineBytes, skipHeaderLines);
      tailed.fingerprint = await fingerprintOf(handle, file.size);
      return tailed;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get key(): string {
    return this.identity.key;
  }

  /** Bytes read from disk but not yet acknowledged. */
  get unacknowledgedBytes(): number {
    return this.readOffset - this.acks.committed;
  }

  /** Bytes of the file not yet acknowledged (lag). */
  get lagBytes(): number {
    return Math.max(0, this.size - this.acks.committed);
  }

  get position(): number {
    return this.readOffset;
  }

  /**
   * Reads up to `chunkBytes` at the read position and frames them. Returns the items (empty at the
   * end of the file), after checking for truncation there.
   */
  async read(chunkBytes: number): Promise<{ items: FrameItem[]; bytes: number; truncated: boolean }> {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const { bytesRead } = await this.handle.read(buffer, 0, chunkBytes, this.readOffset);
    if (bytesRead === 0) return { items: [], bytes: 0, truncated: await this.refreshStats() };
    const start = this.readOffset;
    this.readOffset += bytesRead;
    if (this.readOffset > this.size) this.size = this.readOffset;
    if (start < FINGERPRINT_BYTES && Number(this.fingerprint.split(':')[0]) < FINGERPRINT_BYTES) {
      this.fingerprint = await fingerprintOf(this.handle, this.readOffset);
    }
    return { items: this.framer.push(buffer.subarray(0, bytesRead)), bytes: bytesRead, truncated: false };
  }

  /** The unfinished last line, delivered when the file is released (not discarded, as Java does). */
  takePartial(): FrameItem | undefined {
    return this.framer.takePartial();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  /** Updates size and mtime; true when the file shrank below what was read (truncation). */
  private async refreshStats(): Promise<boolean> {
    const identity = identityOf(await this.handle.stat({ bigint: true }));
    this.size = identity.size;
    this.mtimeMs = identity.mtimeMs;
    return identity.size < this.readOffset;
  }
}
