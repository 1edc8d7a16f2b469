import { KINESIS_MAX_RECORD_BYTES } from '../../shared/config/limits.js';
import { encodeKplAggregate, kplAggregateOverhead, kplRecordEntrySize } from './encodeKplAggregate.js';

export interface KplUserRecord {
  readonly data: Uint8Array;
  readonly partitionKey: string;
}

export interface KplAggregatorOptions<R = KplUserRecord> {
  /**
   * The Kinesis record size limit, which counts the record's data plus the UTF-8 bytes of its
   * partition key (PutRecords). Default 1 MiB; up to 10 MiB for streams with large records.
   */
  maxRecordBytes?: number;
  /** User records per aggregate. Default: unlimited (only bytes bound an aggregate). */
  maxRecordsPerAggregate?: number;
  /** MD5 of the protobuf bytes (the format's trailing checksum); injected because src/core has no crypto. */
  md5: (data: Uint8Array) => Uint8Array;
  now: () => number;
  /**
   * Called for each member of an aggregate once it is encoded, with the view of that member's data
   * inside the aggregate: the caller can drop its own copy, so a record in flight is held once, not
   * twice (issue 8: KPL's peak RSS).
   */
  adopt?: (member: R, data: Uint8Array) => void;
}

/** One Kinesis record to send: a KPL aggregate of several user records, or one user record as is. */
export interface KplAggregate<R> {
  data: Uint8Array;
  partitionKey: string;
  /** The user records it carries, in the order they were added. */
  members: R[];
  /** When its first member was added. */
  openedAt: number;
}

/** A 0-byte user record still costs this much inside an aggregate; less room than this means full. */
const SMALLEST_ENTRY = kplRecordEntrySize(0);

const utf8 = new TextEncoder();

/**
 * Packs user records into KPL aggregated records (aggregation-format.md), as the KPL does, each as
 * large as the Kinesis record limit allows, keeping the order of the records.
 *
 * Routing: an aggregate is sent with the partition key of its first member, and its one-entry
 * partition-key table holds that same key for every sub-record. The KCL drops sub-records whose
 * key hashes outside the shard the aggregate arrived on; with one key they all hash exactly where
 * the aggregate was routed. Consumers therefore see the first member's key on every sub-record.
 *
 * Size: the exact encoded size is kept incrementally (magic + key table + one entry per record +
 * digest), so an aggregate never exceeds `maxRecordBytes` counting its partition key, and each add
 * is O(1) in the aggregate's size. A sealed aggregate of a single record goes out unaggregated
 * (its own data and key), as the KPL does, which is never larger.
 */
export class KplAggregator<R extends KplUserRecord> {
  private readonly maxRecordBytes: number;
  private readonly maxMembers: number;
  private members: R[] = [];
  /** Encoded length of the open aggregate (data only, without its outer partition key). */
  private bytes = 0;
  /** UTF-8 length of the open aggregate's partition key (its first member's). */
  private keyBytes = 0;
  private firstAddedAt: number | undefined;

  constructor(private readonly options: KplAggregatorOptions<R>) {
    this.maxRecordBytes = options.maxRecordBytes ?? KINESIS_MAX_RECORD_BYTES;
    this.maxMembers = options.maxRecordsPerAggregate ?? Number.POSITIVE_INFINITY;
    if (!Number.isSafeInteger(this.maxRecordBytes) || this.maxRecordBytes <= 0) throw new RangeError(`maxRecordBytes must be a positive integer, got ${this.maxRecordBytes}`);
    if (!(this.maxMembers >= 1)) throw new RangeError(`maxRecordsPerAggregate must be at least 1, got ${this.maxMembers}`);
  }

  /** User records in the open aggregate. */
  get pending(): number {
    return this.members.length;
  }

  /**
   * Kinesis bytes (data + partition key) the open aggregate would take if sent aggregated; 0 when
   * none is open. A lone member goes out unaggregated and so takes less.
   */
  get pendingBytes(): number {
    return this.members.length === 0 ? 0 : this.bytes + this.keyBytes;
  }

  /** When the first record of the open aggregate was added (for age-based flushing), if one is open. */
  openedAt(): number | undefined {
    return this.firstAddedAt;
  }

  /**
   * Adds a user record; returns the Kinesis records sealed by doing so, oldest first. The open
   * aggregate is sealed when this record would not fit in it, and again once it is full. A record
   * too large to fit in an aggregate even alone goes out alone, unaggregated; one larger than
   * `maxRecordBytes` even raw is the caller's to prevent (records are truncated before this).
   */
  add(record: R): KplAggregate<R>[] {
    const sealed: KplAggregate<R>[] = [];
    const entry = kplRecordEntrySize(record.data.length);
    if (this.members.length > 0) {
      // A later member's own key is not stored (it uses index 0), so only its entry counts.
      if (this.bytes + entry + this.keyBytes <= this.maxRecordBytes) {
        this.members.push(record);
        this.bytes += entry;
        this.sealIfFull(sealed);
        return sealed;
      }
      sealed.push(this.seal());
    }

    const keyBytes = utf8.encode(record.partitionKey).length;
    const bytes = kplAggregateOverhead(keyBytes) + entry;
    if (bytes + keyBytes > this.maxRecordBytes) {
      sealed.push({ data: record.data, partitionKey: record.partitionKey, members: [record], openedAt: this.options.now() });
      return sealed;
    }
    this.members = [record];
    this.bytes = bytes;
    this.keyBytes = keyBytes;
    this.firstAddedAt = this.options.now();
    this.sealIfFull(sealed);
    return sealed;
  }

  /** Seals the open aggregate whatever its age or size; undefined when there is none. */
  flush(): KplAggregate<R> | undefined {
    return this.members.length === 0 ? undefined : this.seal();
  }

  /** Seals at once when no further record could join (not even an empty one), rather than on the next add. */
  private sealIfFull(sealed: KplAggregate<R>[]): void {
    if (this.members.length >= this.maxMembers || this.bytes + SMALLEST_ENTRY + this.keyBytes > this.maxRecordBytes) sealed.push(this.seal());
  }

  private encode(partitionKey: string, members: readonly R[]): Uint8Array {
    const { adopt, md5 } = this.options;
    const datas = members.map((m) => m.data);
    if (adopt === undefined) return encodeKplAggregate(partitionKey, datas, md5);
    const offsets: number[] = [];
    const data = encodeKplAggregate(partitionKey, datas, md5, offsets);
    members.forEach((member, i) => {
      const start = offsets[i] as number;
      adopt(member, data.subarray(start, start + (datas[i] as Uint8Array).length));
    });
    return data;
  }

  private seal(): KplAggregate<R> {
    const members = this.members;
    const first = members[0]!;
    const openedAt = this.firstAddedAt ?? this.options.now();
    // Read before encoding: `adopt` may clear the members' own keys.
    const partitionKey = first.partitionKey;
    const aggregate: KplAggregate<R> =
      members.length === 1
        ? { data: first.data, partitionKey, members, openedAt }
        : { data: this.encode(partitionKey, members), partitionKey, members, openedAt };
    this.members = [];
    this.bytes = 0;
    this.keyBytes = 0;
    this.firstAddedAt = undefined;
    return aggregate;
  }
}
