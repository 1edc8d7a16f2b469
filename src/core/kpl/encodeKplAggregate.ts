/**
 * The KPL aggregated-record format (awslabs/amazon-kinesis-producer, aggregation-format.md), which
 * the KCL and the Lambda deaggregation libraries unpack into the original user records:
 *
 *     F3 89 9A C2 | protobuf AggregatedRecord | MD5 of the protobuf bytes (16 bytes)
 *
 * with the proto2 messages
 *
 *     message AggregatedRecord {
 *       repeated string partition_key_table = 1;
 *       repeated string explicit_hash_key_table = 2;
 *       repeated Record records = 3;
 *     }
 *     message Record {
 *       required uint64 partition_key_index = 1;
 *       optional uint64 explicit_hash_key_index = 2;
 *       required bytes data = 3;
 *       repeated Tag tags = 4;
 *     }
 *
 * We write exactly one partition key per aggregate (table = [key]), so every Record is
 * `partition_key_index = 0, data = …` with no explicit hash key and no tags. The encoding is written by
 * hand so that its size is known in advance (the aggregator packs to the byte) and so that the
 * required field is always present (see RECORD_KEY_INDEX).
 */

/** The KPL magic number that starts every aggregated record. */
export const KPL_MAGIC: Uint8Array = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);

/** Length of the trailing MD5 digest. */
export const KPL_DIGEST_BYTES = 16;

/** Field 1 (partition_key_table / partition_key_index), wire type 2 (length-delimited). */
const TAG_PARTITION_KEY_TABLE = 0x0a;
/** Field 3 (records / data), wire type 2 (length-delimited). */
const TAG_RECORDS = 0x1a;
const TAG_RECORD_DATA = 0x1a;
/**
 * `partition_key_index = 0`: field 1, wire type 0 (varint), value 0. It must be written even though
 * it is zero: the field is proto2 `required`, and a proto3-style encoder that omits default values
 * produces records the KCL silently fails to deaggregate.
 */
const RECORD_KEY_INDEX = Uint8Array.of(0x08, 0x00);

const utf8 = new TextEncoder();

/** Bytes a protobuf base-128 varint takes for a non-negative integer (≤ 2^53, so plain arithmetic). */
export function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

/** Bytes the `records` entry for one user record of `dataLength` bytes adds to the protobuf. */
export function kplRecordEntrySize(dataLength: number): number {
  const inner = recordBodySize(dataLength);
  return 1 + varintSize(inner) + inner;
}

/**
 * Bytes of an aggregate holding no records yet whose partition-key table is one key of
 * `partitionKeyBytes` UTF-8 bytes: magic, the table entry and the digest.
 */
export function kplAggregateOverhead(partitionKeyBytes: number): number {
  return KPL_MAGIC.length + 1 + varintSize(partitionKeyBytes) + partitionKeyBytes + KPL_DIGEST_BYTES;
}

/** Exact length of `encodeKplAggregate(partitionKey, records)` for records of these data lengths. */
export function kplAggregateSize(partitionKey: string, dataLengths: readonly number[]): number {
  let size = kplAggregateOverhead(utf8.encode(partitionKey).length);
  for (const length of dataLengths) size += kplRecordEntrySize(length);
  return size;
}

/**
 * Encodes user records as one KPL aggregated record whose partition-key table holds only
 * `partitionKey`; every record refers to it. `md5` digests the protobuf bytes (not the magic), as
 * the format requires; it is injected because src/core has no crypto.
 */
export function encodeKplAggregate(
  partitionKey: string,
  records: readonly Uint8Array[],
  md5: (data: Uint8Array) => Uint8Array,
  /** If given, receives where each record's data starts in the output, in order. */
  dataOffsets?: number[],
): Uint8Array {
  const key = utf8.encode(partitionKey);
  let size = kplAggregateOverhead(key.length);
  for (const data of records) size += kplRecordEntrySize(data.length);

  const out = new Uint8Array(size);
  let pos = writeKplHead(out, key);
  for (const data of records) {
    pos = writeKplRecord(out, pos, data);
    dataOffsets?.push(pos - data.length);
  }

  const digest = md5(out.subarray(KPL_MAGIC.length, pos));
  if (digest.length !== KPL_DIGEST_BYTES) throw new RangeError(`md5 must return ${KPL_DIGEST_BYTES} bytes, got ${digest.length}`);
  out.set(digest, pos);
  return out;
}

/**
 * Writes the start of an aggregate into `out` (room for it: kplAggregateOverhead less the digest):
 * the magic and the one-key partition-key table. Returns the position after it.
 */
export function writeKplHead(out: Uint8Array, key: Uint8Array): number {
  out.set(KPL_MAGIC, 0);
  let pos = KPL_MAGIC.length;
  out[pos++] = TAG_PARTITION_KEY_TABLE;
  pos = writeVarint(out, pos, key.length);
  out.set(key, pos);
  return pos + key.length;
}

/**
 * Writes one `records` entry (kplRecordEntrySize bytes) at `pos`: key index 0, then the data, which
 * ends the entry. Returns the position after it.
 */
export function writeKplRecord(out: Uint8Array, pos: number, data: Uint8Array): number {
  const at = writeKplRecordHead(out, pos, data.length);
  out.set(data, at);
  return at + data.length;
}

/**
 * Writes the head of one `records` entry for data of `dataLength` bytes at `pos` (the entry's tag
 * and length, key index 0, the data's tag and length: kplRecordEntrySize - dataLength bytes);
 * returns where the data goes.
 */
export function writeKplRecordHead(out: Uint8Array, pos: number, dataLength: number): number {
  let at = pos;
  out[at++] = TAG_RECORDS;
  at = writeVarint(out, at, recordBodySize(dataLength));
  out[at++] = RECORD_KEY_INDEX[0]!;
  out[at++] = RECORD_KEY_INDEX[1]!;
  out[at++] = TAG_RECORD_DATA;
  return writeVarint(out, at, dataLength);
}

/** Bytes of one Record message body: the key index, then the data field. */
function recordBodySize(dataLength: number): number {
  return RECORD_KEY_INDEX.length + 1 + varintSize(dataLength) + dataLength;
}

/**
 * Writes a non-negative integer (≤ 2^53) as a protobuf base-128 varint at `pos`, low group first;
 * returns the position after it. Division, not bit operations, which would cut at 32 bits.
 */
export function writeVarint(out: Uint8Array, pos: number, value: number): number {
  let rest = value;
  while (rest >= 0x80) {
    out[pos++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[pos++] = rest;
  return pos;
}
