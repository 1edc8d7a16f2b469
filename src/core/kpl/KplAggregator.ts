import { KINESIS_MAX_RECORD_BYTES } from '../../shared/config/limits.js';
import { BufferRecycler, recyclableSize } from '../send/BufferRecycler.js';
import { KPL_DIGEST_BYTES, KPL_MAGIC, kplAggregateOverhead, kplRecordEntrySize, writeKplHead, writeKplRecord, writeKplRecordHead } from './encodeKplAggregate.js';

export interface KplAggregatorOptions {
  /**
   * The Kinesis record size limit, which counts the record's data plus the UTF-8 bytes of its
   * partition key (PutRecords). Default 1 MiB; up to 10 MiB for streams with large records.
   */
  maxRecordBytes?: number;
  /** User records per aggregate. Default: unlimited (only bytes bound an aggregate). */
  maxRecordsPerAggregate?: number;
  /** MD5 of the protobuf bytes (the format's trailing checksum); injected because src/core has no crypto. */
  md5: (data: Uint8Array) => Uint8Array;
  /**
   * The same MD5 computed off the caller's thread (Node: in libuv's thread pool). When given, an
   * aggregate is sealed before its digest is known and `digested` settles once it is written into
   * its data; `md5` is the fallback should it fail. The digest is a fifth of the KPL scenario's
   * CPU on the thread that reads and aggregates (issue 8), and needs none of its state.
   */
  md5Async?: ((data: Uint8Array) => Promise<Uint8Array>) | undefined;
  now: () => number;
}

/**
 * The user records of one Kinesis record: where each one's bytes lie and where it starts in its
 * file, in typed arrays, and who acknowledges them, by segment. An aggregate of 1 MiB carries about
 * 5,000 log lines: an object per member (then five growing JS arrays, one entry per member in each)
 * alive until the aggregate is acknowledged was as much memory as the data and most of the garbage
 * collector's work, and acknowledging it walked every line (issue 8).
 *
 * A segment is a stretch of consecutive members added with the same owner and sequence number: the
 * caller's one acknowledgement ticket for a stretch of its file (Flow extends the ticket as lines of
 * the same file join, so an aggregate of one file's lines has one segment).
 */
export interface KplMembers<F> {
  /** User records in the Kinesis record. */
  readonly count: number;
  /** Where each member's data starts and ends in the Kinesis record's `data`. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** The caller's offset of each member (Flow: where it starts in its file). */
  readonly offsets: Float64Array;
  /** Segment s is members `[s === 0 ? 0 : segmentEnds[s - 1], segmentEnds[s])`. */
  readonly segmentEnds: readonly number[];
  /** The caller's owner of each segment (Flow: the file it was read from). */
  readonly owners: readonly F[];
  /** The caller's sequence number of each segment (Flow: its acknowledgement ticket). */
  readonly seqs: readonly number[];
}

/** The owner of member `index` (a walk over the segments: for the rare per-member paths). */
export function kplMemberOwner<F>(members: KplMembers<F>, index: number): F {
  let segment = 0;
  while (members.segmentEnds[segment]! <= index) segment++;
  return members.owners[segment]!;
}

/** One Kinesis record to send: a KPL aggregate of several user records, or one user record as is. */
export interface KplAggregate<F> {
  data: Uint8Array;
  partitionKey: string;
  members: KplMembers<F>;
  /** When its first member was added. */
  openedAt: number;
  /**
   * Settles once the trailing MD5 is in `data` (with `md5Async`; absent: it is already). Nothing
   * may send or read the whole of `data` before; it rejects only if `md5` itself throws.
   */
  digested?: Promise<void> | undefined;
}

/** The bytes of member `index` (a view into the Kinesis record's data). */
export function kplMemberData<F>(aggregate: Pick<KplAggregate<F>, 'data' | 'members'>, index: number): Uint8Array {
  return aggregate.data.subarray(aggregate.members.starts[index], aggregate.members.ends[index]);
}

/** A 0-byte user record still costs this much inside an aggregate; less room than this means full. */
const SMALLEST_ENTRY = kplRecordEntrySize(0);
/** The first aggregate's buffer; later ones start at the size the previous one reached. */
const INITIAL_CAPACITY = 64 * 1024;
const EMPTY = new Uint8Array(0);
const NOTHING_SEALED: readonly never[] = Object.freeze([]);

const utf8 = new TextEncoder();

/** Member slots the first aggregate starts with; later ones start with what the previous one needed. */
const INITIAL_MEMBER_CAPACITY = 1024;

/** The members of one aggregate as they are added (sealed into KplMembers). */
class MemberList<F> {
  count = 0;
  starts: Int32Array;
  ends: Int32Array;
  offsets: Float64Array;
  readonly segmentEnds: number[] = [];
  readonly owners: F[] = [];
  readonly seqs: number[] = [];

  constructor(capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.offsets = new Float64Array(capacity);
  }

  /** Whether a member of this owner and sequence number continues the last segment. */
  continues(owner: F, seq: number): boolean {
    const last = this.owners.length - 1;
    return last >= 0 && this.owners[last] === owner && this.seqs[last] === seq;
  }

  push(owner: F, seq: number, offset: number, start: number, end: number): void {
    const index = this.count;
    if (index === this.starts.length) this.grow();
    this.starts[index] = start;
    this.ends[index] = end;
    this.offsets[index] = offset;
    this.count = index + 1;
    if (this.continues(owner, seq)) this.segmentEnds[this.segmentEnds.length - 1] = this.count;
    else {
      this.owners.push(owner);
      this.seqs.push(seq);
      this.segmentEnds.push(this.count);
    }
  }

  /** The members, in arrays of exactly their count (views of this list's, which it no longer uses). */
  seal(): KplMembers<F> {
    const { count } = this;
    return {
      count, starts: this.starts.subarray(0, count), ends: this.ends.subarray(0, count), offsets: this.offsets.subarray(0, count),
      segmentEnds: this.segmentEnds, owners: this.owners, seqs: this.seqs,
    };
  }

  private grow(): void {
    const capacity = this.starts.length * 2;
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    const offsets = new Float64Array(capacity);
    starts.set(this.starts);
    ends.set(this.ends);
    offsets.set(this.offsets);
    this.starts = starts;
    this.ends = ends;
    this.offsets = offsets;
  }
}

/**
 * Packs user records into KPL aggregated records (aggregation-format.md), as the KPL does, each as
 * large as the Kinesis record limit allows, keeping the order of the records.
 *
 * Routing: an aggregate is sent with the partition key of its first member, and its one-entry
 * partition-key table holds that same key for every sub-record. The KCL drops sub-records whose
 * key hashes outside the shard the aggregate arrived on; with one key they all hash exactly where
 * the aggregate was routed. Consumers therefore see the first member's key on every sub-record.
 *
 * Streaming: each record's bytes are written into the open aggregate's buffer as it is added (the
 * caller's bytes may be a view of a read buffer it reuses: nothing is kept of them), so a line
 * costs one copy and no object. The exact size is kept as the buffer fills, so an aggregate never
 * exceeds `maxRecordBytes` counting its partition key. A sealed aggregate of a single record goes
 * out unaggregated (its own data and key), as the KPL does, which is never larger.
 */
export class KplAggregator<F> {
  private readonly maxRecordBytes: number;
  private readonly maxMembers: number;
  private members = new MemberList<F>(INITIAL_MEMBER_CAPACITY);
  /** Member slots the next aggregate starts with: what the last one needed. */
  private nextMemberCapacity = INITIAL_MEMBER_CAPACITY;
  /** The open aggregate: magic, key table and records written so far (the digest comes at sealing). */
  private buffer: Uint8Array = EMPTY;
  private position = 0;
  /** The open aggregate's partition key (its first member's) and that key's UTF-8 length. */
  private partitionKey = '';
  private keyBytes = 0;
  private firstAddedAt: number | undefined;
  /** Capacity the next aggregate's buffer starts with: what the last one needed (few regrowths, little waste). */
  private nextCapacity = INITIAL_CAPACITY;
  /** Buffers of delivered aggregates (three of 1 MiB: each delivered aggregate gives one for the next). */
  private readonly buffers = new BufferRecycler(3 * 1024 * 1024);
  /** Sealed aggregates' data whose digest (md5Async) is still to be written. */
  private readonly digesting = new Set<Uint8Array>();
  /**
   * Lines added by addLine whose bytes are still the caller's: `pendingSource[pendingFrom,
   * pendingTo)`, the data of members `pendingFirst` on (their heads not written either).
   */
  private pendingSource: Uint8Array | undefined;
  private pendingFrom = 0;
  private pendingTo = 0;
  private pendingFirst = 0;

  constructor(private readonly options: KplAggregatorOptions) {
    this.maxRecordBytes = options.maxRecordBytes ?? KINESIS_MAX_RECORD_BYTES;
    this.maxMembers = options.maxRecordsPerAggregate ?? Number.POSITIVE_INFINITY;
    if (!Number.isSafeInteger(this.maxRecordBytes) || this.maxRecordBytes <= 0) throw new RangeError(`maxRecordBytes must be a positive integer, got ${this.maxRecordBytes}`);
    if (!(this.maxMembers >= 1)) throw new RangeError(`maxRecordsPerAggregate must be at least 1, got ${this.maxMembers}`);
  }

  /** User records in the open aggregate. */
  get pending(): number {
    return this.members.count;
  }

  /**
   * Whether a record of `length` bytes from `owner` would join the open aggregate and continue its
   * last segment if added with `seq`: the caller may then extend that ticket to cover it.
   */
  continues(owner: F, seq: number, length: number): boolean {
    return this.continuesSegment(owner, seq) && this.joins(length);
  }

  /** Whether `owner` and `seq` are those of the open aggregate's last segment (the record's size aside). */
  continuesSegment(owner: F, seq: number): boolean {
    return this.members.continues(owner, seq);
  }

  /** The sequence number of the open aggregate's last segment, if one is open. */
  get lastSeq(): number | undefined {
    return this.members.seqs[this.members.seqs.length - 1];
  }

  /**
   * Kinesis bytes (data + partition key) the open aggregate would take if sent aggregated; 0 when
   * none is open. A lone member goes out unaggregated and so takes less.
   */
  get pendingBytes(): number {
    return this.pending === 0 ? 0 : this.position + KPL_DIGEST_BYTES + this.keyBytes;
  }

  /**
   * Whether a record of `length` bytes would join the open aggregate (so its own partition key is
   * not needed: the aggregate is routed by its first member's).
   */
  joins(length: number): boolean {
    return this.fits(kplRecordEntrySize(length));
  }

  /** Whether an entry of `entry` bytes fits the open aggregate. */
  private fits(entry: number): boolean {
    return this.pending > 0 && this.pending < this.maxMembers && this.position + entry + KPL_DIGEST_BYTES + this.keyBytes <= this.maxRecordBytes;
  }

  /** When the first record of the open aggregate was added (for age-based flushing), if one is open. */
  openedAt(): number | undefined {
    return this.firstAddedAt;
  }

  /**
   * Adds a user record (its bytes are copied: `data` may be reused once this returns); returns the
   * Kinesis records sealed by doing so, oldest first. The open aggregate is sealed when this record
   * would not fit in it, and again once it is full. A record too large to fit in an aggregate even
   * alone goes out alone, unaggregated; one larger than `maxRecordBytes` even raw is the caller's
   * to prevent (records are truncated before this). `owner`, `seq` and `offset` are the caller's,
   * kept in the members; a record with the owner and sequence number of the open aggregate's last
   * segment continues that segment, so it must join the open aggregate (see `continues`): one ticket
   * is never split between two aggregates.
   */
  add(data: Uint8Array, partitionKey: string, owner: F, seq: number, offset: number): readonly KplAggregate<F>[] {
    this.detach();
    const entry = kplRecordEntrySize(data.length);
    // A later member's own key is not stored (it uses index 0), so only its entry counts.
    if (this.fits(entry)) {
      this.append(data, entry, owner, seq, offset);
      // (No array per line: most adds seal nothing.)
      return this.full() ? [this.seal()] : NOTHING_SEALED;
    }
    if (this.members.continues(owner, seq)) throw new RangeError(`a record continuing the open aggregate's last segment (sequence number ${seq}) does not fit it`);
    const sealed: KplAggregate<F>[] = [];
    if (this.pending > 0) sealed.push(this.seal());

    const key = utf8.encode(partitionKey);
    if (kplAggregateOverhead(key.length) + entry + key.length > this.maxRecordBytes) {
      const members = new MemberList<F>(1);
      members.push(owner, seq, offset, 0, data.length);
      sealed.push({ data: data.slice(), partitionKey, members: members.seal(), openedAt: this.options.now() });
      return sealed;
    }
    this.open(partitionKey, key);
    this.append(data, entry, owner, seq, offset);
    if (this.full()) sealed.push(this.seal());
    return sealed;
  }

  /**
   * Adds the user record `data[start, end)`, which joins the open aggregate (`joins(end - start)`:
   * the caller has checked), under the aggregate's partition key. Its bytes are copied later, with
   * the lines after it in the same buffer, in one piece (`detach`): the caller must call `detach`
   * before it changes `data`. Each line of a read was a view allocated to copy it (a fifth of the
   * young generation's garbage in the KPL scenario, issue 8); here a read's lines are one copy, and
   * each is moved to its place past its head (copyWithin, no object).
   */
  addLine(data: Uint8Array, start: number, end: number, owner: F, seq: number, offset: number): readonly KplAggregate<F>[] {
    const length = end - start;
    const entry = kplRecordEntrySize(length);
    if (!this.fits(entry)) throw new RangeError(`a record of ${length} bytes added by addLine does not join the open aggregate`);
    const continues = this.pendingSource === data && this.pendingTo === start;
    if (!continues) this.detach();
    this.reserve(entry + KPL_DIGEST_BYTES);
    const dataStart = this.position + entry - length;
    this.members.push(owner, seq, offset, dataStart, dataStart + length);
    // The pending stretch is extended only once the line has its room and its member (should either
    // throw, what is pending still ends where the aggregate does).
    if (!continues) {
      this.pendingSource = data;
      this.pendingFrom = start;
      this.pendingFirst = this.members.count - 1;
    }
    this.pendingTo = end;
    this.position += entry;
    return this.full() ? [this.seal()] : NOTHING_SEALED;
  }

  /**
   * Copies the lines addLine left in their caller's buffer into the open aggregate (one copy, ending
   * where the last one's data ends; then each moved down to its place and its head written before
   * it: a line's place is never after where it was copied, and its head ends where it starts).
   */
  detach(): void {
    const source = this.pendingSource;
    if (source === undefined) return;
    this.pendingSource = undefined;
    const buffer = this.buffer;
    const { starts, ends, count } = this.members;
    let from = this.position - (this.pendingTo - this.pendingFrom);
    buffer.set(source.subarray(this.pendingFrom, this.pendingTo), from);
    for (let i = this.pendingFirst; i < count; i++) {
      const start = starts[i]!;
      const length = ends[i]! - start;
      if (start !== from) buffer.copyWithin(start, from, from + length);
      // Entries lie back to back: a member's head starts where the one before it ends (addLine's
      // members always follow one, so its entry size is not computed again here).
      writeKplRecordHead(buffer, i === 0 ? start - (kplRecordEntrySize(length) - length) : ends[i - 1]!, length);
      from += length;
    }
  }

  /** Seals the open aggregate whatever its age or size; undefined when there is none. */
  flush(): KplAggregate<F> | undefined {
    return this.pending === 0 ? undefined : this.seal();
  }

  /**
   * An aggregate this aggregator sealed is delivered (acknowledged, and nothing holds a view of its
   * data): its buffer may serve a later aggregate.
   */
  recycle(data: Uint8Array): void {
    // A digest still to be written would land in the next aggregate: that buffer is left to the GC.
    if (!this.digesting.has(data)) this.buffers.give(data);
  }

  /**
   * Writes the MD5 of `data[magic, position)` at `position`: at once, or (md5Async) when the thread
   * pool has it, falling back to `md5` should that fail.
   */
  private digest(data: Uint8Array, position: number): Promise<void> | undefined {
    const content = data.subarray(KPL_MAGIC.length, position);
    const write = (digest: Uint8Array): void => {
      if (digest.length !== KPL_DIGEST_BYTES) throw new RangeError(`md5 must return ${KPL_DIGEST_BYTES} bytes, got ${digest.length}`);
      data.set(digest, position);
    };
    const md5Async = this.options.md5Async;
    if (md5Async === undefined) {
      write(this.options.md5(content));
      return undefined;
    }
    this.digesting.add(data);
    const digested = md5Async(content)
      .then(write)
      .catch(() => write(this.options.md5(content)))
      .finally(() => this.digesting.delete(data));
    // Observed here too: an aggregate never sent (the flow stopped) must not leave a rejection unhandled.
    digested.catch(() => undefined);
    return digested;
  }

  private open(partitionKey: string, key: Uint8Array): void {
    this.buffer = this.buffers.take(Math.min(this.maxRecordBytes, Math.max(this.nextCapacity, kplAggregateOverhead(key.length))));
    this.position = writeKplHead(this.buffer, key);
    this.partitionKey = partitionKey;
    this.keyBytes = key.length;
    this.firstAddedAt = this.options.now();
  }

  /** Writes a record that fits (`entry`: its kplRecordEntrySize) and keeps its member's place. */
  private append(data: Uint8Array, entry: number, owner: F, seq: number, offset: number): void {
    this.reserve(entry + KPL_DIGEST_BYTES);
    const end = writeKplRecord(this.buffer, this.position, data);
    this.members.push(owner, seq, offset, end - data.length, end);
    this.position = end;
  }

  /**
   * Room for `bytes` more, growing the buffer by doubling. A record that fits never needs more than
   * the record limit, so the buffer never grows past it.
   */
  private reserve(bytes: number): void {
    const needed = this.position + bytes;
    if (needed <= this.buffer.length) return;
    const grown = this.buffers.take(Math.min(Math.max(needed, this.buffer.length * 2), this.maxRecordBytes));
    grown.set(this.buffer.subarray(0, this.position));
    this.buffers.give(this.buffer);
    this.buffer = grown;
  }

  /** No further record could join (not even an empty one): sealed at once, rather than on the next add. */
  private full(): boolean {
    return this.pending >= this.maxMembers || this.position + SMALLEST_ENTRY + KPL_DIGEST_BYTES + this.keyBytes > this.maxRecordBytes;
  }

  private seal(): KplAggregate<F> {
    this.detach();
    const members = this.members;
    const buffer = this.buffer;
    let data: Uint8Array;
    let digested: Promise<void> | undefined;
    if (members.count === 1) {
      // A lone member goes out as itself: its bytes only, in a buffer of their own.
      data = buffer.slice(members.starts[0], members.ends[0]);
      members.starts[0] = 0;
      members.ends[0] = data.length;
    } else {
      const end = this.position + KPL_DIGEST_BYTES;
      // Sealed early (its age, or the in-flight budget) and much smaller than its buffer: kept in a
      // buffer of its size, not holding the rest while it is in flight.
      data = end * 4 < buffer.length * 3 ? buffer.slice(0, end) : buffer.subarray(0, end);
      this.nextCapacity = Math.max(INITIAL_CAPACITY, recyclableSize(end));
      digested = this.digest(data, this.position);
    }
    // Copied out (a lone member, or sealed much smaller than its buffer): the buffer serves the next.
    if (data.buffer !== buffer.buffer) this.buffers.give(buffer);
    const aggregate: KplAggregate<F> = { data, partitionKey: this.partitionKey, members: members.seal(), openedAt: this.firstAddedAt ?? this.options.now(), digested };
    // Rounded up, so that a run of similar aggregates does not grow its arrays again.
    this.nextMemberCapacity = Math.max(INITIAL_MEMBER_CAPACITY, Math.ceil(members.count / 256) * 256);
    this.members = new MemberList<F>(this.nextMemberCapacity);
    this.buffer = EMPTY;
    this.position = 0;
    this.partitionKey = '';
    this.keyBytes = 0;
    this.firstAddedAt = undefined;
    return aggregate;
  }
}
