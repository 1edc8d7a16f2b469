/**
 * Cuts a record longer than the record-size limit as the Java agent does (reference §3.4): the first
 * `limit − terminator` bytes followed by the terminator. The cut is byte-based, as in Java.
 * `limit` is the room for data once the partition key is counted.
 */
export function truncateRecord(data: Uint8Array, limit: number, terminator: Uint8Array): Uint8Array {
  if (data.length <= limit) return data;
  const keep = Math.max(0, limit - terminator.length);
  const cut = new Uint8Array(keep + terminator.length);
  cut.set(data.subarray(0, keep), 0);
  cut.set(terminator, keep);
  return cut;
}
