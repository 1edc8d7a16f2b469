import type { Logger } from 'pino';
import { RecordBatcher, type Batch } from '../../core/batch/RecordBatcher.js';
import type { FrameSink } from '../../core/framing/LineFramer.js';
import { MultilineAssembler } from '../../core/framing/MultilineAssembler.js';
import { compileChain, compileRecordWriter, type ChainDeps } from '../../core/processing/compileChain.js';
import type { RecordWriter } from '../../core/processing/RecordWriter.js';
import { lookingAtRegex, translateJavaRegex } from '../../core/processing/javaRegex.js';
import { RecordProcessor, type Processed } from '../../core/processing/RecordProcessor.js';
import { KplAggregator, kplMemberData, kplMemberOwner, type KplAggregate, type KplMembers } from '../../core/kpl/KplAggregator.js';
import type { ErrorClass } from '../../core/retry/classifyError.js';
import type { SendMetrics } from '../../core/metrics/MetricAccumulator.js';
import type { AimdLimiter } from '../../core/send/AimdLimiter.js';
import { BatchSender, newSendState, type SendRecord } from '../../core/send/BatchSender.js';
import { BufferRecycler, recyclableSize } from '../../core/send/BufferRecycler.js';
import { runRecordData, runRecordKey, type RecordRun } from '../../core/send/RecordRun.js';
import { RunBuilder } from '../../core/send/RunBuilder.js';
import { MAX_RANDOM_KEY_BYTES } from '../../core/records/partitionKey.js';
import type { SendFailure } from '../../core/send/SendFailure.js';
import type { SendSlots } from '../../core/send/SendSlots.js';
import { describeError } from '../util/describeError.js';
import type { PutOutcome, RecordsTransport } from '../../core/send/RecordsTransport.js';
import { FlowStats } from '../../core/stats/FlowStats.js';
import type { FileCheckpoint } from '../../shared/checkpoint/checkpointDocument.js';
import type { FlowConfig } from '../../shared/config/flowSchema.js';
import type { TrackedFileView } from '../../shared/control/controllerApi.js';
import type { FlowState, FlowStatus } from '../../shared/stats/flowStatus.js';
import type { CheckpointStore } from '../checkpoint/CheckpointStore.js';
import type { DeadLetterFile } from '../processing/DeadLetterFile.js';
import { base64Length } from '../sink/encodePutRecordsBody.js';
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
  chainDeps: ChainDeps;
  /** Records the destination rejects permanently, and (keepSkippedRecords) records dropped on purpose. */
  deadLetter: DeadLetterFile;
  keepSkippedRecords: boolean;
  /** Fetches what the chain needs before the first record (EC2 instance metadata). */
  prepareChain: () => Promise<void>;
  transport: RecordsTransport;
  /** Adaptive concurrency of this flow's destination (shared with flows sending to the same stream). */
  limiter: AimdLimiter;
  /** Agent-wide request slots (maxSendingThreads). */
  slots: SendSlots;
  fatalRetryMaxMillis: number;
  /** gzip of one record (compression: gzip). */
  gzip: (data: Uint8Array) => Uint8Array;
  md5: (data: Uint8Array) => Uint8Array;
  /** MD5 off this thread, for KPL aggregates' trailers (KplAggregatorOptions.md5Async). */
  md5Async?: ((data: Uint8Array) => Promise<Uint8Array>) | undefined;
  schedule: (millis: number, callback: () => void) => () => void;
  /** Per-send outcomes for CloudWatch (cloudwatch.emitMetrics). */
  onSend?: (metrics: SendMetrics) => void;
  now: () => number;
  random: () => number;
  md5Hex: (data: Uint8Array) => string;
}

/** A record read from a file (its place in the file is what acknowledging it commits). */
interface LineRecord extends SendRecord {
  readonly file: TailedFile;
  readonly seq: number;
  /** Where the record starts in its file (for the dead-letter file). */
  readonly offset: number;
  readonly members?: undefined;
  readonly digested?: undefined;
  /** The run this record was split from (its acknowledgement is the run's, once all of them are in). */
  readonly parent?: RunRecord | undefined;
}

/** A KPL aggregate: one Kinesis record holding several read records. */
interface AggregateRecord extends SendRecord {
  readonly members: KplMembers<TailedFile>;
  /** Settles once its MD5 trailer is written (KplAggregate.digested): put waits for it. */
  readonly digested?: Promise<void> | undefined;
  readonly parent?: undefined;
}

/**
 * Consecutive records of one file as one request entry (RecordRun): one acknowledgement ticket
 * for the file range `[run.offsets[0], end)`, lines skipped inside it included.
 */
interface RunRecord extends SendRecord {
  readonly run: RecordRun;
  readonly file: TailedFile;
  readonly seq: number;
  readonly members?: undefined;
  readonly digested?: undefined;
  readonly parent?: undefined;
  /** Once split (some records failed): its records not yet delivered or dead-lettered. */
  remaining: number;
}

/**
 * What goes into a request: one record, a run of records, or a KPL aggregate of several. A single
 * record is its own request entry (one object per line, not three: issue 8's profile counted
 * per-line objects).
 */
type FlowRecord = LineRecord | AggregateRecord | RunRecord;

/** What the dead-letter file needs of each record a Kinesis record carries. */
interface Member {
  file: TailedFile;
  offset: number;
  data: Uint8Array;
}

function membersOf(record: FlowRecord): Member[] {
  if (record.run !== undefined) {
    const { run, file } = record as RunRecord;
    return Array.from({ length: run.count }, (_, i) => ({ file, offset: run.offsets[i]!, data: runRecordData(run, i) }));
  }
  const members = record.members;
  if (members === undefined) return [record as LineRecord];
  return Array.from({ length: members.count }, (_, i) => ({ file: kplMemberOwner(members, i), offset: members.offsets[i]!, data: kplMemberData(record, i) }));
}

/**
 * Records per request are bounded by maxBufferSizeBytes (PutRecords allows 5 MiB, PutRecordBatch
 * 4 MiB) and by this. A request's body is its records again, in base64 (4/3 of their size), built
 * whole to be signed: with 1 MiB records (KPL aggregates, Firehose packs) requests of 5 MiB meant
 * bodies of 7 MB, and several in flight were 35 MB of peak RSS (issue 8). At 1 MiB a request's
 * fixed cost (signing, HTTP) is already far below its records' (a thousandth of the CPU), so
 * nothing is lost by sending more, smaller requests; Apache lines fill 500 records at 110 KB and
 * never reach it. A single larger record still goes alone.
 */
const REQUEST_BYTES = 1024 * 1024;

/** The record context of a flow without processing options, which never reads it. */
const UNUSED_CONTEXT = Object.freeze({ path: '', fingerprint: '', offset: 0 });

/** `data[start, end)` in a Buffer of its own (from Node's pool when small; no view allocated). */
function copyRange(data: Uint8Array, start: number, end: number): Buffer {
  const owned = Buffer.allocUnsafe(end - start);
  if (Buffer.isBuffer(data)) data.copy(owned, 0, start, end);
  else owned.set(data.subarray(start, end));
  return owned;
}

/** multiLineStartPattern: Java `lookingAt` on each line's text. */
function startRegex(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  const compiled = lookingAtRegex(pattern);
  if (!compiled.ok) throw new Error(`multiLineStartPattern: ${compiled.message}`);
  return compiled.regex;
}

/** fileFooterPattern: Java `matches()` with MULTILINE on the record's trimmed text. */
function footerRegex(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  const translated = translateJavaRegex(pattern, { multiline: true });
  if (!translated.ok) throw new Error(`fileFooterPattern: ${translated.message}`);
  return new RegExp(`(?<![\\s\\S])(?:${translated.regex.source})(?![\\s\\S])`, translated.regex.flags);
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
  private readonly aggregator: KplAggregator<TailedFile> | undefined;
  /**
   * Records go out as runs (RecordRun) when nothing needs a per-record object: no KPL, Firehose
   * packing, multi-line records, gzip or FIELD partition keys.
   */
  private readonly runs: RunBuilder | undefined;
  /** The file of the open run, and the offset its range ends at (its last line or a skip after it). */
  private runFile: TailedFile | undefined;
  private runEnd = 0;
  /** Bytes of the partition key each run record counts against the record limit (at most). */
  private readonly runKeyBytes: number;
  /** The converter chain on bytes, writing records straight into runs (see RecordWriter). */
  private readonly writer: RecordWriter | undefined;
  /** Firehose aggregatedRecordSizeBytes: lines are packed into records of up to this size (0 = off). */
  private readonly packBytes: number;
  /** Buffers of delivered packs, for later ones (see BufferRecycler). */
  private readonly packBuffers = new BufferRecycler(3 * 1024 * 1024);
  /** Whether a pack's record is the packer's buffer as is (no converter or gzip made another). */
  private readonly recyclePacks: boolean;
  private source: FileSource | undefined;
  private ageTimer: NodeJS.Timeout | undefined;
  private inFlightBytes = 0;
  /** Bytes of the request bodies this flow has in flight (base64: 4/3 of their records). */
  private requestBytes = 0;
  private readonly log: Logger;
  private readonly processor: RecordProcessor;
  private readonly startPattern: RegExp | undefined;
  private readonly multiline = new Map<TailedFile, { assembler: MultilineAssembler; lastPush: number }>();
  private multilineTimer: NodeJS.Timeout | undefined;
  /** Offset just after the last item framed in each file: the next record's start offset. */
  private readonly framedEnd = new WeakMap<TailedFile, number>();
  /**
   * Bytes read but not yet framed into lines (each file's unfinished last line). They count as read
   * but not against the in-flight budget: no acknowledgement can release them, only their newline,
   * which must therefore still be read (a partial line as large as the budget would stall reading).
   */
  private readonly unframed = new WeakMap<TailedFile, number>();
  private unframedBytes = 0;

  constructor(
    readonly config: FlowConfig,
    private readonly deps: FlowDeps,
  ) {
    this.log = deps.logger.child({ flow: config.name });
    this.processor = new RecordProcessor({
      chain: compileChain(config.dataProcessingOptions, deps.chainDeps),
      footer: footerRegex(config.fileFooterPattern),
      maxRecordBytes: config.maxRecordSizeBytes,
      terminator: new TextEncoder().encode(config.truncatedRecordTerminator),
      partitionKeyOption: config.partitionKeyOption,
      partitionKeys: config.type === 'kinesis',
      random: deps.random,
      md5Hex: deps.md5Hex,
    });
    this.startPattern = startRegex(config.multiLineStartPattern);
    // (KPL copies each line into its open aggregate instead.)
    this.copyLines = !this.processor.usesContext && config.compression !== 'gzip' && config.aggregation !== 'kpl';
    this.kplLines = !this.processor.usesContext && config.compression !== 'gzip' && config.aggregation === 'kpl' && config.fileFooterPattern === undefined;
    const requestBytes = Math.min(config.maxBufferSizeBytes, REQUEST_BYTES);
    this.batcher = new RecordBatcher({ maxRecords: config.maxBufferSizeRecords, maxBytes: requestBytes, maxAgeMillis: config.maxBufferAgeMillis }, deps.now);
    this.aggregator = config.aggregation === 'kpl'
      ? new KplAggregator<TailedFile>({ maxRecordBytes: config.maxRecordSizeBytes, md5: deps.md5, md5Async: deps.md5Async, now: deps.now })
      : undefined;
    this.packBytes = config.type === 'firehose' && this.startPattern === undefined ? config.aggregatedRecordSizeBytes : 0;
    this.recyclePacks = this.packBytes > 0 && !this.processor.usesContext && config.compression !== 'gzip';
    const runKeys = config.type === 'firehose' || config.partitionKeyOption === 'RANDOM' || config.partitionKeyOption === 'DETERMINISTIC';
    this.runs = this.aggregator === undefined && this.packBytes === 0 && this.startPattern === undefined && config.compression !== 'gzip' && runKeys
      ? new RunBuilder({ maxRecords: config.maxBufferSizeRecords, maxBytes: requestBytes, random: deps.random, now: deps.now })
      : undefined;
    this.writer = this.runs !== undefined && config.fileFooterPattern === undefined ? compileRecordWriter(config.dataProcessingOptions) : undefined;
    this.runKeyBytes = config.type === 'firehose' ? 0 : config.partitionKeyOption === 'DETERMINISTIC' ? 32 : MAX_RANDOM_KEY_BYTES;
    this.sender = new BatchSender<FlowRecord>({
      transport: { put: (entries, signal) => this.put(entries, signal) },
      maxRecords: config.maxBufferSizeRecords,
      maxBytes: requestBytes,
      limiter: deps.limiter,
      slots: deps.slots,
      preserveOrder: config.preserveOrder,
      backoffBaseMillis: config.retryInitialBackoffMillis,
      backoffCapMillis: config.retryMaxBackoffMillis,
      fatalRetryMaxMillis: deps.fatalRetryMaxMillis,
      stats: this.stats,
      random: deps.random,
      now: deps.now,
      schedule: deps.schedule,
      onDelivered: (records) => this.acknowledge(records),
      onRejected: (record, failure) => this.rejected(record, failure),
      split: (record) => this.split(record as RunRecord),
      onRequestError: (failure, kind, delay) => this.requestFailed(failure, kind, delay),
      onDegraded: (failure, kind) => this.degraded(failure, kind),
      onRecovered: () => this.recovered(),
      ...(deps.onSend === undefined ? {} : { onSend: deps.onSend }),
    });
  }

  /** What must happen before the first record: fetching EC2 instance metadata for ADDEC2METADATA. */
  async prepare(): Promise<void> {
    await this.deps.prepareChain();
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
      hasBudget: () => {
        if (this.inFlightBytes - this.unframedBytes + this.requestBytes < config.maxInFlightBytes) return true;
        this.flushStarved();
        return false;
      },
      onRead: (file, bytes, frame) => this.accept(file, bytes, frame),
      onFileOpened: (file, how) => {
        this.stats.counters.filesOpened += 1;
        this.framedEnd.set(file, file.position);
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
        this.flushMultiline(file);
        // Its open run is registered now: a released file's budget is written off once nothing of it is outstanding.
        if (this.runFile === file) this.sealRun();
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
    if (this.startPattern !== undefined) {
      const every = Math.max(10, Math.min(250, Math.floor(config.multiLineFlushMillis / 2)));
      this.multilineTimer = setInterval(() => this.flushQuietMultiline(), every);
    }
    this.log.info({ flowId: config.id, firstStart }, `flow started: ${config.filePattern} → ${config.type === 'kinesis' ? 'Kinesis stream' : 'Firehose'} ${config.streamName}`);
  }

  /**
   * Graceful stop (SIGTERM): stop reading, send what was read, wait for in-flight requests up to
   * `timeoutMillis`, then abandon retries. Unacknowledged records are re-read after a restart.
   */
  async stop(timeoutMillis: number): Promise<void> {
    this.setState('stopping');
    await this.source?.stop();
    clearInterval(this.multilineTimer);
    for (const file of [...this.multiline.keys()]) this.flushMultiline(file);
    clearTimeout(this.ageTimer);
    this.flushAggregate();
    this.sealRun();
    const last = this.batcher.flush();
    if (last !== undefined) this.sender.enqueue(last);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), timeoutMillis); });
    const expired = await Promise.race([this.sender.idle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (expired) this.log.warn({ pendingRecords: this.sender.pendingRecords }, 'shutdown timeout: unsent records will be read again at the next start');
    this.sender.stop();
    await this.source?.close();
    await this.deps.deadLetter.close();
    this.setState('stopped');
  }

  /** Stops reading (in-flight records are still sent and acknowledged); files stay open. */
  async pause(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'error') return;
    this.setState('paused');
    await this.source?.stop();
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.setState(this.sender.degradedBy === undefined ? 'running' : 'error');
    this.source?.start();
  }

  trackedFiles(): TrackedFileView[] {
    return [...(this.source?.files.values() ?? [])].map((file) => ({
      path: file.path, key: file.key, dev: file.identity.dev, ino: file.identity.ino, fingerprint: file.fingerprint,
      offset: file.acks.committed, size: file.size, lagBytes: file.lagBytes,
      state: file.goneSince !== undefined ? 'draining' : file.parked ? 'parked' : file.idleChecks > 0 ? 'idle' : 'reading',
    }));
  }

  status(): FlowStatus {
    const files = [...(this.source?.files.values() ?? [])];
    const gauges = this.stats.gauges;
    gauges.filesTracked = files.length;
    gauges.filesOpen = this.source?.openCount ?? 0;
    gauges.heldBytes = this.source?.heldBytes ?? 0;
    gauges.lagBytes = files.reduce((sum, file) => sum + file.lagBytes, 0);
    gauges.inFlightBytes = this.inFlightBytes;
    gauges.inFlightRecords = this.sender.pendingRecords + this.batcher.pendingRecords + (this.runs?.count ?? 0);
    gauges.concurrency = this.sender.degradedBy !== undefined || this.config.preserveOrder ? 1 : this.deps.limiter.limit;
    const { config } = this;
    return {
      key: config.key, id: config.id, name: config.name ?? config.id, type: config.type, streamName: config.streamName, filePattern: config.filePattern,
      state: this.state, ...(this.message === undefined ? {} : { message: this.message }),
      warnings: [...(this.source?.warnings() ?? []), ...this.deps.agentWarnings()],
      counters: this.stats.snapshotCounters(), gauges: { ...gauges }, putLatency: this.stats.latency(),
    };
  }

  /** What `accept` is framing: the file, the next line's start offset, whether a checkpoint moved. */
  private readonly reading: { file: TailedFile | undefined; start: number; skipped: boolean; pack: LinePacker | undefined } = { file: undefined, start: 0, skipped: false, pack: undefined };

  /** Lines are copied as they are framed: they are sent as they are (no processing, no gzip). */
  private readonly copyLines: boolean;
  /** KPL lines sent as they are (no processing, footer or gzip): copied into the open aggregate as framed. */
  private readonly kplLines: boolean;

  /** Receives the lines of each read (one sink, no object per line). */
  private readonly frameSink: FrameSink = {
    line: (data, start, end, endOffset) => this.acceptLine(data, start, end, endOffset),
    skip: (reason, _bytes, endOffset) => this.acceptSkip(reason, endOffset),
  };

  private accept(file: TailedFile, bytes: number, frame: (sink: FrameSink) => void): void {
    this.stats.counters.bytesRead += bytes;
    this.inFlightBytes += bytes;
    const reading = this.reading;
    reading.file = file;
    reading.start = this.framedEnd.get(file) ?? file.acks.committed;
    reading.skipped = false;
    reading.pack = this.packBytes > 0 ? new LinePacker(this.packBytes, (data, from, to) => { reading.skipped = this.emit(file, data, from, to, true) || reading.skipped; }, this.packBuffers) : undefined;
    try {
      frame(this.frameSink);
      reading.pack?.flush();
      // The open run may view the read buffer, which the next read overwrites.
      this.runs?.detach();
    } finally {
      // KPL lines the open aggregate has not copied yet view the read buffer too (KplAggregator.addLine).
      this.aggregator?.detach();
      reading.file = undefined;
      reading.pack = undefined;
    }
    const start = reading.start;
    this.framedEnd.set(file, start);
    this.setUnframed(file, Math.max(0, file.position - start));
    if (reading.skipped) this.checkpoint(file);
    this.armAgeTimer();
  }

  private acceptLine(data: Uint8Array, start: number, end: number, endOffset: number): void {
    const reading = this.reading;
    const file = reading.file as TailedFile;
    this.stats.counters.linesRead += 1;
    if (reading.pack !== undefined) reading.pack.add(data, start, end, reading.start, endOffset);
    else if (this.startPattern !== undefined) reading.skipped = this.assemble(file, data.subarray(start, end), reading.start, endOffset) || reading.skipped;
    // KPL without processing: a line that joins the open aggregate is copied straight into it (it fits,
    // so it needs no truncation, and no key of its own); one that opens the next goes through emit.
    else if (this.kplLines && this.aggregator!.joins(end - start)) this.join(file, data, start, end, reading.start, endOffset);
    else if (this.runs !== undefined) reading.skipped = this.addToRun(file, data, start, end, reading.start, endOffset) || reading.skipped;
    // A flow without processing sends the line itself: copied out of the read buffer here, once.
    else if (this.copyLines) reading.skipped = this.emit(file, copyRange(data, start, end), reading.start, endOffset, true) || reading.skipped;
    else reading.skipped = this.emit(file, data.subarray(start, end), reading.start, endOffset, false) || reading.skipped;
    reading.start = endOffset;
  }

  private acceptSkip(reason: 'runaway' | 'header', endOffset: number): void {
    const reading = this.reading;
    const file = reading.file as TailedFile;
    reading.pack?.flush();
    this.stats.skip(reason === 'runaway' ? 'runawayRemainder' : 'headerLine');
    reading.skipped = this.skipTo(file, endOffset) || reading.skipped;
    reading.start = endOffset;
  }

  /** multiLineStartPattern: lines gather into records (the line is copied: it views the read buffer). */
  private assemble(file: TailedFile, view: Uint8Array, start: number, end: number): boolean {
    let entry = this.multiline.get(file);
    if (entry === undefined) {
      entry = { assembler: new MultilineAssembler(this.startPattern ?? /^/, this.config.maxRecordSizeBytes), lastPush: 0 };
      this.multiline.set(file, entry);
    }
    entry.lastPush = this.deps.now();
    const record = entry.assembler.push(new Uint8Array(view), start, end);
    return record === undefined ? false : this.emitAssembled(file, record);
  }

  private emitAssembled(file: TailedFile, record: { data: Uint8Array; startOffset: number; endOffset: number; cut: boolean }): boolean {
    if (record.cut) this.stats.counters.recordsTruncated += 1;
    return this.emit(file, record.data, record.startOffset, record.endOffset, true);
  }

  /** A multi-line record is complete after multiLineFlushMillis without a new line in its file. */
  private flushQuietMultiline(): void {
    const quietSince = this.deps.now() - this.config.multiLineFlushMillis;
    for (const [file, entry] of this.multiline) {
      if (entry.lastPush <= quietSince && entry.assembler.pending) this.flushMultiline(file);
    }
  }

  private flushMultiline(file: TailedFile): void {
    const entry = this.multiline.get(file);
    if (entry === undefined) return;
    const record = entry.assembler.flush();
    if (this.source?.files.get(file.key) !== file) this.multiline.delete(file);
    if (record === undefined) return;
    if (this.emitAssembled(file, record)) this.checkpoint(file);
    this.armAgeTimer();
  }

  /**
   * Processes one record and hands it to the batcher, or acknowledges it at once when processing
   * drops it (counted by reason, and kept in the dead-letter file if keepSkippedRecords). Returns
   * whether the file's committed offset moved. `owned`: `raw` is the record's own copy (else it
   * views the read buffer, and is copied if it is sent unchanged).
   */
  private emit(file: TailedFile, raw: Uint8Array, startOffset: number, endOffset: number, owned: boolean): boolean {
    const context = this.processor.usesContext ? { path: file.path, fingerprint: file.fingerprintUpTo(endOffset), offset: startOffset } : UNUSED_CONTEXT;
    const aggregator = this.aggregator;
    // A record that joins the open KPL aggregate is routed by the aggregate's first key: its own is
    // not computed (a RANDOM key per line was 4% of the KPL profile; DETERMINISTIC is an MD5). The
    // record that opens the next aggregate is processed again, with its key (once per ~5,000 lines).
    const withKey = aggregator === undefined || this.config.compression === 'gzip' || aggregator.pending === 0;
    let result = this.processor.process(raw, context, withKey);
    if (!withKey && result.kind === 'record' && !aggregator!.joins(result.data.length)) result = this.processor.process(raw, context);
    if (result.kind === 'skip') return this.dropped(file, result.reason, raw, startOffset, endOffset);
    this.countProcessed(result);
    // Unconverted records that view the read buffer: keep a copy (gzip makes one anyway; KPL copies
    // the bytes into its open aggregate).
    let data = result.data === raw && !owned && this.config.compression !== 'gzip' && aggregator === undefined ? copyRange(raw, 0, raw.length) : result.data;
    // Measured, not encoded: no allocation per record.
    const keyBytes = Buffer.byteLength(result.partitionKey, 'utf8');
    if (this.config.compression === 'gzip') data = this.compress(data, this.config.maxRecordSizeBytes - keyBytes);
    const seq = aggregator === undefined ? file.acks.register(endOffset) : this.kplTicket(file, endOffset, aggregator.joins(data.length));
    if (aggregator === undefined) {
      this.batch({ data, partitionKey: result.partitionKey, size: data.length + keyBytes, file, seq, offset: startOffset, sendSeq: 0, attempt: 0, notBefore: 0, rejectedSince: -1 });
    } else {
      for (const aggregate of aggregator.add(data, result.partitionKey, file, seq, startOffset)) this.batch(this.aggregated(aggregate), aggregate.openedAt);
    }
    return false;
  }

  /** `data[start, end)` into the open KPL aggregate, which it is known to join (see acceptLine; copied at the read's end, see accept). */
  private join(file: TailedFile, data: Uint8Array, start: number, end: number, startOffset: number, endOffset: number): void {
    const sealed = this.aggregator!.addLine(data, start, end, file, this.kplTicket(file, endOffset, true), startOffset);
    for (let i = 0; i < sealed.length; i++) this.batch(this.aggregated(sealed[i]!), sealed[i]!.openedAt);
  }

  /**
   * The acknowledgement ticket of a record ending at `endOffset` in `file` that goes into the KPL
   * aggregator (`joins`: into the open aggregate, as the caller has found): the ticket of the
   * aggregate's last stretch extended over it, when that stretch is this file's latest ticket and the
   * record joins the aggregate (one ticket per stretch of a file in an aggregate, not one per line),
   * else a new one.
   */
  private kplTicket(file: TailedFile, endOffset: number, joins: boolean): number {
    const aggregator = this.aggregator!;
    const last = aggregator.lastSeq;
    if (joins && last !== undefined && aggregator.continuesSegment(file, last) && file.acks.extend(last, endOffset)) return last;
    return file.acks.register(endOffset);
  }

  private batch(record: FlowRecord, arrivedAt?: number): void {
    // With runs, a record that could not join one (see addToRun) goes alone, after the run before it.
    if (this.runs !== undefined) this.sender.enqueue({ records: [record], bytes: record.size });
    else for (const sealed of this.batcher.add(record, arrivedAt)) this.sender.enqueue(sealed);
  }

  /**
   * A line into the open run (one of its file, else a new one). Returns whether the file's
   * committed offset moved (a line that processing drops, outside a run). A record too large to
   * fit the record limit with its key goes through emit, which cuts it, as a request of its own
   * after the run (sealed first, so acknowledgement tickets stay in file order).
   */
  private addToRun(file: TailedFile, line: Uint8Array, start: number, end: number, startOffset: number, endOffset: number): boolean {
    const runs = this.runs!;
    if (this.runFile !== file) this.sealRun();
    if (!this.writeToRun(line, start, end, startOffset)) {
      let data = line;
      let from = start;
      let to = end;
      let processed: Extract<Processed, { kind: 'record' }> | undefined;
      if (this.processor.usesContext) {
        const raw = line.subarray(start, end);
        const result = this.processor.process(raw, { path: file.path, fingerprint: file.fingerprintUpTo(endOffset), offset: startOffset }, false);
        if (result.kind === 'skip') return this.dropped(file, result.reason, raw, startOffset, endOffset);
        processed = result;
        data = result.data;
        from = 0;
        to = data.length;
      }
      if (to - from + this.runKeyBytes > this.config.maxRecordSizeBytes) {
        this.sealRun();
        return this.emit(file, line.subarray(start, end), startOffset, endOffset, false);
      }
      if (processed !== undefined) this.countProcessed(processed);
      if (!runs.fits(to - from, this.runKeyBytes)) this.sealRun();
      runs.add(data, from, to, startOffset, this.runKey(data, from, to));
    }
    this.runFile = file;
    this.runEnd = endOffset;
    if (runs.full) this.sealRun();
    return false;
  }

  /**
   * The line's record written by the flow's RecordWriter straight into the open run. False (and
   * nothing added) without a writer, when it declines the line, or when the record could reach the
   * record limit (the processor then cuts it).
   */
  private writeToRun(line: Uint8Array, start: number, end: number, startOffset: number): boolean {
    const writer = this.writer;
    if (writer === undefined) return false;
    const worst = writer.worst(end - start);
    if (worst + this.runKeyBytes > this.config.maxRecordSizeBytes) return false;
    const runs = this.runs!;
    if (!runs.fits(worst, this.runKeyBytes)) this.sealRun();
    const out = runs.room(worst);
    const at = runs.writeAt;
    const length = writer.write(line, start, end, out, at);
    if (length < 0) return false;
    this.stats.counters.recordsProcessed += 1;
    runs.added(length, startOffset, this.runKey(out, at, at + length));
    return true;
  }

  /** A run record's partition key: none for Firehose, the MD5 of DETERMINISTIC, null for a RANDOM one (RunBuilder writes it). */
  private runKey(data: Uint8Array, from: number, to: number): string | null {
    return this.config.type === 'firehose' ? '' : this.config.partitionKeyOption === 'DETERMINISTIC' ? this.deps.md5Hex(data.subarray(from, to)) : null;
  }

  /** A record processing drops: counted by reason, kept if keepSkippedRecords, its bytes acknowledged (skipTo). */
  private dropped(file: TailedFile, reason: string, raw: Uint8Array, startOffset: number, endOffset: number): boolean {
    this.stats.skip(reason);
    if (this.deps.keepSkippedRecords) this.deps.deadLetter.write({ flow: this.config.id, reason, file: file.path, offset: startOffset, data: raw });
    return this.skipTo(file, endOffset);
  }

  /** What processing did to a record that is sent, counted. */
  private countProcessed(result: Extract<Processed, { kind: 'record' }>): void {
    const counters = this.stats.counters;
    if (this.config.dataProcessingOptions.length > 0) counters.recordsProcessed += 1;
    if (result.truncated) counters.recordsTruncated += 1;
    if (result.keyFallback) counters.partitionKeyFallbacks += 1;
    if (result.fallback !== undefined) this.processingError(result.fallback);
  }

  /**
   * Bytes consumed without a record up to `endOffset`: inside the open run of the file, its range
   * grows over them (acknowledged with it); else they are acknowledged now. Returns whether the
   * file's committed offset moved.
   */
  private skipTo(file: TailedFile, endOffset: number): boolean {
    if (this.runFile === file && this.runs!.count > 0) {
      this.runEnd = endOffset;
      return false;
    }
    return file.acks.skip(endOffset);
  }

  /** The open run goes to the sender, with one acknowledgement ticket for its range of the file. */
  private sealRun(): void {
    const runs = this.runs;
    const file = this.runFile;
    if (runs === undefined || file === undefined) return;
    const size = runs.bytes;
    const run = runs.seal();
    this.runFile = undefined;
    if (run === undefined) return;
    const record: RunRecord = { data: run.data, partitionKey: '', run, size, file, seq: file.acks.register(this.runEnd), remaining: run.count, ...newSendState() };
    this.sender.enqueue({ records: [record], bytes: size });
  }

  /**
   * A run whose records did not all succeed, as single records in its order (with its send state):
   * each is retried or dead-lettered on its own; the run's ticket is acknowledged when all are in.
   */
  private split(record: RunRecord): LineRecord[] {
    const { run, file } = record;
    const records: LineRecord[] = [];
    for (let i = 0; i < run.count; i++) {
      const data = runRecordData(run, i);
      const keyBytes = (run.keyEnds[i]! - (i === 0 ? 0 : run.keyEnds[i - 1]!));
      records.push({
        data, partitionKey: runRecordKey(run, i), size: data.length + keyBytes, file, seq: record.seq, offset: run.offsets[i]!, parent: record,
        sendSeq: record.sendSeq, attempt: record.attempt, notBefore: record.notBefore, rejectedSince: record.rejectedSince,
      });
    }
    record.remaining = records.length;
    return records;
  }

  private aggregated(aggregate: KplAggregate<TailedFile>): AggregateRecord {
    return { data: aggregate.data, partitionKey: aggregate.partitionKey, size: aggregate.data.length + Buffer.byteLength(aggregate.partitionKey, 'utf8'), members: aggregate.members, digested: aggregate.digested, ...newSendState() };
  }

  /** The open KPL aggregate goes to the batcher (its age is up, or the flow stops). */
  private flushAggregate(): void {
    const aggregate = this.aggregator?.flush();
    if (aggregate !== undefined) this.batch(this.aggregated(aggregate), aggregate.openedAt);
  }

  /**
   * gzip of one record, counted. gzip can make incompressible data a little larger; a record that
   * no longer fits the record limit is cut shorter before compressing again (counted as truncated).
   */
  private compress(data: Uint8Array, limit: number): Uint8Array {
    const counters = this.stats.counters;
    let input = data;
    let output = this.deps.gzip(input);
    while (output.length > limit && input.length > 0) {
      input = input.subarray(0, Math.max(0, input.length - (output.length - limit) - 64));
      output = this.deps.gzip(input);
    }
    if (input !== data) counters.recordsTruncated += 1;
    counters.recordsCompressed += 1;
    counters.bytesBeforeCompression += input.length;
    counters.bytesAfterCompression += output.length;
    return output;
  }

  private processingError(error: unknown): void {
    this.stats.counters.processingErrors += 1;
    if (this.stats.counters.processingErrors === 1 || this.stats.counters.processingErrors % 1000 === 0) {
      this.log.warn({ error: describeError(error), total: this.stats.counters.processingErrors }, `Cannot process input data: ${describeError(error).message}, falling back to raw data.`);
    }
  }

  /** When the open batch (or the open KPL aggregate) must be sent. */
  private deadline(): number | undefined {
    const opened = this.aggregator?.openedAt() ?? this.runOpenedAt();
    const aggregateDeadline = opened === undefined ? undefined : opened + this.config.maxBufferAgeMillis;
    const batchDeadline = this.batcher.deadline();
    if (aggregateDeadline === undefined) return batchDeadline;
    return batchDeadline === undefined ? aggregateDeadline : Math.min(batchDeadline, aggregateDeadline);
  }

  /** When the open run's first record was added, if there is an open run. */
  private runOpenedAt(): number | undefined {
    const runs = this.runs;
    return runs === undefined || runs.count === 0 ? undefined : runs.openedAt;
  }

  /**
   * A request of this flow's records. Its body (the records in base64, 4/3 of their size) counts
   * against maxInFlightBytes while it is in flight: the records are held twice then, and with 1 MiB
   * KPL aggregates or Firehose packs, five requests of 5 MiB were 35 MB of bodies on top of the
   * budget (then 16 MiB; issue 8's peak RSS of 150 MB).
   */
  private async put(entries: readonly FlowRecord[], signal?: AbortSignal): Promise<PutOutcome[]> {
    let bytes = 0;
    for (const entry of entries) bytes += base64Length(entry.data.length);
    this.requestBytes += bytes;
    try {
      // KPL aggregates whose MD5 the thread pool is still computing (md5Async).
      for (const entry of entries) if (entry.digested !== undefined) await entry.digested;
      return await this.deps.transport.put(entries, signal);
    } finally {
      this.requestBytes -= bytes;
      this.source?.wake();
    }
  }

  /**
   * Reading stopped because maxInFlightBytes is spent: the open KPL aggregate and batch cannot grow
   * until something is acknowledged, so waiting out maxBufferAgeMillis for them gains nothing.
   * They are sent now. (Before, a budget smaller than a full request, or a KPL aggregate plus its
   * batch, left each budget's worth of lines waiting the whole buffer age: 20,000 lines/s with
   * KPL and a 4 MiB budget instead of 170,000.)
   */
  private flushStarved(): void {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.flushAggregate();
    this.sealRun();
    const batch = this.batcher.flush();
    if (batch !== undefined) this.sender.enqueue(batch);
  }

  private armAgeTimer(): void {
    const deadline = this.deadline();
    if (deadline === undefined || this.ageTimer !== undefined) return;
    this.ageTimer = setTimeout(() => {
      this.ageTimer = undefined;
      const runOpened = this.runOpenedAt();
      if (runOpened !== undefined && runOpened + this.config.maxBufferAgeMillis <= this.deps.now()) this.sealRun();
      const opened = this.aggregator?.openedAt();
      const aggregateExpired = opened !== undefined && opened + this.config.maxBufferAgeMillis <= this.deps.now();
      if (aggregateExpired) this.flushAggregate();
      // An expired aggregate is as old as its first record: its batch goes now, whatever the batch's own age.
      const batch: Batch<FlowRecord> | undefined = aggregateExpired ? this.batcher.flush() : this.batcher.takeExpired();
      if (batch !== undefined) this.sender.enqueue(batch);
      this.armAgeTimer();
    }, Math.max(0, deadline - this.deps.now()));
  }

  private acknowledge(records: FlowRecord[]): void {
    const moved = new Set<TailedFile>();
    for (const record of records) {
      if (record.members === undefined) {
        const parent = record.parent;
        // A record split from a run: the run's ticket once the last of its records is in.
        if (parent !== undefined && --parent.remaining > 0) continue;
        if (record.file.acks.ack(record.seq)) moved.add(record.file);
        // The run is delivered and nothing views its data any more (bodies are copies): its buffer
        // serves a later run.
        const run = parent?.run ?? (record as Partial<RunRecord>).run;
        if (run !== undefined) this.runs?.recycle(run);
        // A Firehose pack sent as packed (no processing, no gzip: its data is the packer's buffer).
        else if (this.recyclePacks) this.packBuffers.give(record.data);
      } else {
        // One ticket per stretch of a file in the aggregate (kplTicket).
        const { owners, seqs } = record.members;
        for (let i = 0; i < owners.length; i++) if (owners[i]!.acks.ack(seqs[i]!)) moved.add(owners[i]!);
        this.aggregator?.recycle(record.data);
      }
    }
    for (const file of moved) this.checkpoint(file);
    if (this.released.size > 0) this.writeOffReleased();
    this.source?.wake();
  }

  /** A record the destination will never accept: kept in the dead-letter file, then acknowledged. */
  private rejected(record: FlowRecord, failure: SendFailure): void {
    const members = membersOf(record);
    const written = members.map((member) =>
      this.deps.deadLetter.write({ flow: this.config.id, reason: `rejected: ${failure.describe()}`, file: member.file.path, offset: member.offset, data: member.data }));
    this.log.error({ error: { code: failure.code, message: failure.message }, records: members.length, deadLetter: this.deps.deadLetter.path },
      `${this.api()} rejected ${members.length} record(s) permanently (${failure.describe()}); written to ${this.deps.deadLetter.path}`);
    // Acknowledged (the checkpoint may pass it) once the dead-letter file has it. When that file
    // cannot be written, the log names where each record still is in its source file.
    void Promise.all(written).then((results) => {
      members.forEach((member, i) => {
        if (results[i] !== true) this.log.error({ file: member.file.path, offset: member.offset }, `record rejected by the destination and not dead-lettered: ${member.file.path} at byte ${member.offset}`);
      });
      this.acknowledge([record]);
    });
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
      this.setUnframed(file, 0);
      this.released.delete(file);
    }
  }

  private setUnframed(file: TailedFile, bytes: number): void {
    this.unframedBytes += bytes - (this.unframed.get(file) ?? 0);
    this.unframed.set(file, bytes);
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

  private api(): string {
    return this.config.type === 'kinesis' ? `PutRecords to ${this.config.streamName}` : `PutRecordBatch to ${this.config.streamName}`;
  }

  private lastFailure = { message: '', count: 0 };

  /** Each distinct failure is logged, then every 10th repetition, so an outage does not flood the log. */
  private requestFailed(failure: SendFailure, kind: ErrorClass, delayMillis: number): void {
    const message = failure.describe();
    const repeated = message === this.lastFailure.message;
    this.lastFailure = { message, count: repeated ? this.lastFailure.count + 1 : 1 };
    if (repeated && this.lastFailure.count % 10 !== 0) return;
    const times = this.lastFailure.count > 1 ? ` (${this.lastFailure.count} times)` : '';
    this.log.warn({ error: { code: failure.code, message: failure.message, httpStatusCode: failure.httpStatus }, kind, retryInMillis: delayMillis },
      `${this.api()} failed${times}: ${message} [${kind}]; retrying in ${delayMillis} ms, nothing is dropped`);
  }

  /** The destination cannot take records (fatal error, or failures in a row): state error, probing. */
  private degraded(failure: SendFailure, kind: ErrorClass): void {
    this.message = `${failure.describe()}${kind === 'fatal' ? '' : ` [${kind}]`}`;
    if (this.state === 'running') this.setState('error');
    const hint = kind === 'fatal' ? `; probing at most every ${this.deps.fatalRetryMaxMillis} ms until it is fixed, the records wait in the files` : '; retrying';
    this.log.error({ error: { code: failure.code, message: failure.message, httpStatusCode: failure.httpStatus }, kind }, `${this.api()} cannot deliver: ${failure.describe()}${hint}`);
  }

  private recovered(): void {
    this.lastFailure = { message: '', count: 0 };
    this.message = undefined;
    if (this.state === 'error') this.setState('running');
    this.log.info(`${this.api()} works again`);
  }

  private setState(state: FlowState): void {
    this.state = state;
  }
}

/**
 * Firehose `aggregatedRecordSizeBytes` (the Java agent's AggregationSplitter): consecutive whole
 * lines of one read are packed into one record while the total stays within the hint; a line longer
 * than the hint stands alone.
 */
class LinePacker {
  /** The pack's lines as ranges of the buffers they were framed in (consecutive lines of a read: one range). */
  private readonly sources: Uint8Array[] = [];
  private readonly froms: number[] = [];
  private readonly tos: number[] = [];
  private bytes = 0;
  private start = 0;
  private end = 0;

  constructor(
    private readonly hint: number,
    private readonly emit: (data: Uint8Array, start: number, end: number) => void,
    private readonly buffers: BufferRecycler,
  ) {}

  /** The line `data[from, to)`, from file offset `start` to `end` (copied at the latest by `flush`, before the read buffer is reused). */
  add(data: Uint8Array, from: number, to: number, start: number, end: number): void {
    const length = to - from;
    if (this.sources.length > 0 && this.bytes + length > this.hint) this.flush();
    const last = this.sources.length - 1;
    if (last < 0) this.start = start;
    if (last >= 0 && this.sources[last] === data && this.tos[last] === from) this.tos[last] = to;
    else {
      this.sources.push(data);
      this.froms.push(from);
      this.tos.push(to);
    }
    this.bytes += length;
    this.end = end;
  }

  /** The pack as one record, its lines copied in one piece per range into a buffer of its own (a delivered pack's, if one is free). */
  flush(): void {
    if (this.sources.length === 0) return;
    // A new buffer has an eighth to spare besides the rounding: packs are one 512 KiB read's whole
    // lines, right at a 64 KiB step, and a buffer of exactly one pack's size was too small for the
    // next a third of the time; each miss was a new half-MiB allocation that the C allocator kept
    // fragmented (Firehose RSS crept up by 15 MB over a 1 GB backlog, issue 8).
    const data = this.buffers.take(this.bytes, recyclableSize((this.bytes * 9) / 8)).subarray(0, this.bytes);
    let at = 0;
    for (let i = 0; i < this.sources.length; i++) {
      data.set(this.sources[i]!.subarray(this.froms[i], this.tos[i]), at);
      at += this.tos[i]! - this.froms[i]!;
    }
    this.sources.length = 0;
    this.froms.length = 0;
    this.tos.length = 0;
    this.bytes = 0;
    this.emit(data, this.start, this.end);
  }
}
