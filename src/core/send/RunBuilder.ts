import { MAX_RANDOM_KEY_BYTES, writeRandomPartitionKey } from '../records/partitionKey.js';
import { BufferRecycler, recyclableSize } from './BufferRecycler.js';
import { alignRecordStart, recordStart, type RecordRun } from './RecordRun.js';

export interface RunBuilderOptions {
  /** Records per run: a run is one request (PutRecords and PutRecordBatch take 500). */
  maxRecords: number;
  /** Bytes per run, counting each record's data and partition key (the request's limit). */
  maxBytes: number;
  /** RANDOM partition keys are drawn from this. */
  random: () => number;
  now: () => number;
}

/** The first run's buffer; later ones start at the size the previous one reached. */
const INITIAL_CAPACITY = 16 * 1024;

/**
 * Builds RecordRuns: records are added in order and the run is sealed when it is a full request, too
 * old, or something else must go before the next record. Lines added straight from a read buffer
 * are not copied one by one: consecutive ones (each starting where the last ended, in the same
 * buffer) are copied together when the run seals or `detach` is called, which the caller must do
 * before it reuses that buffer, and then moved apart to their places (each record starts at a
 * multiple of 3: see RecordRun).
 */
export class RunBuilder {
  private data: Uint8Array = new Uint8Array(0);
  /** Where the last record added ends (those from `pendingFirst` on not copied yet). */
  private length = 0;
  private ends = new Int32Array(0);
  private keys = new Uint8Array(0);
  private keyLength = 0;
  private keyEnds = new Int32Array(0);
  private offsets = new Float64Array(0);
  private records = 0;
  /** Data and key bytes, as the request limit counts them. */
  private size = 0;
  private opened = 0;
  private nextCapacity = INITIAL_CAPACITY;
  private pendingSource: Uint8Array | undefined;
  private pendingFrom = 0;
  private pendingTo = 0;
  /** The first record not copied yet (its bytes start at `pendingFrom` in `pendingSource`). */
  private pendingFirst = 0;
  /** Buffers of delivered runs (a few requests' worth: each delivered run gives one for the next). */
  private readonly buffers = new BufferRecycler(2 * 1024 * 1024);

  constructor(private readonly options: RunBuilderOptions) {}

  get count(): number {
    return this.records;
  }

  /** When the open run's first record was added (meaningless when count is 0). */
  get openedAt(): number {
    return this.opened;
  }

  /** Bytes the open run counts against the request limit. */
  get bytes(): number {
    return this.size;
  }

  /**
   * Whether a record of `length` bytes with a key of up to `keyBytes` joins the open run; if not,
   * the run must be sealed first. A record larger than a request still goes, alone.
   */
  fits(length: number, keyBytes: number): boolean {
    return this.records === 0 || (this.records < this.options.maxRecords && this.size + length + keyBytes <= this.options.maxBytes);
  }

  /**
   * Adds `data[start, end)`, starting at file offset `offset`, with partition key `key`: a plain
   * JSON string (printable ASCII without `"` or `\`; '' for Firehose), or null for a RANDOM key.
   */
  add(data: Uint8Array, start: number, end: number, offset: number, key: string | null): void {
    if (this.records === 0) this.open();
    if (this.pendingSource !== data || this.pendingTo !== start) {
      this.detach();
      this.pendingSource = data;
      this.pendingFrom = start;
      this.pendingFirst = this.records;
    }
    this.pendingTo = end;
    this.length = alignRecordStart(this.length) + end - start;
    this.record(end - start, offset, key);
  }

  /**
   * The run's buffer with room for `bytes` more at `writeAt`, for a record written in place (a
   * RecordWriter's): then `added` with its length, or nothing if none was written.
   */
  room(bytes: number): Uint8Array {
    if (this.records === 0) this.open();
    this.detach();
    if (this.writeAt + bytes > this.data.length) this.grow(this.writeAt + bytes);
    return this.data;
  }

  /** Where a record written into `room()`'s buffer starts. */
  get writeAt(): number {
    return alignRecordStart(this.length);
  }

  /** A record of `length` bytes written at `writeAt`, starting at file offset `offset`, with `key` (see add). */
  added(length: number, offset: number, key: string | null): void {
    this.length = alignRecordStart(this.length) + length;
    this.record(length, offset, key);
  }

  private record(length: number, offset: number, key: string | null): void {
    const index = this.records++;
    this.ends[index] = this.length;
    this.offsets[index] = offset;
    const keyStart = this.keyLength;
    this.reserveKey(key === null ? MAX_RANDOM_KEY_BYTES : key.length);
    if (key === null) this.keyLength = writeRandomPartitionKey(this.options.random, this.keys, this.keyLength);
    else for (let i = 0; i < key.length; i++) this.keys[this.keyLength++] = key.charCodeAt(i);
    this.keyEnds[index] = this.keyLength;
    this.size += length + this.keyLength - keyStart;
  }

  /** Whether the open run is a full request (it should be sealed now). */
  get full(): boolean {
    return this.records >= this.options.maxRecords || this.size >= this.options.maxBytes;
  }

  /** Copies what the open run still views in its callers' buffers. */
  detach(): void {
    const source = this.pendingSource;
    if (source === undefined) return;
    const bytes = this.pendingTo - this.pendingFrom;
    const end = this.length;
    if (end > this.data.length) this.grow(end);
    // One copy of the records together, ending where the last one ends; then each moved down to its
    // start (a record's place is never after where it was copied, nor past the next one's bytes).
    const data = this.data;
    const { ends } = this;
    let from = end - bytes;
    data.set(source.subarray(this.pendingFrom, this.pendingTo), from);
    for (let i = this.pendingFirst; i < this.records; i++) {
      const start = recordStart(ends, i);
      const length = ends[i]! - start;
      if (start !== from) data.copyWithin(start, from, from + length);
      from += length;
    }
    this.pendingSource = undefined;
  }

  /** The open run (its records copied), or undefined when it has none; the next add opens another. */
  seal(): RecordRun | undefined {
    if (this.records === 0) return undefined;
    this.detach();
    const count = this.records;
    // A run holds exactly its bytes while in flight: runs sealed short (by age, by a switch between
    // files) kept a full request's buffer each, and with 100 files that was 40 MB of RSS more. A
    // buffer mostly used is handed over (the next run gets another, sized as this one was, a
    // delivered run's if one is free);
    // otherwise the records are copied out and the buffer serves the next run. The index arrays
    // are always copied (a few KiB) and reused.
    const handOver = this.length >= this.data.length * 0.75;
    const run: RecordRun = {
      data: handOver ? this.data.subarray(0, this.length) : this.data.slice(0, this.length),
      ends: this.ends.slice(0, count),
      keys: this.keys.slice(0, this.keyLength),
      keyEnds: this.keyEnds.slice(0, count),
      offsets: this.offsets.slice(0, count),
      count,
    };
    if (handOver) {
      this.nextCapacity = Math.max(INITIAL_CAPACITY, recyclableSize(this.length));
      this.data = new Uint8Array(0);
    }
    this.records = 0;
    this.length = 0;
    this.keyLength = 0;
    this.size = 0;
    return run;
  }

  /**
   * A run this builder sealed is delivered (all its records acknowledged, and nothing holds a view
   * of its data): its buffer may serve a later run.
   */
  recycle(run: RecordRun): void {
    this.buffers.give(run.data);
  }

  private open(): void {
    const { maxRecords } = this.options;
    this.opened = this.options.now();
    if (this.data.length === 0) this.data = this.buffers.take(this.nextCapacity);
    if (this.ends.length === 0) {
      this.ends = new Int32Array(maxRecords);
      this.keyEnds = new Int32Array(maxRecords);
      this.offsets = new Float64Array(maxRecords);
      this.keys = new Uint8Array(maxRecords * MAX_RANDOM_KEY_BYTES);
    }
  }

  private grow(needed: number): void {
    // Doubling, up to a request; a record larger than a request alone gets what it needs.
    const data = this.buffers.take(Math.max(needed, Math.min(this.data.length * 2, this.options.maxBytes)));
    // What is copied already: all of it, or up to the first record still viewed in its source.
    const copied = this.pendingSource === undefined ? this.length : this.pendingFirst === 0 ? 0 : this.ends[this.pendingFirst - 1]!;
    data.set(this.data.subarray(0, copied));
    this.buffers.give(this.data);
    this.data = data;
  }

  private reserveKey(bytes: number): void {
    if (this.keyLength + bytes <= this.keys.length) return;
    const keys = new Uint8Array(Math.max(this.keyLength + bytes, this.keys.length * 2));
    keys.set(this.keys.subarray(0, this.keyLength));
    this.keys = keys;
  }
}
