import type { PutEntry } from './RecordsTransport.js';

/**
 * Consecutive records of one file kept as one buffer and a few typed arrays instead of an object,
 * a Buffer view and a key string per record (issue 8): those lived while the record was in flight,
 * so every young-generation collection copied them and most were promoted — a quarter of the
 * agent's CPU on its thread and as much again on V8's helper threads. A run travels the sender
 * as one entry that stands for `count` records of a request; it is split into single records only
 * when some of them fail.
 */
export interface RecordRun {
  /** The records' bytes, each starting at a multiple of 3 (up to 2 unused bytes before it). */
  readonly data: Uint8Array;
  /**
   * Record i is `data[runRecordStart(run, i), ends[i])`. A record starts at the first multiple of 3
   * at or after the previous one's end: then the base64 of a stretch of the run, made in one call,
   * holds every record's whole 3-byte groups encoded as the record's own base64 would be, and the
   * request body copies them from it (encodePutRecordsBody) instead of making a string per record.
   */
  readonly ends: Int32Array;
  /** The partition keys (printable ASCII without `"` or `\`), back to back; none for Firehose. */
  readonly keys: Uint8Array;
  /** Key i is `keys[i === 0 ? 0 : keyEnds[i - 1], keyEnds[i])`. */
  readonly keyEnds: Int32Array;
  /** Where each record starts in its file (for the dead-letter file). */
  readonly offsets: Float64Array;
  readonly count: number;
}

/** Where a record starts in a run's data when the previous one ends at `offset`: the next multiple of 3. */
export function alignRecordStart(offset: number): number {
  const rest = offset % 3;
  return rest === 0 ? offset : offset + 3 - rest;
}

/** Where record `index` of a run starts in its data. */
export function runRecordStart(run: RecordRun, index: number): number {
  return recordStart(run.ends, index);
}

/** Where record `index` starts in a run's data, from the records' ends (a run's, or one being built). */
export function recordStart(ends: Int32Array, index: number): number {
  return index === 0 ? 0 : alignRecordStart(ends[index - 1]!);
}

/** The bytes of a run's records (without the unused bytes that align them). */
export function runDataBytes(run: RecordRun): number {
  let bytes = 0;
  for (let i = 0; i < run.count; i++) bytes += run.ends[i]! - runRecordStart(run, i);
  return bytes;
}

/** Record `index` of a run: its bytes (a view of the run's buffer). */
export function runRecordData(run: RecordRun, index: number): Uint8Array {
  return run.data.subarray(runRecordStart(run, index), run.ends[index]);
}

/** Record `index` of a run: its partition key. */
export function runRecordKey(run: RecordRun, index: number): string {
  const from = index === 0 ? 0 : run.keyEnds[index - 1]!;
  const to = run.keyEnds[index]!;
  let key = '';
  for (let i = from; i < to; i++) key += String.fromCharCode(run.keys[i]!);
  return key;
}

/** How many records of a request these entries are (a run counts its records). */
export function recordCount(entries: readonly PutEntry[]): number {
  let count = 0;
  for (let i = 0; i < entries.length; i++) count += entries[i]!.run?.count ?? 1;
  return count;
}

/** The entries with each run replaced by its records (for code that wants one entry per record). */
export function expandRuns(entries: readonly PutEntry[]): PutEntry[] {
  const expanded: PutEntry[] = [];
  for (const entry of entries) {
    const run = entry.run;
    if (run === undefined) {
      expanded.push(entry);
      continue;
    }
    for (let i = 0; i < run.count; i++) expanded.push({ data: runRecordData(run, i), partitionKey: runRecordKey(run, i) });
  }
  return expanded;
}
