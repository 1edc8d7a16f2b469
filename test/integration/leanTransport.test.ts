import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyError } from '../../src/core/retry/classifyError.js';
import type { PutEntry, PutOutcome } from '../../src/core/send/RecordsTransport.js';
import { SendFailure } from '../../src/core/send/SendFailure.js';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { createLeanDestination } from '../../src/node/sink/createLeanDestination.js';
import type { DestinationClientOptions } from '../../src/node/sink/destinationClient.js';
import { LeanRecordsTransport } from '../../src/node/sink/LeanRecordsTransport.js';
import { startFaultServer, type FaultAction, type FaultServer, type PutRequest } from '../support/faultServer.js';

/**
 * The lean PutRecords / PutRecordBatch path against services that parse and check what it sends
 * (issue 8): kinesalite (the Kinesis JSON protocol, SigV4 header format, limits) stores the records
 * and gives them back; the fault-injecting server decodes every request and answers with partial
 * failures, error types, 5xx and resets, for Kinesis and Firehose.
 */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function options(kind: 'kinesis' | 'firehose', endpoint: string): DestinationClientOptions {
  return {
    kind, region: 'us-east-1', endpoint,
    credentials: { accessKeyId: 'AKIDLEAN', secretAccessKey: 'lean-secret', assumeRoleARN: undefined, assumeRoleExternalId: undefined, stsEndpoint: undefined },
    userAgent: undefined, connectionTimeoutMillis: 5000, socketTimeoutMillis: 30_000, maxConnections: 8, useTcpKeepAlive: false,
  };
}

function transport(kind: 'kinesis' | 'firehose', endpoint: string, stream: string): LeanRecordsTransport {
  return new LeanRecordsTransport(() => createLeanDestination(options(kind, endpoint)), stream);
}

async function failureOf(promise: Promise<unknown>): Promise<SendFailure> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SendFailure);
  return error as SendFailure;
}

/** Every record of a kinesalite stream with its partition key, from TRIM_HORIZON. */
async function readBack(kinesis: LocalKinesis, stream: string): Promise<{ data: string; partitionKey: string }[]> {
  const records: { data: string; partitionKey: string }[] = [];
  const { Shards = [] } = await kinesis.client.send(new ListShardsCommand({ StreamName: stream }));
  for (const shard of Shards) {
    let iterator = (await kinesis.client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    while (iterator !== undefined) {
      const page = await kinesis.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) records.push({ data: Buffer.from(record.Data ?? []).toString('hex'), partitionKey: record.PartitionKey ?? '' });
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}

const sorted = <T>(items: T[]): string[] => items.map((item) => JSON.stringify(item)).sort();

describe('lean transport against kinesalite', () => {
  let kinesis: LocalKinesis;
  async function start(stream: string, shards: number): Promise<void> {
    kinesis = await startKinesalite();
    cleanups.push(() => kinesis.close());
    await kinesis.createStream(stream, shards);
  }

  it('every record reads back byte for byte with its partition key (text, UTF-8, binary, 256-character and JSON-escaped keys)', async () => {
    await start('lean', 3);
    const lean = transport('kinesis', kinesis.endpoint, 'lean');
    const batches: PutEntry[][] = Array.from({ length: 4 }, (_, b) => Array.from({ length: 500 }, (_, i) => {
      const n = b * 500 + i;
      const data = n % 7 === 0 ? Buffer.from(Array.from({ length: 1 + (n % 300) }, (_, j) => (n * 31 + j) % 256)) : Buffer.from(`line ${n} ünïcödé "q" \\ ${'x'.repeat(n % 200)}\n`);
      const partitionKey = n % 5 === 0 ? 'k'.repeat(256) : n % 5 === 1 ? `ключ-${n % 13}` : n % 5 === 2 ? `"quoted"\\${n % 11}\t` : n % 5 === 3 ? '🔑 emoji' : String(n % 17);
      return { data, partitionKey };
    }));
    for (const batch of batches) expect(await lean.put(batch)).toEqual(batch.map(() => ({ ok: true })));
    const expected = batches.flat().map((e) => ({ data: Buffer.from(e.data).toString('hex'), partitionKey: e.partitionKey }));
    expect(sorted(await readBack(kinesis, 'lean'))).toEqual(sorted(expected));
  });

  it('records up to the 1 MiB limit and a request near 5 MiB are accepted', async () => {
    await start('big', 1);
    const lean = transport('kinesis', kinesis.endpoint, 'big');
    const big = Array.from({ length: 5 }, (_, i) => ({ data: Buffer.alloc(1024 * 1024 - 8, 97 + i), partitionKey: `pk${i}` }));
    expect(await lean.put(big)).toEqual(big.map(() => ({ ok: true })));
    const back = await readBack(kinesis, 'big');
    expect(sorted(back)).toEqual(sorted(big.map((e) => ({ data: e.data.toString('hex'), partitionKey: e.partitionKey }))));
  });

  it('kinesalite\'s own errors come back with their codes: a missing stream is ResourceNotFoundException (fatal), an oversized record ValidationException (client)', async () => {
    await start('exists', 1);
    const missing = await failureOf(transport('kinesis', kinesis.endpoint, 'missing').put([{ data: Buffer.from('x'), partitionKey: 'k' }]));
    expect({ code: missing.code, status: missing.httpStatus, kind: classifyError(missing.code, missing.httpStatus) }).toEqual({ code: 'ResourceNotFoundException', status: 400, kind: 'fatal' });
    const tooBig = await failureOf(transport('kinesis', kinesis.endpoint, 'exists').put([{ data: Buffer.alloc(1024 * 1024 + 1), partitionKey: 'k' }]));
    expect({ code: tooBig.code, kind: classifyError(tooBig.code, tooBig.httpStatus) }).toEqual({ code: 'ValidationException', kind: 'client' });
  });
});

describe('lean transport against the fault-injecting endpoint', () => {
  async function faultServer(plan: (request: PutRequest) => FaultAction): Promise<FaultServer> {
    const server = await startFaultServer(plan);
    cleanups.push(() => server.close());
    return server;
  }

  const entries = (n: number, tag: string): PutEntry[] => Array.from({ length: n }, (_, i) => ({ data: Buffer.from(`${tag} ${i}\n`), partitionKey: `pk-${i % 9}` }));

  describe.each<['kinesis' | 'firehose', string, string]>([
    ['kinesis', 'Kinesis_20131202.PutRecords', 'ProvisionedThroughputExceededException'],
    ['firehose', 'Firehose_20150804.PutRecordBatch', 'ServiceUnavailableException'],
  ])('%s', (kind, target, throttle) => {
    const firehose = kind === 'firehose';
    const sent = (n: number, tag: string) => entries(n, tag).map((e) => (firehose ? { ...e, partitionKey: '' } : e));

    it('the server decodes the request: target, stream, records and partition keys, signed with the configured key', async () => {
      const server = await faultServer(() => ({ kind: 'ok' }));
      const batch = sent(500, 'decoded');
      expect(await transport(kind, server.endpoint, 'dest-1').put(batch)).toEqual(batch.map(() => ({ ok: true })));
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({ target, stream: 'dest-1', accessKeyId: 'AKIDLEAN' });
      expect(server.accepted.map((e) => e.data.toString())).toEqual(batch.map((e) => Buffer.from(e.data).toString()));
      expect(server.accepted.map((e) => e.partitionKey)).toEqual(batch.map((e) => (firehose ? undefined : e.partitionKey)));
    });

    it('partial failures: per-entry outcomes in request order with the service\'s codes', async () => {
      const codes = (i: number) => (i % 3 === 0 ? throttle : i % 7 === 0 ? 'InternalFailure' : undefined);
      const server = await faultServer(() => ({ kind: 'partial', fail: (_e, i) => codes(i) }));
      const batch = sent(100, 'partial');
      const outcomes = await transport(kind, server.endpoint, 's').put(batch);
      const expected: PutOutcome[] = batch.map((_e, i) => {
        const code = codes(i);
        return code === undefined ? { ok: true } : { ok: false, code, message: `${code} (injected)` };
      });
      expect(outcomes).toEqual(expected);
      expect(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? '' : classifyError(o.code)))).toContain('throttling');
      expect(server.accepted).toHaveLength(batch.length - outcomes.filter((o) => !o.ok).length);
    });

    it.each<[string, FaultAction, string, number | undefined, string]>([
      ['500 InternalFailure', { kind: 'error', status: 500, type: 'InternalFailure' }, 'InternalFailure', 500, 'transient'],
      ['whole-request throttling', { kind: 'error', status: 400, type: throttle, message: 'Rate exceeded' }, throttle, 400, 'throttling'],
      ['503 ServiceUnavailable', { kind: 'error', status: 503, type: 'ServiceUnavailable' }, 'ServiceUnavailable', 503, 'throttling'],
      ['ResourceNotFoundException', { kind: 'error', status: 400, type: 'ResourceNotFoundException', message: 'not found' }, 'ResourceNotFoundException', 400, 'fatal'],
      ['ValidationException', { kind: 'error', status: 400, type: 'ValidationException' }, 'ValidationException', 400, 'client'],
      ['a connection reset', { kind: 'reset' }, 'ECONNRESET', undefined, 'transient'],
      ['records committed, then the connection reset', { kind: 'commitThenReset' }, 'ECONNRESET', undefined, 'transient'],
      ['a slow answer, then an error', { kind: 'delay', millis: 300, then: { kind: 'error', status: 500, type: 'InternalFailure' } }, 'InternalFailure', 500, 'transient'],
    ])('%s', async (_name, action, code, status, errorClass) => {
      const server = await faultServer((request) => (request.index === 0 ? action : { kind: 'ok' }));
      const lean = transport(kind, server.endpoint, 's');
      const failure = await failureOf(lean.put(sent(10, 'fault')));
      expect({ code: failure.code, status: failure.httpStatus, kind: classifyError(failure.code, failure.httpStatus) }).toEqual({ code, status, kind: errorClass });
      // The next request goes through (a new connection where the old one was reset).
      expect(await lean.put(sent(3, 'after'))).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    });

    it('many requests in flight over keep-alive connections: every record once', async () => {
      const server = await faultServer(() => ({ kind: 'ok' }));
      const lean = transport(kind, server.endpoint, 's');
      const batches = Array.from({ length: 40 }, (_, b) => sent(250, `conc${b}`));
      const results = await Promise.all(batches.map((batch) => lean.put(batch)));
      expect(results.flat().every((o) => o.ok)).toBe(true);
      expect(server.accepted.map((e) => e.data.toString()).sort()).toEqual(batches.flat().map((e) => Buffer.from(e.data).toString()).sort());
    });
  });
});
