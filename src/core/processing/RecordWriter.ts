/**
 * A converter chain that works on bytes: it writes the record of a line straight into the caller's
 * buffer (a run of records, or a slab), with no string in between. It may decline any line (-1),
 * and the string converters then decide; when it writes, the bytes are theirs exactly.
 */
export interface RecordWriter {
  /** The most bytes the record of a line of `length` bytes can take. */
  worst(length: number): number;
  /** Writes the record of `line[start, end)` (its newline included) at `out[at]`: its length, or -1. */
  write(line: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number;
}
