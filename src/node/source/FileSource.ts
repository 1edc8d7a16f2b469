import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'chokidar';
import { deliverItem, type FrameSink } from '../../core/framing/LineFramer.js';
import { findContinuation, fingerprintLength, type Candidate, type KnownFile } from '../../core/source/findContinuation.js';
import type { FileCheckpoint, FlowCheckpoints } from '../../shared/checkpoint/checkpointDocument.js';
import { FileScanner, type DiscoveredFile, type ScanResult } from './FileScanner.js';
import type { OpenFileBudget } from './OpenFileBudget.js';
import { openChecked, TailedFile } from './TailedFile.js';

/** Bytes read per file per turn: large enough for few syscalls, small enough for fairness. */
const CHUNK_BYTES = 512 * 1024;
/** Smallest read buffer: a file's known unread bytes size the buffer, but appends race the stat. */
const MIN_CHUNK_BYTES = 64 * 1024;
/** New files are picked up within this long even when no file event arrives. */
const MAX_RESCAN_MILLIS = 1000;
/** Idle files are looked at again after pollMillis, doubling up to this. */
const MAX_IDLE_CHECK_MILLIS = 1000;
/**
 * A file that left the pattern (renamed or deleted) is released only after staying at its end this
 * long: writers often append a little more through their old descriptor before they reopen.
 */
const RELEASE_GRACE_MILLIS = 2000;
/** How long a new file that starts like a tracked one waits to see whether it is a copytruncate copy. */
const COPY_GRACE_MILLIS = 5000;
/**
 * A file that appears while the agent runs is classified only after this long: copytruncate's `cp`
 * creates the copy empty and fills it, and a copy caught before its first KiB exists would look new.
 */
const NEW_FILE_SETTLE_MILLIS = 500;

export interface SourceTiming {
  releaseGraceMillis: number;
  copyGraceMillis: number;
  newFileSettleMillis: number;
}

export const DEFAULT_TIMING: SourceTiming = { releaseGraceMillis: RELEASE_GRACE_MILLIS, copyGraceMillis: COPY_GRACE_MILLIS, newFileSettleMillis: NEW_FILE_SETTLE_MILLIS };

export interface FileSourceOptions {
  filePattern: string;
  maxLineBytes: number;
  skipHeaderLines: number;
  initialPosition: 'START_OF_FILE' | 'END_OF_FILE';
  /** True the first time this flow ever starts: only then does initialPosition apply. */
  firstStart: boolean;
  checkpoints: FlowCheckpoints | undefined;
  pollMillis: number;
  rescanMillis: number;
  maxHeldFileBytes: number;
  openFiles: OpenFileBudget;
  now: () => number;
  /** False while the flow's in-flight byte budget is spent. */
  hasBudget: () => boolean;
  /**
   * `bytes` were read from `file`: `frame(sink)` hands their lines to `sink`, and must be called
   * during this call, once. Lines view the source's read buffer: copy what must outlive the call.
   * (A sink rather than an array of items: no object per line; issue 8.)
   */
  onRead: (file: TailedFile, bytes: number, frame: (sink: FrameSink) => void) => void;
  onFileOpened: (file: TailedFile, how: string) => void;
  /** The file's identity changed (copytruncate): its checkpoint moves from `oldKey`. */
  onFileRekeyed: (file: TailedFile, oldKey: string) => void;
  onFileReleased: (file: TailedFile, reason: string) => void;
  /** Checkpoints of files not found at start-up (vanished; they expire after their TTL). */
  onUnmatchedCheckpoints: (entries: [string, FileCheckpoint][]) => void;
  /** A file was released with unread data (maxHeldFileBytes): the only loss, and a loud one. */
  onAbandoned: (file: TailedFile, bytes: number) => void;
  log: { info: (message: string) => void; warn: (message: string) => void; error: (message: string, error?: unknown) => void };
  timing?: SourceTiming;
}

/**
 * Tails every file of one flow's pattern at once (DESIGN §3). Files are keyed by device+inode and
 * confirmed by a fingerprint of their first KiB. Renamed and deleted files are read to their end
 * before they are released; copytruncate copies are recognised and continued, not resent; at
 * start-up each checkpoint is looked for among every file in the pattern's directories.
 */
export class FileSource {
  readonly files = new Map<string, TailedFile>();
  private readonly scanner: FileScanner;
  private watcher: FSWatcher | undefined;
  private running = false;
  private wakeUp: (() => void) | undefined;
  private rescanDue = true;
  private lastScanAt = 0;
  private lastScan: ScanResult | undefined;
  private started = false;
  /**
   * New files are opened at once (so a quick delete cannot take their data) but read only after
   * they settle; one that starts like a tracked file waits longer, as a possible copytruncate copy.
   */
  private readonly holds = new Map<string, { until: number; copySince?: number }>();
  private readonly timing: SourceTiming;
  /** Files that could not be opened, with why; retried at every scan. */
  private readonly unreadable = new Map<string, string>();
  private scanProblems = new Map<string, string>();
  private loop: Promise<void> = Promise.resolve();
  private readonly hashes = new Map<string, string | undefined>();
  /**
   * One read buffer for all the flow's files (reads are sequential). Records are copied out of it
   * by `onRead`; a fresh buffer per read, kept alive by zero-copy record views, fragmented native
   * memory (RSS 170 MB on a 200 MB backlog against 140 MB with this).
   */
  private readonly readBuffer = Buffer.allocUnsafe(CHUNK_BYTES);

  constructor(private readonly options: FileSourceOptions) {
    this.scanner = new FileScanner(options.filePattern);
    this.timing = options.timing ?? DEFAULT_TIMING;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops reading; files stay open until `close()` so acks can still be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.watcher?.close();
    this.watcher = undefined;
  }

  async close(): Promise<void> {
    for (const file of this.files.values()) {
      if (!file.parked) this.options.openFiles.release();
      await file.close().catch(() => undefined);
    }
    this.files.clear();
  }

  /** Problems worth showing in the flow's status: missing directories, unreadable files, loops. */
  warnings(): string[] {
    return [...this.scanProblems.entries(), ...this.unreadable.entries()].map(([path, message]) => `${path}: ${message}`);
  }

  get heldBytes(): number {
    let held = 0;
    for (const file of this.files.values()) if (file.goneSince !== undefined) held += file.unreadBytes;
    return held;
  }

  get openCount(): number {
    let count = 0;
    for (const file of this.files.values()) if (!file.parked) count += 1;
    return count;
  }

  /** Data or budget may be available: read without waiting for the next poll. */
  wake(): void {
    const resolve = this.wakeUp;
    this.wakeUp = undefined;
    resolve?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const now = this.options.now();
        if (this.rescanDue || now - this.lastScanAt >= Math.min(MAX_RESCAN_MILLIS, this.options.rescanMillis)) await this.rescan();
        const progressed = await this.readRound();
        if (!progressed) await this.idle();
      } catch (error) {
        this.options.log.error('file source error', error);
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

  // ---- discovery -------------------------------------------------------------------------------

  private ensureWatcher(): void {
    if (this.watcher !== undefined || this.scanProblems.has(this.scanner.plan.baseDir)) return;
    const { plan } = this.scanner;
    this.watcher = watch(plan.baseDir, { persistent: false, ignoreInitial: true, ignorePermissionErrors: true, ...(plan.recursive ? {} : { depth: plan.segments.length - 1 }) });
    this.watcher.on('all', (event, path) => {
      if (event === 'change') {
        for (const file of this.files.values()) if (file.path === path) file.nextCheck = 0;
      } else {
        this.rescanDue = true;
      }
      this.wake();
    });
    this.watcher.on('error', (error) => this.options.log.warn(`file events unavailable for ${plan.baseDir} (${(error as Error).message}); polling only`));
  }

  private async rescan(): Promise<void> {
    this.rescanDue = false;
    const now = this.options.now();
    this.lastScanAt = now;
    this.hashes.clear();
    const scan = await this.scanner.scan();
    this.lastScan = scan;
    this.noteProblems(scan);
    this.ensureWatcher();
    const firstScan = !this.started;
    if (firstScan) {
      this.started = true;
      await this.resumeFromCheckpoints(scan);
    }
    for (const file of this.files.values()) this.follow(file, scan, now);
    await this.verifyOpenFiles();
    for (const candidate of scan.matching.values()) {
      if (!this.files.has(candidate.key)) await this.discover(candidate, firstScan);
    }
    await this.enforceHeldBytes();
  }

  private noteProblems(scan: ScanResult): void {
    const current = new Map(scan.problems.map((p) => [p.path, p.message]));
    for (const [path, message] of current) {
      if (this.scanProblems.get(path) !== message) this.options.log.warn(`${path}: ${message}`);
    }
    for (const path of this.scanProblems.keys()) if (!current.has(path)) this.options.log.info(`${path}: ok now`);
    this.scanProblems = current;
  }

  /** Keeps a tracked file's path current; marks it gone when it left the pattern. */
  private follow(file: TailedFile, scan: ScanResult, now: number): void {
    const matching = scan.matching.get(file.key);
    const anywhere = matching ?? scan.all.get(file.key);
    if (anywhere !== undefined) {
      file.path = anywhere.path;
      // Sizes come from reads, and reading pauses while the budget is spent: the scan keeps them true.
      if (anywhere.size > file.size) file.size = anywhere.size;
    }
    if (matching !== undefined) file.goneSince = undefined;
    else file.goneSince ??= now;
    if (anywhere !== undefined && file.parked && anywhere.size !== file.position) file.nextCheck = 0;
    if (anywhere === undefined && file.parked) file.nextCheck = 0;
  }

  /** Every open file must still start with its fingerprinted bytes (≤ 1 s between checks). */
  private async verifyOpenFiles(): Promise<void> {
    for (const file of [...this.files.values()]) {
      if (file.parked || this.holds.has(file.key) || this.files.get(file.key) !== file) continue;
      if (!(await file.verify())) await this.contentChanged(file);
    }
  }

  /** The file no longer starts with its fingerprinted bytes: shorter than what was read, or rewritten past it. */
  private async contentChanged(file: TailedFile): Promise<void> {
    const { size } = await file.refresh();
    await this.truncated(file, size < file.position ? 'shrank' : 'rewritten');
  }

  /** At start-up: each checkpoint continues in the file that holds its data now, wherever it is. */
  private async resumeFromCheckpoints(scan: ScanResult): Promise<void> {
    const entries = Object.entries(this.options.checkpoints?.files ?? {}).sort(([, a], [, b]) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
    const taken = new Set<string>();
    const unmatched: [string, FileCheckpoint][] = [];
    for (const [key, entry] of entries) {
      const known: KnownFile = { key, fingerprint: entry.fingerprint, offset: entry.offset, size: entry.size };
      const found = await findContinuation(known, this.candidates(scan), (c, length) => this.hashPrefix(c, length), taken);
      if (found === undefined) {
        unmatched.push([key, entry]);
        continue;
      }
      taken.add(found.candidate.key);
      const file = scan.all.get(found.candidate.key);
      if (file === undefined) continue;
      const how = found.how === 'copy' ? `from checkpoint offset ${entry.offset} (a copy of ${entry.path})` : `from checkpoint offset ${entry.offset}`;
      const tailed = await this.track(file, entry.offset, how);
      if (tailed !== undefined && found.candidate.key !== key) this.options.onFileRekeyed(tailed, key);
      if (tailed !== undefined && !found.candidate.matches) tailed.goneSince = this.options.now();
    }
    if (unmatched.length > 0) this.options.onUnmatchedCheckpoints(unmatched);
  }

  /** A matching file not tracked yet: a known file back, or a new file (held until it settles). */
  private async discover(candidate: DiscoveredFile, firstScan: boolean): Promise<void> {
    const entry = this.options.checkpoints?.files[candidate.key];
    if (entry !== undefined && candidate.size >= entry.offset && (await this.hashPrefix(this.toCandidate(candidate, true), fingerprintLength(entry.fingerprint))) === entry.fingerprint) {
      await this.track(candidate, entry.offset, `from checkpoint offset ${entry.offset}`);
      return;
    }
    const atEnd = firstScan && this.options.firstStart && this.options.initialPosition === 'END_OF_FILE';
    const offset = atEnd ? await afterLastNewline(candidate, this.options.maxLineBytes) : 0;
    const tailed = await this.track(candidate, offset, atEnd ? 'at its end (initialPosition END_OF_FILE)' : 'from the start');
    if (tailed !== undefined && !firstScan) this.holds.set(tailed.key, { until: this.options.now() + this.timing.newFileSettleMillis });
  }

  /**
   * Whether a held file may be read now. A settled file that starts with the same bytes as another
   * tracked file is probably copytruncate's copy: it waits for the original's truncation (then it is
   * continued, not resent) or for the copy grace period to show it is a plain copy.
   */
  private async released(file: TailedFile, now: number): Promise<boolean> {
    const hold = this.holds.get(file.key);
    if (hold === undefined) return true;
    if (now < hold.until) return false;
    if (hold.copySince === undefined && (await this.startsLikeAnother(file))) {
      this.holds.set(file.key, { until: now + this.timing.copyGraceMillis, copySince: now });
      return false;
    }
    if (hold.copySince !== undefined) this.options.log.info(`${file.path} starts like a tracked file but no truncation followed: reading it as a new file`);
    this.holds.delete(file.key);
    return true;
  }

  private async startsLikeAnother(file: TailedFile): Promise<boolean> {
    const candidate: Candidate = { key: file.key, path: file.path, size: file.size, matches: true };
    for (const other of this.files.values()) {
      const length = fingerprintLength(other.fingerprint);
      if (other === file || this.holds.has(other.key) || length <= 0 || file.size < length) continue;
      if ((await this.hashPrefix(candidate, length)) === other.fingerprint) return true;
    }
    return false;
  }

  // ---- reading ---------------------------------------------------------------------------------

  /**
   * One chunk from every file that is due; true if anything was read. A file that was active is
   * read directly; an idle one is first looked at with fstat (no buffer, one syscall) and read only
   * if it grew.
   */
  private async readRound(): Promise<boolean> {
    let progressed = false;
    const now = this.options.now();
    for (const file of [...this.files.values()]) {
      if (!this.running || !this.options.hasBudget()) return progressed;
      if (this.files.get(file.key) !== file || file.nextCheck > now || !(await this.released(file, now))) continue;
      if (file.parked && !(await this.unpark(file))) continue;
      // Every read is preceded by a check that the file still starts with its fingerprinted bytes,
      // so a truncation followed by rewrites is caught before new content is read at an old offset.
      if (file.idleChecks > 0) {
        if (!(await this.grew(file, now))) continue;
      } else if (!(await file.verify())) {
        await this.contentChanged(file);
        continue;
      }
      const bytes = await file.read(this.readBuffer, Math.max(MIN_CHUNK_BYTES, file.unreadBytes));
      if (bytes > 0) {
        progressed = true;
        file.lastActive = now;
        file.idleChecks = 0;
        const chunk = this.readBuffer.subarray(0, bytes);
        this.options.onRead(file, bytes, (sink) => file.frame(chunk, sink));
        // Reads are synchronous (TailedFile#read): after each chunk the event loop runs what is due
        // (answers, request bodies, timers) before the next, or reading 100 files in one turn held
        // their records and requests at once (40 MB more peak RSS) and starved everything else.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        await this.atEnd(file, now);
      }
    }
    return progressed;
  }

  /** For an idle file: whether it has new data; handles its end (truncation, release) if not. */
  private async grew(file: TailedFile, now: number): Promise<boolean> {
    const stats = await file.refresh();
    if (stats.size > file.position) {
      if (await file.verify()) return true;
      await this.contentChanged(file);
      return false;
    }
    await this.atEnd(file, now, stats);
    return false;
  }

  /** A file at its end: truncated? gone long enough to release? else check it again later. */
  private async atEnd(file: TailedFile, now: number, stats?: { size: number; nlink: number }): Promise<void> {
    const { size, nlink } = stats ?? (await file.refresh());
    if (size < file.position) {
      await this.truncated(file, 'shrank');
      return;
    }
    if (nlink === 0) file.goneSince ??= now;
    if (file.goneSince !== undefined && now - file.goneSince >= this.timing.releaseGraceMillis) {
      await this.release(file, nlink === 0 ? 'deleted, and read to its end' : `no longer matches the pattern (now ${file.path}), and read to its end`);
      return;
    }
    file.idleChecks += 1;
    file.nextCheck = now + Math.min(MAX_IDLE_CHECK_MILLIS, this.options.pollMillis * 2 ** Math.min(file.idleChecks - 1, 10));
  }

  /**
   * The file's content was cut: copytruncate (its data now lives in a copy, which continues it) or a
   * plain truncation (it restarts at 0). `shrank`: it is shorter than what was read, so everything
   * read was old data and the copy takes over at the read position, framer state and all.
   * `rewritten`: it was truncated and written past the read position before it was looked at, so
   * only the bytes up to the last verified position are known to be old: the copy is read from there
   * and the rewritten file from 0 (a few lines may be sent twice; none is lost).
   */
  private async truncated(file: TailedFile, how: 'shrank' | 'rewritten'): Promise<void> {
    const scan = await this.scanner.scan();
    this.lastScan = scan;
    this.hashes.clear();
    const resumeAt = how === 'shrank' ? file.position : file.verifiedOffset;
    const taken = new Set([...this.files.keys()].filter((key) => key !== file.key && !this.holds.has(key)));
    const known: KnownFile = { key: file.key, fingerprint: file.fingerprint, offset: resumeAt, size: file.position };
    const candidates = this.candidates(scan).filter((c) => c.key !== file.key);
    const copy = await findContinuation(known, candidates, (c, length) => this.hashPrefix(c, length), taken);
    const original = scan.all.get(file.key) ?? { ...file.identity, path: file.path, size: file.size, mtimeMs: file.mtimeMs };
    const target = copy === undefined ? undefined : scan.all.get(copy.candidate.key);
    if (copy !== undefined && target !== undefined && how === 'shrank') {
      const handle = await openChecked(target).catch(() => undefined);
      if (handle !== undefined) {
        const oldKey = file.key;
        await this.dropHeldCopy(target.key);
        await file.rebind(target, handle);
        this.files.delete(oldKey);
        this.files.set(target.key, file);
        this.options.onFileRekeyed(file, oldKey);
        this.options.log.info(`copytruncate: continuing ${target.path} at offset ${file.position}; ${original.path} restarts at 0`);
        if (!copy.candidate.matches) file.goneSince = this.options.now();
        await this.track(original, 0, 'from the start (truncated by copytruncate)');
        return;
      }
    }
    await this.release(file, how === 'shrank' ? 'truncated' : 'truncated and rewritten', how === 'shrank');
    if (copy !== undefined && target !== undefined) {
      await this.dropHeldCopy(target.key);
      const continued = await this.track(target, resumeAt, `from offset ${resumeAt} (a copy of ${original.path}, which was truncated and rewritten)`);
      if (continued !== undefined && !copy.candidate.matches) continued.goneSince = this.options.now();
      this.options.log.info(`copytruncate: ${original.path} was rewritten before the truncation was seen; continuing ${target.path} at offset ${resumeAt}`);
    } else {
      this.options.log.warn(`${file.path} was truncated (to ${file.size} bytes, ${file.position} were read) and no copy of it was found: restarting at 0`);
    }
    await this.track(original, 0, 'from the start (truncated)');
  }

  /** The copy was opened as a new file while it settled; the original's tracker takes it over. */
  private async dropHeldCopy(key: string): Promise<void> {
    const held = this.files.get(key);
    if (held === undefined || !this.holds.has(key)) return;
    this.holds.delete(key);
    this.files.delete(key);
    if (!held.parked) this.options.openFiles.release();
    await held.close();
  }

  // ---- open files ------------------------------------------------------------------------------

  private async track(file: DiscoveredFile, offset: number, how: string): Promise<TailedFile | undefined> {
    if (!(await this.acquireDescriptor())) return undefined;
    try {
      const tailed = await TailedFile.open(file, offset, this.options.maxLineBytes, offset === 0 ? this.options.skipHeaderLines : 0, this.options.now());
      this.files.set(file.key, tailed);
      if (this.unreadable.delete(file.path)) this.options.log.info(`${file.path}: readable now`);
      this.options.onFileOpened(tailed, how);
      return tailed;
    } catch (error) {
      this.options.openFiles.release();
      const message = describe(error);
      if (this.unreadable.get(file.path) !== message) this.options.log.warn(`cannot open ${file.path} (${message}); will retry`);
      this.unreadable.set(file.path, message);
      return undefined;
    }
  }

  private async unpark(file: TailedFile): Promise<boolean> {
    const found = this.lastScan?.all.get(file.key);
    if (found === undefined) {
      await this.release(file, 'vanished while closed to respect maxOpenFiles');
      return false;
    }
    if (!(await this.acquireDescriptor(file))) return false;
    if (await file.unpark(found)) return true;
    this.options.openFiles.release();
    await this.release(file, 'replaced while closed to respect maxOpenFiles');
    return false;
  }

  /** A descriptor within maxOpenFiles, parking an idle file of this flow if needed. */
  private async acquireDescriptor(except?: TailedFile): Promise<boolean> {
    if (this.options.openFiles.tryAcquire()) return true;
    let victim: TailedFile | undefined;
    for (const file of this.files.values()) {
      const idle = !file.parked && file !== except && file.goneSince === undefined && file.unreadBytes === 0;
      if (idle && (victim === undefined || file.lastActive < victim.lastActive)) victim = file;
    }
    if (victim === undefined) return false;
    await victim.park();
    this.options.openFiles.release();
    return this.options.openFiles.tryAcquire();
  }

  /** Closes a file; its unfinished last line is delivered unless its content was replaced. */
  private async release(file: TailedFile, reason: string, deliverPartial = true): Promise<void> {
    const partial = file.takePartial();
    if (partial !== undefined && deliverPartial) this.options.onRead(file, 0, (sink) => deliverItem(partial, sink));
    if (this.files.get(file.key) === file) {
      this.files.delete(file.key);
      this.holds.delete(file.key);
    }
    if (!file.parked) this.options.openFiles.release();
    await file.close();
    this.options.onFileReleased(file, reason);
  }

  /** While the destination is down, gone files stay open up to maxHeldFileBytes; then the oldest goes. */
  private async enforceHeldBytes(): Promise<void> {
    while (this.heldBytes > this.options.maxHeldFileBytes) {
      const oldest = [...this.files.values()].filter((f) => f.goneSince !== undefined && f.unreadBytes > 0).sort((a, b) => (a.goneSince ?? 0) - (b.goneSince ?? 0))[0];
      if (oldest === undefined) return;
      const lost = oldest.unreadBytes;
      this.options.onAbandoned(oldest, lost);
      await this.release(oldest, `maxHeldFileBytes (${this.options.maxHeldFileBytes}) exceeded: ${lost} unread bytes abandoned`);
    }
  }

  // ---- identity --------------------------------------------------------------------------------

  private candidates(scan: ScanResult): Candidate[] {
    return [...scan.all.values()].map((file) => this.toCandidate(file, scan.matching.has(file.key)));
  }

  private toCandidate(file: DiscoveredFile, matches: boolean): Candidate {
    return { key: file.key, path: file.path, size: file.size, matches };
  }

  /** `<length>:<sha1>` of a file's first `length` bytes (cached for one scan). */
  private async hashPrefix(candidate: Candidate, length: number): Promise<string | undefined> {
    const cacheKey = `${candidate.key}@${length}`;
    if (this.hashes.has(cacheKey)) return this.hashes.get(cacheKey);
    let result: string | undefined;
    let handle: FileHandle | undefined;
    try {
      handle = await open(candidate.path, 'r');
      const buffer = Buffer.alloc(length);
      const { bytesRead } = length === 0 ? { bytesRead: 0 } : await handle.read(buffer, 0, length, 0);
      result = bytesRead < length ? undefined : `${length}:${createHash('sha1').update(buffer).digest('hex')}`;
    } catch {
      result = undefined;
    } finally {
      await handle?.close();
    }
    this.hashes.set(cacheKey, result);
    return result;
  }
}

/**
 * END_OF_FILE: just after the last `\n` of the file, looking at its last `window` bytes as the Java
 * agent does (reference §3.6), so a partly written last line is sent once it is complete.
 */
async function afterLastNewline(file: DiscoveredFile, window: number): Promise<number> {
  const handle = await open(file.path, 'r');
  try {
    const start = Math.max(0, file.size - window);
    const buffer = Buffer.alloc(file.size - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    const last = buffer.subarray(0, bytesRead).lastIndexOf(10);
    if (last >= 0) return start + last + 1;
    return start === 0 ? 0 : file.size;
  } finally {
    await handle.close();
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'vanished';
  if (code === 'EMFILE' || code === 'ENFILE') return 'too many open files';
  return (error as Error).message;
}
