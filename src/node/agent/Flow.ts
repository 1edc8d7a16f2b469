import type { Logger } from 'pino';
import { RecordBatcher, type Batch } from '../../core/batch/RecordBatcher.js';
import type { FrameItem } from '../../core/framing/LineFramer.js';
import { randomPartitionKey } from '../../core/records/partitionKey.js';
import { truncateRecord } from '../../core/records/truncateRecord.js';
import { BatchSender } from '../../core/send/BatchSender.js';
import { describeError } from '../util/describeError.js';
import type { PutEntry, RecordsTransport } from '../../core/send/RecordsTransport.js';
import { FlowStats } from '../../core/stats/FlowStats.js';
import type { FileCheckpoint } from '../../shared/checkpoint/checkpointDocument.js';
import type { FlowConfig } from '../../shared/config/flowSchema.js';
import type { FlowState, FlowStatus } from '../../shared/stats/flowStatus.js';
import type { CheckpointStore } from '../checkpoint/CheckpointStore.js';
import { FileSource } from '../source/FileSource.js';
import type { OpenFileBudget } from '../source/OpenFileBudget.js';
import type { TailedFile } from '../source/TailedFile.js';

export interface FlowDeps {
  logger: Logger;
  store: CheckpointStore;
  openFiles: OpenFileBudget;
  maxHeldFileBytes: number;
  checkpointTtlDays: number;
  /** Agent-wide problems to show in every flow's status (checkpoints that cannot be written). */
  agentWarnings: () => string[];
  transport: RecordsTransport;
  maxConcurrency: number;
  now: () => number;
  random: () => number;
  md5Hex: (data: Uint8Array) => string;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface FlowRecord extends PutEntry {
  readonly size: number;
  readonly file: TailedFile;
  readonly seq: number;
}

/**
 * One flow: its files → lines → records → batches → PutRecords → ordered acks → checkpoints.
 * Memory is bounded by `maxInFlightBytes`: reading pauses while that many bytes are unacknowledged.
 */
export class Flow {
  readonly stats = new FlowStats();
  private state: FlowState = 'starting';
  private message: string | undefined;
  private readonly batcher: RecordBatcher<FlowRecord>;
  private readonly sender: BatchSender<FlowRecord>;
  private source: FileSource | undefined;
  private ageTimer: NodeJS.Timeout | undefined;
  private inFlightBytes = 0;
  private readonly terminator: Uint8Array;
  private readonly log: Logger;

  constructor(
    readonly config: FlowConfig,
    private readonly deps: FlowDeps,
  ) {
    this.log = deps.logger.child({ flow: config.name });
    this.terminator = new TextEncoder().encode(config.truncatedRecordTerminator);
    this.batcher = new RecordBatcher({ maxRecords: config.maxBufferSizeRecords, maxBytes: config.maxBufferSizeBytes, maxAgeMillis: config.maxBufferAgeMillis }, deps.now);
    this.sender = new BatchSender<FlowRecord>({
      transport: deps.transport,
      maxConcurrency: config.preserveOrder ? 1 : deps.maxConcurrency,
      backoffBaseMillis: config.retryInitialBackoffMillis,
      backoffCapMillis: config.retryMaxBackoffMillis,
      stats: this.stats,
      random: deps.random,
      now: deps.now,
      sleep: deps.sleep,
      onDelivered: (records) => this.acknowledge(records),
      onRequestError: (error, attempt, delay) => this.requestFailed(error, attempt, delay),
      onRequestOk: () => this.requestSucceeded(),
    });
  }

  start(): void {
    const { config, deps } = this;
    const firstStart = deps.store.ensureFlow(config.key).created;
    const log = this.log;
    this.source = new FileSource({
      filePattern: config.filePattern,
      maxLineBytes: config.readBufferBytes,
      skipHeaderLines: config.skipHeaderLines,
      initialPosition: config.initialPosition,
      firstStart,
      checkpoints: deps.store.flow(config.key),
      pollMillis: config.minTimeBetweenFilePollsMillis,
      rescanMillis: config.maxTimeBetweenFileTrackerRefreshMillis,
      maxHeldFileBytes: deps.maxHeldFileBytes,
      openFiles: deps.openFiles,
      now: deps.now,
      hasBudget: () => this.inFlightBytes < config.maxInFlightBytes,
      onItems: (file, items, bytes) => this.accept(file, items, bytes),
      onFileOpened: (file, how) => {
        this.stats.counters.filesOpened += 1;
        this.checkpoint(file);
        log.info({ file: file.path, fileKey: file.key }, `tailing ${file.path} ${how}`);
      },
      onFileRekeyed: (file, oldKey) => {
        this.stats.counters.rotationsFollowed += 1;
        deps.store.remove(config.key, oldKey);
        this.checkpoint(file);
      },
      onFileReleased: (file, reason) => {
        this.stats.counters.filesReleased += 1;
        this.released.add(file);
        this.writeOffReleased();
        if (reason.startsWith('truncated')) this.stats.counters.truncations += 1;
        log.info({ file: file.path, fileKey: file.key }, `released ${file.path}: ${reason}`);
      },
      onUnmatchedCheckpoints: (entries) => this.expireUnmatched(entries),
      onAbandoned: (file, bytes) => {
        this.stats.counters.bytesAbandoned += bytes;
        log.error({ file: file.path, bytes }, `releasing ${file.path} with ${bytes} unread bytes: maxHeldFileBytes exceeded while the destination is behind`);
      },
      log: {
        info: (message) => log.info(message),
        warn: (message) => log.warn(message),
        error: (message, error) => log.error({ error: describeError(error) }, `${message}: ${describeError(error).message}`),
      },
    });
    this.setState(config.paused ? 'paused' : 'running');
    if (!config.paused) this.source.start();
    this.log.info({ flowId: config.id, firstStart }, `flow started: ${config.filePattern} → ${config.type === 'kinesis' ? 'Kinesis stream' : 'Firehose'} ${config.streamName}`);
  }

  /**
   * Graceful stop (SIGTERM): stop reading, send what was read, wait for in-flight requests up to
   * `timeoutMillis`, then abandon retries. Unacknowledged records are re-read after a restart.
   */
  async stop(timeoutMillis: number): Promise<void> {
    this.setState('stopping');
    await this.source?.stop();
    clearTimeout(this.ageTimer);
    const last = this.batcher.flush();
    if (last !== undefined) this.sender.enqueue(last);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), timeoutMillis); });
    const expired = await Promise.race([this.sender.idle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (expired) this.log.warn({ pendingRecords: this.sender.pendingRecords }, 'shutdown timeout: unsent records will be read again at the next start');
    this.sender.stop();
    await this.source?.close();
    this.setState('stopped');
  }

  status(): FlowStatus {
    const files = [...(this.source?.files.values() ?? [])];
    const gauges = this.stats.gauges;
    gauges.filesTracked = files.length;
    gauges.filesOpen = this.source?.openCount ?? 0;
    gauges.heldBytes = this.source?.heldBytes ?? 0;
    gauges.lagBytes = files.reduce((sum, file) => sum + file.lagBytes, 0);
    gauges.inFlightBytes = this.inFlightBytes;
    gauges.inFlightRecords = this.sender.pendingRecords + this.batcher.pendingRecords;
    gauges.concurrency = this.config.preserveOrder ? 1 : this.deps.maxConcurrency;
    const { config } = this;
    return {
      key: config.key, id: config.id, name: config.name ?? config.id, type: config.type, streamName: config.streamName, filePattern: config.filePattern,
      state: this.state, ...(this.message === undefined ? {} : { message: this.message }),
      warnings: [...(this.source?.warnings() ?? []), ...this.deps.agentWarnings()],
      counters: this.stats.snapshotCounters(), gauges: { ...gauges }, putLatency: this.stats.latency(),
    };
  }

  private accept(file: TailedFile, items: FrameItem[], bytes: number): void {
    this.stats.counters.bytesRead += bytes;
    this.inFlightBytes += bytes;
    let skipped = false;
    for (const item of items) {
      if (item.kind === 'skip') {
        this.stats.skip(item.reason === 'runaway' ? 'runawayRemainder' : 'headerLine');
        skipped = file.acks.skip(item.endOffset) || skipped;
        continue;
      }
      this.stats.counters.linesRead += 1;
      for (const batch of this.batcher.add(this.toRecord(file, item.data, item.endOffset))) this.sender.enqueue(batch);
    }
    if (skipped) this.checkpoint(file);
    this.armAgeTimer();
  }

  /** `line` views the source's read buffer; the record keeps its own copy (pooled for small lines). */
  private toRecord(file: TailedFile, view: Uint8Array, endOffset: number): FlowRecord {
    const line = Buffer.allocUnsafe(view.length);
    line.set(view);
    const partitionKey = this.config.partitionKeyOption === 'DETERMINISTIC' ? this.deps.md5Hex(line) : randomPartitionKey(this.deps.random);
    const keyBytes = partitionKey.length; // partition keys here are ASCII
    const data = truncateRecord(line, this.config.maxRecordSizeBytes - keyBytes, this.terminator);
    if (data !== line) this.stats.counters.recordsTruncated += 1;
    return { data, partitionKey, size: data.length + keyBytes, file, seq: file.acks.register(endOffset) };
  }

  private armAgeTimer(): void {
    const deadline = this.batcher.deadline();
    if (deadline === undefined || this.ageTimer !== undefined) return;
    this.ageTimer = setTimeout(() => {
      this.ageTimer = undefined;
      const batch: Batch<FlowRecord> | undefined = this.batcher.takeExpired();
      if (batch !== undefined) this.sender.enqueue(batch);
      this.armAgeTimer();
    }, Math.max(0, deadline - this.deps.now()));
  }

  private acknowledge(records: FlowRecord[]): void {
    const moved = new Set<TailedFile>();
    for (const record of records) {
      if (record.file.acks.ack(record.seq)) moved.add(record.file);
    }
    for (const file of moved) this.checkpoint(file);
    if (this.released.size > 0) this.writeOffReleased();
    this.source?.wake();
  }

  /** Released files whose records may still be in flight. */
  private readonly released = new Set<TailedFile>();

  /**
   * Once every record of a released file is acknowledged, what it read but never committed (an
   * unfinished line of a rewritten file, unread bytes abandoned) leaves the in-flight budget.
   */
  private writeOffReleased(): void {
    for (const file of this.released) {
      if (file.acks.outstanding > 0) continue;
      this.checkpoint(file);
      this.inFlightBytes -= file.position - file.acks.committed;
      this.released.delete(file);
    }
  }

  /** Each file's committed offset at its last checkpoint, to release in-flight budget by the difference. */
  private readonly committed = new WeakMap<TailedFile, number>();

  /** Records a file's committed offset in the checkpoint store (written at the next interval). */
  private checkpoint(file: TailedFile): void {
    const previous = this.committed.get(file);
    const offset = file.acks.committed;
    if (previous !== undefined) this.inFlightBytes -= offset - previous;
    this.committed.set(file, offset);
    const current = this.source?.files.get(file.key);
    if (current !== undefined && current !== file) return; // superseded (truncated and reopened)
    this.deps.store.update(this.config.key, file.key, {
      path: file.path, dev: file.identity.dev, ino: file.identity.ino, fingerprint: file.fingerprint,
      offset, size: file.size, mtimeMs: file.mtimeMs, updatedAt: new Date(this.deps.now()).toISOString(),
    });
  }

  /** Checkpoints whose file was not found at start-up are kept for checkpointTimeToLiveDays, then removed. */
  private expireUnmatched(entries: [string, FileCheckpoint][]): void {
    const cutoff = this.deps.now() - this.deps.checkpointTtlDays * 86_400_000;
    for (const [key, entry] of entries) {
      if (Date.parse(entry.updatedAt) >= cutoff) continue;
      this.deps.store.remove(this.config.key, key);
      this.log.info({ file: entry.path }, `forgot the checkpoint of ${entry.path}: not seen for ${this.deps.checkpointTtlDays} days`);
    }
  }

  private requestFailed(error: unknown, attempt: number, delayMillis: number): void {
    const described = describeError(error);
    const message = `${described.code}: ${described.message}`;
    if (this.state !== 'error' || message !== this.message || attempt % 10 === 0) {
      this.log.warn({ error: described, attempt, retryInMillis: delayMillis }, `PutRecords to ${this.config.streamName} failed (${message}); retrying, nothing is dropped`);
    }
    this.message = message;
    if (this.state === 'running') this.setState('error');
  }

  private requestSucceeded(): void {
    if (this.state !== 'error') return;
    this.log.info(`PutRecords to ${this.config.streamName} works again`);
    this.message = undefined;
    this.setState('running');
  }

  private setState(state: FlowState): void {
    this.state = state;
  }
}
