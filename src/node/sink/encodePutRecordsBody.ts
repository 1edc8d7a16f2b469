import type { RecordRun } from '../../core/send/RecordRun.js';
import type { PutEntry } from '../../core/send/RecordsTransport.js';

const DATA_OPEN = Buffer.from('{"Data":"', 'latin1');
const KEY_FIELD = Buffer.from(',"PartitionKey":', 'latin1');
const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * The PutRecords / PutRecordBatch request body (JSON 1.1:
 * `{"StreamName":…,"Records":[{"Data":<base64>,"PartitionKey":…}]}` or
 * `{"DeliveryStreamName":…,"Records":[{"Data":<base64>}]}`) written straight into one Buffer (of the
 * exact size, or a view of one from `allocate`). The SDK's serializer builds an object graph, a JSON string and then a Buffer for every
 * request; at tens of MB/s that garbage, not the data, is what drives memory (issue #3's 200 MB
 * backlog measured 175 MB peak RSS with it). The fixed parts are copied byte by byte and a partition
 * key that JSON leaves as it is (printable ASCII without `"` or `\`, such as the RANDOM and
 * DETERMINISTIC keys) is written without JSON.stringify: each Buffer#write call costs more than the
 * few bytes it writes, and a 500-record request made 2,500 of them (issue 8's profile).
 */
export function encodePutRecordsBody(streamName: string, entries: readonly PutEntry[], firehose = false, allocate: (size: number) => Buffer = Buffer.allocUnsafe): Buffer {
  const head = `{"${firehose ? 'DeliveryStreamName' : 'StreamName'}":${JSON.stringify(streamName)},"Records":[`;
  // A key JSON must escape (or that is not ASCII), as JSON.stringify writes it; undefined: written as is.
  const escapedKeys: (string | undefined)[] = [];
  let size = Buffer.byteLength(head) + 2; // + "]}"
  let records = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const run = entry.run;
    if (run !== undefined) {
      size += runSize(run, firehose);
      records += run.count;
      continue;
    }
    records += 1;
    size += DATA_OPEN.length + base64Length(entry.data.length) + 2; // + '"' and '}'
    if (firehose) continue;
    const key = entry.partitionKey;
    if (isPlainJsonString(key)) {
      escapedKeys.push(undefined);
      size += KEY_FIELD.length + key.length + 2;
    } else {
      const json = JSON.stringify(key);
      escapedKeys.push(json);
      size += KEY_FIELD.length + Buffer.byteLength(json);
    }
  }
  size += Math.max(0, records - 1); // commas
  const body = allocate(size);
  let at = body.write(head, 0, 'utf8');
  let keyIndex = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (i > 0) body[at++] = COMMA;
    if (entry.run !== undefined) {
      at = writeRun(entry.run, firehose, body, at);
      continue;
    }
    at = copyBytes(DATA_OPEN, body, at);
    const data = entry.data;
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
    at = writeBase64(bytes, 0, bytes.length, body, at);
    body[at++] = QUOTE;
    if (!firehose) {
      at = copyBytes(KEY_FIELD, body, at);
      const json = escapedKeys[keyIndex++];
      if (json === undefined) at = writePlain(entry.partitionKey, body, at);
      else at += body.write(json, at, 'utf8');
    }
    body[at++] = CLOSE_BRACE;
  }
  body[at++] = CLOSE_BRACKET;
  body[at++] = CLOSE_BRACE;
  return at === body.length ? body : body.subarray(0, at);
}

/** The body bytes of a run's records, without the commas between them. */
function runSize(run: RecordRun, firehose: boolean): number {
  let size = run.count * (DATA_OPEN.length + 2) + (firehose ? 0 : run.count * (KEY_FIELD.length + 2) + run.keys.length);
  let start = 0;
  for (let i = 0; i < run.count; i++) {
    const end = run.ends[i]!;
    size += base64Length(end - start);
    start = end;
  }
  return size;
}

/** A run's records, comma-separated, each `{"Data":"<base64>","PartitionKey":"<key>"}` (keys are plain JSON strings). */
function writeRun(run: RecordRun, firehose: boolean, body: Buffer, at: number): number {
  const data = Buffer.isBuffer(run.data) ? run.data : Buffer.from(run.data.buffer, run.data.byteOffset, run.data.length);
  const { ends, keys, keyEnds } = run;
  let start = 0;
  let keyStart = 0;
  for (let i = 0; i < run.count; i++) {
    if (i > 0) body[at++] = COMMA;
    at = copyBytes(DATA_OPEN, body, at);
    const end = ends[i]!;
    at = writeBase64(data, start, end, body, at);
    body[at++] = QUOTE;
    start = end;
    if (!firehose) {
      at = copyBytes(KEY_FIELD, body, at);
      body[at++] = QUOTE;
      const keyEnd = keyEnds[i]!;
      for (let k = keyStart; k < keyEnd; k++) body[at++] = keys[k]!;
      keyStart = keyEnd;
      body[at++] = QUOTE;
    }
    body[at++] = CLOSE_BRACE;
  }
  return at;
}

/**
 * Base64 of a record is made in slices of this many bytes (a multiple of 3, so the slices' base64
 * joins into the record's): one string per slice stays a small young-generation object. One string
 * per 1 MiB KPL aggregate was a 1.4 MB "large object" that only a full collection frees, and
 * dozens of them waiting for it were tens of MB of RSS (issue 8's KPL scenario).
 */
const BASE64_SLICE_BYTES = 3 * 16 * 1024;

/** Base64 of `bytes[start, end)` into `body` at `at` (one call for a record below a slice); returns the offset after it. */
function writeBase64(bytes: Buffer, start: number, end: number, body: Buffer, at: number): number {
  let written = at;
  for (let from = start; from < end; from += BASE64_SLICE_BYTES) {
    written += body.write(bytes.toString('base64', from, Math.min(end, from + BASE64_SLICE_BYTES)), written, 'latin1');
  }
  return written;
}

/** Length of the base64 of `bytes` bytes (padded). */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** True when JSON.stringify(text) is text in quotes: printable ASCII without `"` and `\`. */
function isPlainJsonString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

/** `"text"` for a plain string (one byte per character). */
function writePlain(text: string, target: Buffer, at: number): number {
  target[at++] = QUOTE;
  for (let i = 0; i < text.length; i++) target[at++] = text.charCodeAt(i);
  target[at++] = QUOTE;
  return at;
}

function copyBytes(source: Buffer, target: Buffer, at: number): number {
  for (let i = 0; i < source.length; i++) target[at + i] = source[i]!;
  return at + source.length;
}
