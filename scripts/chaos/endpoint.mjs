// The chaos scenarios' endpoint, run in its own process (forked by endpointClient.mjs): Kinesis
// PutRecords and Firehose PutRecordBatch (JSON 1.1) on 127.0.0.1, fast enough to count a backlog of
// gigabytes, with the fault server's actions switchable at any moment over IPC: ok, connection
// refused (not listening), HTTP errors, resets, per-record throttling, answers lost after the records
// were committed, latency.
//
// It does not keep records. Each numbered line (lines.mjs) is recognised by its first 16 base64
// characters and counted per stream in a typed array indexed by seq; every record (or every
// `checkEvery`-th request's records) is decoded and compared with the line it must be. A record that
// arrives again is explained on the spot or counted as unexplained:
// - its previous copy's answer was lost (the connection closed before the answer was written out);
// - or its previous copy was accepted in an earlier life of the agent (an epoch: the runner reports
//   each kill -9 with the time of the last checkpoint written before it) no earlier than that
//   checkpoint write, less SLACK_MILLIS: "only records sent after the last checkpoint write".
// Records that are not numbered lines (binary garbage, cut runaway lines) are kept whole, for the
// scenario to compare byte for byte.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { parseTag, seqLine, TAG_BASE64_CHARS } from './lines.mjs';

const DATA = Buffer.from('"Data":"');
const QUOTE = 0x22;
/**
 * How long before a checkpoint write a record may have been accepted and still not be covered by it:
 * the agent may take a while to process the answer (a busy event loop on a loaded 2-core machine),
 * and a file's checkpoint advances only over a contiguous prefix of acknowledged records.
 */
const SLACK_MILLIS = 2000;
const OTHERS_CAP_BYTES = 128 * 1024 * 1024;
const SAMPLES = 20;

const t0 = Date.now();
let mode = { kind: 'ok' };
let listening = false;
let port = 0;
let requestCount = 0;
const streams = new Map();

function newStream(name, options = {}) {
  return {
    name,
    light: options.light === true,
    checkEvery: options.checkEvery ?? 1,
    meanBody: options.meanBody ?? 80,
    capacity: 0,
    counts: new Uint8Array(0),
    answerLost: new Uint8Array(0),
    lastAt: new Uint32Array(0),
    lastEpoch: new Uint16Array(0),
    maxSeq: -1,
    epoch: 0,
    kills: [],
    requests: 0,
    records: 0,
    dataBytes: 0,
    seqRecords: 0,
    checked: 0,
    corrupt: 0,
    corruptSamples: [],
    throttled: 0,
    answersLost: 0,
    explainedByKill: 0,
    explainedWithinSlack: 0,
    explainedByLostAnswer: 0,
    unexplained: 0,
    unexplainedSamples: [],
    others: [],
    othersBytes: 0,
    lastAcceptedAt: 0,
  };
}

function stream(name) {
  let s = streams.get(name);
  if (s === undefined) {
    s = newStream(name);
    streams.set(name, s);
  }
  return s;
}

function ensure(s, seq) {
  if (seq < s.capacity) return;
  let capacity = Math.max(65536, s.capacity);
  while (capacity <= seq) capacity *= 2;
  const grow = (old, Type) => {
    const next = new Type(capacity);
    next.set(old);
    return next;
  };
  s.counts = grow(s.counts, Uint8Array);
  s.answerLost = grow(s.answerLost, Uint8Array);
  if (!s.light) {
    s.lastAt = grow(s.lastAt, Uint32Array);
    s.lastEpoch = grow(s.lastEpoch, Uint16Array);
  }
  s.capacity = capacity;
}

/** A numbered line arrived (again?): counted, and a second copy explained or not. */
function commitSeq(s, seq, now) {
  ensure(s, seq);
  const copies = s.counts[seq];
  if (copies > 0) {
    if (s.answerLost[seq] === 1) s.explainedByLostAnswer += 1;
    else if (!s.light && s.lastEpoch[seq] < s.epoch && s.lastAt[seq] + t0 >= s.kills[s.lastEpoch[seq]].checkpointMs - SLACK_MILLIS) {
      s.explainedByKill += 1;
      if (s.lastAt[seq] + t0 < s.kills[s.lastEpoch[seq]].checkpointMs) s.explainedWithinSlack += 1;
    }
    else {
      s.unexplained += 1;
      if (s.unexplainedSamples.length < SAMPLES) {
        s.unexplainedSamples.push({ seq, previousAtMs: s.light ? undefined : s.lastAt[seq] + t0, previousEpoch: s.light ? undefined : s.lastEpoch[seq], epoch: s.epoch, at: now });
      }
    }
  }
  s.counts[seq] = Math.min(255, copies + 1);
  s.answerLost[seq] = 0;
  if (!s.light) {
    s.lastAt[seq] = now - t0;
    s.lastEpoch[seq] = s.epoch;
  }
  if (seq > s.maxSeq) s.maxSeq = seq;
  s.seqRecords += 1;
}

/** Each record's base64 span in the body, in order, without parsing the JSON. */
function scanRecords(body) {
  const spans = [];
  let at = body.indexOf(DATA);
  while (at !== -1) {
    const start = at + DATA.length;
    const end = body.indexOf(QUOTE, start);
    spans.push([start, end]);
    at = body.indexOf(DATA, end);
  }
  return spans;
}

function streamName(body) {
  for (const key of ['"StreamName":"', '"DeliveryStreamName":"']) {
    const at = body.indexOf(key);
    if (at !== -1) return body.toString('utf8', at + key.length, body.indexOf(QUOTE, at + key.length));
  }
  return '';
}

/** The records accepted by this request: counted, checked, or kept (not numbered lines). */
function commit(s, body, spans, accepted, now) {
  const check = s.checkEvery <= 1 || s.requests % s.checkEvery === 0;
  const seqs = [];
  let parsed;
  for (let i = 0; i < spans.length; i += 1) {
    if (!accepted[i]) continue;
    const [start, end] = spans[i];
    const length = end - start;
    let padding = 0;
    if (length > 0 && body[end - 1] === 0x3d) padding = body[end - 2] === 0x3d ? 2 : 1;
    s.records += 1;
    s.dataBytes += (length / 4) * 3 - padding;
    const head = Buffer.from(body.toString('latin1', start, Math.min(end, start + TAG_BASE64_CHARS)), 'base64');
    const seq = parseTag(head);
    if (seq >= 0) {
      commitSeq(s, seq, now);
      seqs.push(seq);
      if (check) {
        s.checked += 1;
        const data = Buffer.from(body.toString('latin1', start, end), 'base64');
        const expected = seqLine(seq, s.meanBody);
        if (data.length !== Buffer.byteLength(expected) || data.toString('latin1') !== expected) {
          s.corrupt += 1;
          if (s.corruptSamples.length < SAMPLES) s.corruptSamples.push({ seq, got: data.toString('latin1', 0, 200), expected: expected.slice(0, 200) });
        }
      }
      continue;
    }
    parsed ??= JSON.parse(body.toString('utf8'));
    const data = Buffer.from(body.toString('latin1', start, end), 'base64');
    const partitionKey = parsed.Records[i]?.PartitionKey;
    const sha1 = createHash('sha1').update(data).digest('hex');
    const keep = s.othersBytes + data.length <= OTHERS_CAP_BYTES;
    if (keep) s.othersBytes += data.length;
    s.others.push({ data: keep ? data : undefined, length: data.length, sha1, partitionKey, at: now });
  }
  s.lastAcceptedAt = now;
  return seqs;
}

function markAnswersLost(s, seqs) {
  s.answersLost += seqs.length;
  for (const seq of seqs) s.answerLost[seq] = 1;
}

const cachedAnswers = new Map();
function okAnswer(firehose, n) {
  const key = `${firehose}:${n}`;
  let body = cachedAnswers.get(key);
  if (body === undefined) {
    body = Buffer.from(JSON.stringify(firehose
      ? { FailedPutCount: 0, Encrypted: false, RequestResponses: Array.from({ length: n }, (_, i) => ({ RecordId: `r${i}` })) }
      : { FailedRecordCount: 0, Records: Array.from({ length: n }, (_, i) => ({ SequenceNumber: `4959${i}`, ShardId: 'shardId-000000000000' })) }));
    cachedAnswers.set(key, body);
  }
  return body;
}

function partialAnswer(firehose, failed, code) {
  const results = failed.map((fail, i) => (fail
    ? { ErrorCode: code, ErrorMessage: `${code} (chaos)` }
    : firehose ? { RecordId: `r${i}` } : { SequenceNumber: `4959${i}`, ShardId: 'shardId-000000000000' }));
  const count = failed.filter(Boolean).length;
  return Buffer.from(JSON.stringify(firehose ? { FailedPutCount: count, Encrypted: false, RequestResponses: results } : { FailedRecordCount: count, Records: results }));
}

function send(res, status, body, onLost) {
  res.on('close', () => { if (!res.writableFinished) onLost(); });
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': body.length, 'x-amzn-requestid': 'chaos' });
  res.end(body);
}

function handle(req, res, body) {
  const now = Date.now();
  const index = requestCount++;
  const target = String(req.headers['x-amz-target'] ?? '');
  const firehose = target.startsWith('Firehose');
  const s = stream(streamName(body));
  s.requests += 1;
  const spans = scanRecords(body);
  const action = mode;
  const all = spans.map(() => true);
  switch (action.kind) {
    case 'error': {
      const text = Buffer.from(JSON.stringify({ __type: action.errorType, message: `${action.errorType} (chaos)` }));
      send(res, action.status, text, () => {});
      return;
    }
    case 'reset':
      req.socket.destroy();
      return;
    case 'lostAnswers':
      if (pseudoRandom(index) < action.fraction) {
        markAnswersLost(s, commit(s, body, spans, all, now));
        req.socket.destroy();
        return;
      }
      break;
    case 'throttle': {
      const failed = spans.map((_, i) => pseudoRandom(index * 1000 + i) < action.fraction);
      const seqs = commit(s, body, spans, failed.map((f) => !f), now);
      s.throttled += failed.filter(Boolean).length;
      const code = firehose ? 'ServiceUnavailableException' : 'ProvisionedThroughputExceededException';
      send(res, 200, partialAnswer(firehose, failed, code), () => markAnswersLost(s, seqs));
      return;
    }
    default:
      break;
  }
  const seqs = commit(s, body, spans, all, now);
  send(res, 200, okAnswer(firehose, spans.length), () => markAnswersLost(s, seqs));
}

/** A deterministic uniform number in [0, 1) for request/record i (reproducible fault patterns). */
function pseudoRandom(i) {
  let x = (i + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const delay = mode.kind === 'latency' ? mode.millis : 0;
    if (delay > 0) setTimeout(() => handle(req, res, body), delay);
    else handle(req, res, body);
  });
});

function listen() {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      listening = true;
      port = server.address().port;
      resolve();
    });
  });
}

async function setMode(next) {
  if (next.kind === 'refuse') {
    if (listening) {
      listening = false;
      await new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    }
  } else if (!listening) {
    await listen();
  }
  mode = next;
}

function tally(s, expected) {
  let delivered = 0;
  let lost = 0;
  let duplicated = 0;
  let written = 0;
  const firstLost = [];
  const lostRanges = [];
  const inExpected = new Uint8Array(Math.max(s.capacity, 1));
  for (const [from, to] of expected) {
    for (let seq = from; seq < to; seq += 1) {
      written += 1;
      const copies = seq < s.capacity ? s.counts[seq] : 0;
      if (seq < inExpected.length) inExpected[seq] = 1;
      if (copies === 0) {
        lost += 1;
        if (firstLost.length < SAMPLES) firstLost.push(seq);
        const last = lostRanges[lostRanges.length - 1];
        if (last !== undefined && last[1] === seq) last[1] = seq + 1;
        else if (lostRanges.length < 50) lostRanges.push([seq, seq + 1]);
      } else {
        delivered += 1;
        duplicated += copies - 1;
      }
    }
  }
  let unexpected = 0;
  for (let seq = 0; seq <= s.maxSeq; seq += 1) if (s.counts[seq] > 0 && inExpected[seq] !== 1) unexpected += 1;
  return {
    written, delivered, lost, duplicated, firstLost, lostRanges, unexpected,
    explainedByKill: s.explainedByKill, explainedWithinSlack: s.explainedWithinSlack, explainedByLostAnswer: s.explainedByLostAnswer, unexplained: s.unexplained, unexplainedSamples: s.unexplainedSamples,
    corrupt: s.corrupt, corruptSamples: s.corruptSamples, checked: s.checked,
    ...summary(s),
  };
}

function summary(s) {
  return {
    requests: s.requests, records: s.records, dataBytes: s.dataBytes, seqRecords: s.seqRecords, others: s.others.length,
    throttled: s.throttled, answersLost: s.answersLost, lastAcceptedAt: s.lastAcceptedAt, epoch: s.epoch, maxSeq: s.maxSeq,
  };
}

const handlers = {
  async mode(message) {
    await setMode(message.mode);
    return { mode: mode.kind };
  },
  stream(message) {
    streams.set(message.name, newStream(message.name, message.options));
    return {};
  },
  kill(message) {
    const s = stream(message.stream);
    s.kills[s.epoch] = { checkpointMs: message.checkpointMs ?? 0, at: Date.now() };
    s.epoch += 1;
    return { epoch: s.epoch };
  },
  stats(message) {
    return summary(stream(message.stream));
  },
  tally(message) {
    return tally(stream(message.stream), message.expected);
  },
  others(message) {
    return { others: stream(message.stream).others };
  },
  drop(message) {
    streams.delete(message.stream);
    return {};
  },
};

process.on('message', (message) => {
  Promise.resolve(handlers[message.type](message))
    .then((reply) => process.send({ id: message.id, ...reply }))
    .catch((error) => process.send({ id: message.id, error: String(error?.stack ?? error) }));
});
process.on('disconnect', () => process.exit(0));

await listen();
process.send({ type: 'listening', port });
