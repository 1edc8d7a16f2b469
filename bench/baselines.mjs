// Baselines measured in the same run on the same file (issue 8), so every figure is also a ratio
// that holds on a noisy machine:
// - plain reading: read the file and count its lines;
// - the wire floor: the same lines as PutRecords bodies (base64 + JSON), SigV4-signed and posted to
//   the sink over keep-alive HTTP, with no per-line work beyond finding the line ends;
// - the SDK path: the AWS SDK's PutRecordsCommand sending pre-built 500-record batches of the same
//   lines to the same sink, with keep-alive and the best of a few concurrencies.
import { openSync, readSync, closeSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { encodePutRecordsBody } from '../dist/node/sink/encodePutRecordsBody.js';

const CHUNK = 1 << 20;
const cpuSeconds = (start) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

/** Lines of the file, in order, `limit` bytes at most (for the baselines that hold batches in memory). */
function* lines(file, limit = Infinity) {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let carry = Buffer.alloc(0);
  let read = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0 || read >= limit) break;
      read += n;
      const chunk = carry.length === 0 ? Buffer.from(buffer.subarray(0, n)) : Buffer.concat([carry, buffer.subarray(0, n)]);
      let start = 0;
      for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
        yield chunk.subarray(start, end + 1);
        start = end + 1;
      }
      carry = Buffer.from(chunk.subarray(start));
    }
  } finally {
    closeSync(fd);
  }
}

export function plainRead(file) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let count = 0;
  let bytes = 0;
  for (;;) {
    const n = readSync(fd, buffer, 0, CHUNK, null);
    if (n === 0) break;
    bytes += n;
    const view = n === CHUNK ? buffer : buffer.subarray(0, n);
    for (let at = view.indexOf(10); at !== -1; at = view.indexOf(10, at + 1)) count += 1;
  }
  closeSync(fd);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { name: 'baseline: plain reading', lines: count, bytes, seconds, cpuSeconds: cpuSeconds(cpu) };
}

const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

/** Posts bodies with at most `concurrency` in flight; resolves when all answered. */
function poster(port, concurrency) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let inFlight = 0;
  const waiting = [];
  const post = (headers, body) => new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { ...headers, 'content-length': body.length } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
  return {
    async send(headers, body) {
      while (inFlight >= concurrency) await new Promise((resolve) => waiting.push(resolve));
      inFlight += 1;
      void post(headers, body).finally(() => {
        inFlight -= 1;
        waiting.shift()?.();
      });
    },
    async drain() {
      while (inFlight > 0) await new Promise((resolve) => waiting.push(resolve));
      agent.destroy();
    },
  };
}

export async function wireFloor(file, port) {
  const signer = new SignatureV4({ service: 'kinesis', region: 'us-east-1', credentials, sha256: Sha256 });
  const out = poster(port, 4);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  let count = 0;
  let bytes = 0;
  let entries = [];
  let batchBytes = 0;
  const flush = async () => {
    const body = encodePutRecordsBody('bench', entries);
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', query: {},
      headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.PutRecords' },
      body,
    });
    await out.send(signed.headers, body);
    entries = [];
    batchBytes = 0;
  };
  for (const line of lines(file)) {
    count += 1;
    bytes += line.length;
    entries.push({ data: line, partitionKey: 'k' });
    batchBytes += line.length + 1;
    if (entries.length === 500 || batchBytes > 4_500_000) await flush();
  }
  if (entries.length > 0) await flush();
  await out.drain();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { name: 'baseline: wire floor', lines: count, bytes, seconds, cpuSeconds: cpuSeconds(cpu) };
}

/** The SDK path at one concurrency, on batches built beforehand (building them is not timed). */
async function sdkAt(batches, port, concurrency) {
  const client = new KinesisClient({
    endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials, maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) }),
  });
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const records = batches[next++];
      await client.send(new PutRecordsCommand({ StreamName: 'bench', Records: records }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  client.destroy();
  return { seconds, cpuSeconds: cpuSeconds(cpu) };
}

export async function sdkPath(file, port, limitBytes, concurrencies) {
  const batches = [];
  let records = [];
  let count = 0;
  let bytes = 0;
  for (const line of lines(file, limitBytes)) {
    count += 1;
    bytes += line.length;
    records.push({ Data: new Uint8Array(line.buffer, line.byteOffset, line.length), PartitionKey: `k${count % 64}` });
    if (records.length === 500) {
      batches.push(records);
      records = [];
    }
  }
  if (records.length > 0) batches.push(records);
  let best;
  for (const concurrency of concurrencies) {
    const run = await sdkAt(batches, port, concurrency);
    if (best === undefined || run.seconds < best.seconds) best = { ...run, concurrency };
  }
  return { name: `baseline: SDK path (concurrency ${best.concurrency})`, concurrency: best.concurrency, lines: count, bytes, seconds: best.seconds, cpuSeconds: best.cpuSeconds };
}

/** SHA-256 for the signer (@smithy's Checksum shape) on node:crypto. */
class Sha256 {
  constructor(secret) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data) {
    this.hash.update(typeof data === 'string' ? Buffer.from(data) : data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {}
}
