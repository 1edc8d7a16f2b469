import type { FileHandle } from 'node:fs/promises';
import type { FrameItem } from '../../core/framing/LineFramer.js';
import type { FlowCheckpoints } from '../../shared/checkpoint/checkpointDocument.js';
import { FileDiscovery, type DiscoveredFile } from './FileDiscovery.js';
import { matchesFingerprint } from './fileIdentity.js';
import { TailedFile } from './TailedFile.js';

/** Bytes read per file per turn: large enough for few syscalls, small enough for fairness. */
const CHUNK_BYTES = 512 * 1024;
/**
 * A file that left the pattern (renamed or deleted) is released only after staying at its end this
 * long: writers often append a little more before they reopen their log.
 */
const RELEASE_GRACE_MILLIS = 1000;
/** New files are picked up within this long even when no file event arrives (issue #3: ≤ 1 s). */
const MAX_RESCAN_MILLIS = 1000;

export interface FileSourceOptions {
  dir: string;
  glob: string;
  maxLineBytes: number;
  skipHeaderLines: number;
  initialPosition: 'START_OF_FILE' | 'END_OF_FILE';
  /** True the first time this flow ever starts: only then does initialPosition apply. */
  firstStart: boolean;
  checkpoints: FlowCheckpoints | undefined;
  pollMillis: number;
  rescanMillis: number;
  /** False while the flow's in-flight byte budget is spent. */
  hasBudget: () => boolean;
  onItems: (file: TailedFile, items: FrameItem[], bytes: number) => void;
  onFileOpened: (file: TailedFile, reason: string) => void;
  onFileReleased: (file: TailedFile, reason: string) => void;
  onError: (message: string, error: unknown) => void;
}

/**
 * Tails every file of one flow's pattern. Files are keyed by device+inode; each is read from its
 * checkpoint (if its fingerprint still matches), from `initialPosition` at a flow's first start, or
 * from 0. Reading is fair (one chunk per file per turn) and pauses when the budget is spent.
 */
export class FileSource {
  readonly files = new Map<string, TailedFile>();
  private readonly discovery: FileDiscovery;
  private running = false;
  private wakeUp: (() => void) | undefined;
  private rescanDue = true;
  private lastScan = 0;
  private readonly unreadable = new Set<string>();
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly options: FileSourceOptions) {
    this.discovery = new FileDiscovery(options.dir, options.glob);
  }

  start(): void {
    this.running = true;
    this.discovery.watch(() => this.hint(true), (error) => this.options.onError('file watcher error', error));
    this.loop = this.run();
  }

  /** Stops reading; files stay open until `close()` so acks can still be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.discovery.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((file) => file.close().catch(() => undefined)));
    this.files.clear();
  }

  /** Data or budget may be available: read without waiting for the next poll. */
  wake(): void {
    const resolve = this.wakeUp;
    this.wakeUp = undefined;
    resolve?.();
  }

  private hint(rescan: boolean): void {
    if (rescan) this.rescanDue = true;
    this.wake();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (this.rescanDue || Date.now() - this.lastScan >= Math.min(MAX_RESCAN_MILLIS, this.options.rescanMillis)) await this.rescan();
        const progressed = await this.readRound();
        if (!progressed) await this.idle();
      } catch (error) {
        this.options.onError('file source error', error);
        await this.idle();
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), this.options.pollMillis);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
      if (!this.running) this.wake();
    });
  }

  /** One chunk from every file with data; true if anything was read. */
  private async readRound(): Promise<boolean> {
    let progressed = false;
    for (const file of [...this.files.values()]) {
      if (!this.running || !this.options.hasBudget()) return progressed;
      const { items, bytes, truncated } = await file.read(CHUNK_BYTES);
      if (bytes > 0) {
        progressed = true;
        this.options.onItems(file, items, bytes);
      } else if (truncated) {
        await this.reopen(file, 'truncated');
      } else if (file.goneSince !== undefined && Date.now() - file.goneSince >= RELEASE_GRACE_MILLIS) {
        await this.release(file, 'no longer matches the pattern and is read to its end');
      }
    }
    return progressed;
  }

  private async rescan(): Promise<void> {
    this.rescanDue = false;
    this.lastScan = Date.now();
    const found = await this.discovery.scan();
    for (const file of this.files.values()) {
      const now = found.get(file.key);
      if (now === undefined) file.goneSince ??= Date.now();
      else {
        file.goneSince = undefined;
        file.path = now.path;
      }
    }
    for (const file of found.values()) {
      if (!this.files.has(file.key)) await this.track(file);
    }
    this.options.firstStart = false;
  }

  private async track(file: DiscoveredFile, fromStart = false): Promise<void> {
    try {
      const chooseOffset = (handle: FileHandle) => (fromStart ? Promise.resolve(0) : this.startOffset(file, handle));
      const tailed = await TailedFile.open(file, this.options.maxLineBytes, this.options.skipHeaderLines, chooseOffset);
      this.files.set(file.key, tailed);
      this.unreadable.delete(file.key);
      this.options.onFileOpened(tailed, `from offset ${tailed.position}`);
    } catch (error) {
      if (!this.unreadable.has(file.key)) this.options.onError(`cannot open ${file.path}; will retry`, error);
      this.unreadable.add(file.key);
    }
  }

  /** Checkpoint if it still describes this file, else initialPosition at a first start, else 0. */
  private async startOffset(file: DiscoveredFile, handle: FileHandle): Promise<number> {
    const checkpoint = this.options.checkpoints?.files[file.key];
    if (checkpoint !== undefined && checkpoint.offset <= file.size && (await matchesFingerprint(handle, checkpoint.fingerprint))) {
      return checkpoint.offset;
    }
    if (checkpoint === undefined && this.options.firstStart && this.options.initialPosition === 'END_OF_FILE') {
      return afterLastNewline(handle, file.size, this.options.maxLineBytes);
    }
    return 0;
  }

  private async reopen(file: TailedFile, reason: string): Promise<void> {
    await this.release(file, reason);
    await this.track({ ...file.identity, path: file.path, size: file.size, mtimeMs: file.mtimeMs }, true);
  }

  private async release(file: TailedFile, reason: string): Promise<void> {
    const partial = file.takePartial();
    if (partial !== undefined) this.options.onItems(file, [partial], 0);
    this.files.delete(file.key);
    await file.close();
    this.options.onFileReleased(file, reason);
  }
}

/**
 * END_OF_FILE: just after the last `\n` of the file, looking at its last `window` bytes as the Java
 * agent does (reference §3.6), so a partly written last line is sent once it is complete.
 */
async function afterLastNewline(handle: FileHandle, size: number, window: number): Promise<number> {
  const start = Math.max(0, size - window);
  const buffer = Buffer.alloc(size - start);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
  const last = buffer.subarray(0, bytesRead).lastIndexOf(10);
  if (last >= 0) return start + last + 1;
  return start === 0 ? 0 : size;
}
