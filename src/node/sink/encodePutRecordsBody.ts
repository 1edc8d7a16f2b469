import { alignRecordStart, type RecordRun } from '../../core/send/RecordRun.js';
import type { PutEntry } from '../../core/send/RecordsTransport.js';
import { type Base64Encoder, defaultBase64Encoder } from './base64Encoder.js';

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
 * few bytes it writes, and a 500-record request made 2,500 of them (issue 8's profile). The base64
 * comes from `encoder` (base64Encoder.ts: WebAssembly SIMD where available, no string per record).
 */
export function encodePutRecordsBody(
  streamName: string,
  entries: readonly PutEntry[],
  firehose = false,
  allocate: (size: number) => Buffer = Buffer.allocUnsafe,
  encoder: Base64Encoder = defaultBase64Encoder(),
): Buffer {
  const head = `{"${firehose ? 'DeliveryStreamName' : 'StreamName'}":${JSON.stringify(streamName)},"Records":[`;
  // A key JSON must escape (or that is not ASCII), as JSON.stringify writes it; undefined: written as is.
  const escapedKeys: (string | undefined)[] = [];
  let size = Buffer.byteLength(head) + 2; // + "]}"
  let records = 0;
  let runs = false;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const run = entry.run;
    if (run !== undefined) {
      size += runSize(run, firehose);
      records += run.count;
      runs = true;
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
  // Runs' base64 is made in stretches past the body's end, and copied from there (writeRun).
  const body = allocate(runs ? size + SCRATCH_BYTES : size);
  let at = body.write(head, 0, 'utf8');
  let keyIndex = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (i > 0) body[at++] = COMMA;
    if (entry.run !== undefined) {
      at = writeRun(entry.run, firehose, body, at, size, encoder);
      continue;
    }
    at = copyBytes(DATA_OPEN, body, at);
    const data = entry.data;
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
    at = writeBase64(bytes, 0, bytes.length, body, at, encoder);
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
    start = alignRecordStart(end);
  }
  return size;
}

/**
 * Run data is encoded this many bytes at a time into the room past the body's end (a multiple of 3,
 * at most an encoder's maxSource).
 */
const SCRATCH_SOURCE_BYTES = 3 * 4096;
const SCRATCH_BYTES = base64Length(SCRATCH_SOURCE_BYTES);
const BASE64_ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
const PAD = 0x3d;

/**
 * A run's records, comma-separated, each `{"Data":"<base64>","PartitionKey":"<key>"}` (keys are
 * plain JSON strings); `scratch`: where the body's own bytes end (SCRATCH_BYTES of room follow). Run
 * data is encoded a stretch at a time into that room. Each record of a run starts at a multiple of 3
 * (RecordRun), so the base64 of a stretch that starts at a record holds every later record's whole
 * 3-byte groups as its own base64 would: they are moved from there (`copyWithin`: no object per
 * record, where `Buffer#copy` from another buffer makes a view per call), and only the last 1 or 2
 * bytes of a record are encoded here. A string per record (500 per request) was half the time of
 * writing a body (issue 8).
 */
function writeRun(run: RecordRun, firehose: boolean, body: Buffer, at: number, scratch: number, encoder: Base64Encoder): number {
  const data = Buffer.isBuffer(run.data) ? run.data : Buffer.from(run.data.buffer, run.data.byteOffset, run.data.length);
  const { ends, keys, keyEnds } = run;
  let start = 0;
  let keyStart = 0;
  // The run's bytes [encodedFrom, encodedTo) have their base64 at `scratch` (whole groups only).
  const stretch = Math.min(SCRATCH_SOURCE_BYTES, encoder.maxSource);
  let encodedFrom = 0;
  let encodedTo = 0;
  for (let i = 0; i < run.count; i++) {
    if (i > 0) body[at++] = COMMA;
    at = copyBytes(DATA_OPEN, body, at);
    const end = ends[i]!;
    const whole = end - ((end - start) % 3);
    if (whole - start > stretch) {
      at = writeBase64(data, start, end, body, at, encoder);
    } else {
      if (whole > encodedTo) {
        encodedFrom = start;
        const to = Math.min(data.length, start + stretch);
        encodedTo = to - ((to - start) % 3);
        encoder.encode(data, encodedFrom, encodedTo, body, scratch);
      }
      const from = scratch + ((start - encodedFrom) / 3) * 4;
      const to = from + ((whole - start) / 3) * 4;
      body.copyWithin(at, from, to);
      at = writeBase64Tail(data, whole, end, body, at + to - from);
    }
    body[at++] = QUOTE;
    start = alignRecordStart(end);
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
 * Base64 of `bytes[start, end)` into `body` at `at`, padded; returns the offset after it. Made in
 * slices of the encoder's maxSource (a multiple of 3, so the slices' base64 joins into the record's):
 * with V8's encoder, one string per slice stays a small young-generation object, where one per 1 MiB
 * KPL aggregate was a 1.4 MB "large object" that only a full collection frees (dozens of them
 * waiting for it were tens of MB of RSS, issue 8's KPL scenario).
 */
function writeBase64(bytes: Buffer, start: number, end: number, body: Buffer, at: number, encoder: Base64Encoder): number {
  const whole = end - ((end - start) % 3);
  let written = at;
  for (let from = start; from < whole; from += encoder.maxSource) {
    const to = Math.min(whole, from + encoder.maxSource);
    encoder.encode(bytes, from, to, body, written);
    written += ((to - from) / 3) * 4;
  }
  return writeBase64Tail(bytes, whole, end, body, written);
}

/** Base64 of the last 1 or 2 bytes of a record, `bytes[from, end)`, padded (nothing for 0). */
function writeBase64Tail(bytes: Buffer, from: number, end: number, body: Buffer, at: number): number {
  if (end - from === 1) {
    const n = bytes[from]!;
    body[at] = BASE64_ALPHABET[n >> 2]!;
    body[at + 1] = BASE64_ALPHABET[(n & 0x03) << 4]!;
    body[at + 2] = PAD;
    body[at + 3] = PAD;
    return at + 4;
  }
  if (end - from === 2) {
    const n = (bytes[from]! << 8) | bytes[from + 1]!;
    body[at] = BASE64_ALPHABET[n >> 10]!;
    body[at + 1] = BASE64_ALPHABET[(n >> 4) & 0x3f]!;
    body[at + 2] = BASE64_ALPHABET[(n & 0x0f) << 2]!;
    body[at + 3] = PAD;
    return at + 4;
  }
  return at;
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
