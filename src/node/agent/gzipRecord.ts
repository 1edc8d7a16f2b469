import { gzipSync } from 'node:zlib';

/**
 * gzip of one record. zlib's cost for a small input is mostly setting up its state: a 32 KiB window
 * and, at memLevel 8, a 64 KiB hash table and a 16 Ki-symbol buffer, all allocated and cleared per
 * call. Sized to the record instead (window covering the whole record, hash buckets and symbol
 * buffer above its length), the output is the same bytes (the whole input is in view, the one block
 * ends at the same place) at about half the cost on 200-byte lines; any inflater reads it (RFC
 * 1950/1952: the window size only bounds back-references). The output is produced in one chunk a
 * little larger than the record: Node's default 16 KiB chunk, returned as a view of itself, kept
 * 16 KiB alive per record waiting to be sent (issue 8's gzip scenario: 240 MB RSS).
 */
export function gzipRecord(data: Uint8Array): Uint8Array {
  const bits = Math.ceil(Math.log2(data.length + 262));
  // zlib reaches back at most 2^windowBits − 262 bytes (MIN_LOOKAHEAD); cover the whole record.
  const windowBits = Math.min(15, Math.max(9, bits));
  // 2^(memLevel+7) hash buckets and 2^(memLevel+6) symbols per block: both above the record's length.
  const memLevel = Math.min(8, Math.max(3, bits - 5));
  // gzip adds 18 bytes of header and trailer, deflate at most 5 per stored block: one chunk suffices.
  const chunkSize = Math.min(16 * 1024, data.length + 64);
  return gzipSync(data, { windowBits, memLevel, chunkSize });
}
