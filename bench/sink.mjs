// The benchmark's endpoint (issue 8): Kinesis PutRecords and Firehose PutRecordBatch over JSON 1.1
// on 127.0.0.1, in its own process (node bench/sink.mjs, forked by bench/run.mjs). It must not be the
// bottleneck, so it does no JSON parsing of the bulk: it counts records by scanning for `"Data":"`,
// and data bytes from each base64 string's length. A sample of requests is checked in full: parsed,
// every record decoded (gunzipped when gzip, de-aggregated when KPL) and the `/t/<epoch ms>/` stamps
// in the lines turned into delivery latencies.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

const DATA = Buffer.from('"Data":"');
const QUOTE = 0x22;
const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const STAMP = /\/t\/(\d{13})\//g;

const stats = { requests: 0, records: 0, dataBytes: 0, userRecords: 0, lines: 0, sampled: 0, errors: 0, latencies: [] };
let sampleEvery = 50;
let measureLatency = false;
let countLines = false;
const responses = new Map();

/** A successful answer for n records, built once per n (the sink answers hundreds per second). */
function response(target, n) {
  const key = `${target}:${n}`;
  let body = responses.get(key);
  if (body === undefined) {
    body = target.startsWith('Firehose')
      ? Buffer.from(JSON.stringify({ FailedPutCount: 0, Encrypted: false, RequestResponses: Array.from({ length: n }, (_, i) => ({ RecordId: `r${i}` })) }))
      : Buffer.from(JSON.stringify({ FailedRecordCount: 0, Records: Array.from({ length: n }, (_, i) => ({ SequenceNumber: `4959${i}`, ShardId: 'shardId-000000000000' })) }));
    responses.set(key, body);
  }
  return body;
}

/** Records and decoded data bytes of a request body, without parsing it. */
function scan(body) {
  let records = 0;
  let bytes = 0;
  let at = body.indexOf(DATA);
  while (at !== -1) {
    const start = at + DATA.length;
    const end = body.indexOf(QUOTE, start);
    const length = end - start;
    let padding = 0;
    if (length > 0 && body[end - 1] === 0x3d) padding = body[end - 2] === 0x3d ? 2 : 1;
    bytes += (length / 4) * 3 - padding;
    records += 1;
    at = body.indexOf(DATA, end);
  }
  return { records, bytes };
}

/**
 * KPL aggregate → its user records' data (proto2: field 3 = Record{ field 3 = data }). Its MD5 is
 * checked: a consumer (the KCL) takes an aggregate whose digest does not match for one record.
 */
function deaggregate(data) {
  if (data.length < 20 || !data.subarray(0, 4).equals(KPL_MAGIC)) return [data];
  const message = data.subarray(4, data.length - 16);
  if (!createHash('md5').update(message).digest().equals(data.subarray(data.length - 16))) throw new Error('a KPL aggregate\'s MD5 does not match its records (a consumer would take it for one record)');
  const out = [];
  forEachField(message, (field, value) => {
    if (field !== 3) return;
    forEachField(value, (inner, innerValue) => { if (inner === 3) out.push(innerValue); });
  });
  return out;
}

function forEachField(buffer, visit) {
  let at = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= buffer.length) throw new Error('a KPL aggregate ends inside a varint');
      const byte = buffer[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  while (at < buffer.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) varint();
    else if (wire === 2) {
      const length = varint();
      if (at + length > buffer.length) throw new Error('a KPL aggregate\'s field runs past its end');
      visit(field, buffer.subarray(at, at + length));
      at += length;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
}

/** A sampled request: every record decoded; lines and latency stamps counted. */
function inspect(body, now) {
  const request = JSON.parse(body.toString('utf8'));
  for (const record of request.Records) {
    let data = Buffer.from(record.Data, 'base64');
    if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
    const users = deaggregate(data);
    for (const user of users) {
      // A KPL member is one line of the file, its newline included (a line misplaced in its aggregate would not be).
      if (users.length > 1 && (user[user.length - 1] !== 0x0a || user.indexOf(0x0a) !== user.length - 1)) throw new Error('a KPL member is not one whole line');
      const text = (user[0] === 0x1f && user[1] === 0x8b ? gunzipSync(user) : user).toString('utf8');
      if (measureLatency) for (const match of text.matchAll(STAMP)) stats.latencies.push(now - Number(match[1]));
    }
  }
  stats.sampled += 1;
}

/**
 * User records (KPL) or lines (Firehose packing) counted in every record, without objects per
 * member. On 2 cores the sink's CPU is the agent's loss: a JSON.parse of every body and a view per
 * user record took two thirds of a core in the KPL scenario, and decoding every aggregate whole still
 * took a third of one. KPL user records are counted on the base64 itself: only the few bytes of each
 * member's protobuf header are decoded (the member's data is skipped by its length), so the cost is
 * per record, as the raw scenarios' scan is. Lines must be counted on every byte (decoded whole).
 */
function countUsers(body) {
  for (let at = body.indexOf(DATA); at !== -1; ) {
    const start = at + DATA.length;
    const end = body.indexOf(QUOTE, start);
    if (countLines) countRecord(Buffer.from(body.toString('latin1', start, end), 'base64'));
    else countKplMembers(body, start, end);
    at = body.indexOf(DATA, end);
  }
}

/** base64 character → its 6 bits (-1: not base64). */
const SEXTET = new Int8Array(256).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach((char, i) => { SEXTET[char.charCodeAt(0)] = i; });

/** Byte `i` of the data whose base64 starts at `text[start]` (its 4-character group decoded; padding reads as 0). */
function byteAt(text, start, i) {
  const g = start + 4 * ((i / 3) | 0);
  const n = (SEXTET[text[g]] << 18) | (SEXTET[text[g + 1]] << 12) | (Math.max(0, SEXTET[text[g + 2]]) << 6) | Math.max(0, SEXTET[text[g + 3]]);
  const r = i % 3;
  return r === 0 ? n >>> 16 : r === 1 ? (n >>> 8) & 0xff : n & 0xff;
}

/** Where the last varintAt ended (a variable, not an object or closure per call: this runs per member). */
let varintEnd = 0;

/** The protobuf varint at byte `at` of the data whose base64 starts at `text[start]`; sets varintEnd. */
function varintAt(text, start, at) {
  let value = 0;
  for (let scale = 1; ; scale *= 128) {
    const byte = byteAt(text, start, at++);
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
  }
  varintEnd = at;
  return value;
}

/** User records of the record whose base64 is `text[start, end)`: 1 unless it is a KPL aggregate. */
function countKplMembers(text, start, end) {
  let padding = 0;
  if (end > start && text[end - 1] === 0x3d) padding = text[end - 2] === 0x3d ? 2 : 1;
  const length = ((end - start) / 4) * 3 - padding;
  if (length < 20 || byteAt(text, start, 0) !== KPL_MAGIC[0] || byteAt(text, start, 1) !== KPL_MAGIC[1] || byteAt(text, start, 2) !== KPL_MAGIC[2] || byteAt(text, start, 3) !== KPL_MAGIC[3]) {
    stats.userRecords += 1;
    return;
  }
  const stop = length - 16;
  let at = 4;
  while (at < stop) {
    // A field's tag, then its value (a varint) or (length-delimited) its length.
    const tag = varintAt(text, start, at);
    const value = varintAt(text, start, varintEnd);
    at = varintEnd;
    if ((tag & 7) === 0) continue;
    if (tag >>> 3 === 3) stats.userRecords += 1;
    at += value;
  }
  if (at !== stop) throw new Error(`a KPL aggregate's records end at byte ${at}, not at its digest (${stop})`);
}

function countRecord(data) {
  if (data.length < 20 || data[0] !== KPL_MAGIC[0] || !data.subarray(0, 4).equals(KPL_MAGIC)) {
    stats.userRecords += 1;
    stats.lines += newlines(data);
    return;
  }
  const users = deaggregate(data);
  stats.userRecords += users.length;
  for (const user of users) stats.lines += newlines(user);
}

function newlines(data) {
  let count = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) count += 1;
  return count;
}

let deepCount = false;
/**
 * Each connection's requests are read into one buffer it keeps (a keep-alive connection carries one
 * request at a time): Buffer.concat of a 1.3 MB body's 64 KiB chunks into a new buffer every time
 * was a third of the sink's CPU in the KPL scenario (fresh memory, page-faulted as it is written).
 */
const receiveBuffers = new WeakMap();

function receiveBuffer(socket, size) {
  let buffer = receiveBuffers.get(socket);
  if (buffer === undefined || buffer.length < size) {
    buffer = Buffer.allocUnsafeSlow(size);
    receiveBuffers.set(socket, buffer);
  }
  return buffer;
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const declared = Number(req.headers['content-length']);
  const chunks = [];
  let into;
  let received = 0;
  if (Number.isSafeInteger(declared) && declared > 0) into = receiveBuffer(req.socket, declared);
  req.on('data', (chunk) => {
    if (into !== undefined && received + chunk.length > into.length) {
      // More than content-length said: kept in chunks as any other body.
      chunks.push(Buffer.from(into.subarray(0, received)));
      into = undefined;
    }
    if (into !== undefined) chunk.copy(into, received);
    else chunks.push(chunk);
    received += chunk.length;
  });
  req.on('end', () => {
    const body = into !== undefined ? into.subarray(0, received) : Buffer.concat(chunks);
    const target = String(req.headers['x-amz-target'] ?? '');
    const { records, bytes } = scan(body);
    stats.requests += 1;
    stats.records += records;
    stats.dataBytes += bytes;
    try {
      if (deepCount) countUsers(body);
      if (stats.requests % sampleEvery === 0 || measureLatency) inspect(body, Date.now());
    } catch (error) {
      stats.errors += 1;
      process.send?.({ type: 'error', message: error.message });
    }
    const reply = response(target, records);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': reply.length });
    res.end(reply);
  });
});

process.on('message', (message) => {
  if (message.type === 'reset') {
    Object.assign(stats, { requests: 0, records: 0, dataBytes: 0, userRecords: 0, lines: 0, sampled: 0, errors: 0, latencies: [] });
    measureLatency = message.measureLatency === true;
    deepCount = message.deepCount === true;
    countLines = message.countLines === true;
    sampleEvery = message.sampleEvery ?? 50;
    process.send({ type: 'reset' });
  } else if (message.type === 'stats') {
    const { latencies, ...rest } = stats;
    process.send({ type: 'stats', stats: { ...rest, latencies: message.withLatencies ? latencies : latencies.length } });
  }
});

server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port }));
// An orderly exit on SIGTERM, so that BENCH_SINK_PROF=<dir> (node --cpu-prof of the sink) writes its profile.
process.on('SIGTERM', () => process.exit(0));
