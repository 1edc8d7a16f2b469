import { deaggregateSync, type UserRecord } from 'aws-kinesis-agg/lib/kpl-deagg.js';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { StreamReader } from '../../src/node/demo/StreamReader.js';
import { writeAgentConfig } from '../support/agentConfig.js';
import { spawnShardline, type AgentProcess } from '../support/agentProcess.js';
import { startFaultServer, type FaultAction, type FaultServer, type PutRequest } from '../support/faultServer.js';
import { multiset } from '../support/streamRecords.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const FIREHOSE_MAX_RECORD = 1_024_000;
const FIREHOSE_MAX_REQUEST = 4 * 1024 * 1024;

/** De-aggregates one Kinesis record with AWS's reference library (checksums verified). */
function deaggregate(data: Buffer, partitionKey: string): UserRecord[] {
  let result: UserRecord[] | undefined;
  deaggregateSync({ partitionKey, data: data.toString('base64'), sequenceNumber: '1' }, true, (error, records) => {
    if (error !== undefined) throw error;
    result = records;
  });
  if (result === undefined) throw new Error('deaggregateSync did not call back');
  return result;
}

describe('destinations (real CLI): Firehose PutRecordBatch, KPL aggregation', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(endpoint: string, flow: Record<string, unknown>, initial = ''): Promise<{ agent: AgentProcess; file: string }> {
    const dir = await tempDir();
    cleanups.push(() => dir.cleanup());
    await mkdir(join(dir.path, 'logs'));
    const file = join(dir.path, 'logs', 'app.log');
    await writeFile(file, initial);
    const config = await writeAgentConfig(dir.path, endpoint, { filePattern: join(dir.path, 'logs', '*.log'), retryInitialBackoffMillis: 20, retryMaxBackoffMillis: 500, ...flow }, { 'firehose.endpoint': endpoint, 'firehose.region': 'us-east-1' });
    const agent = spawnShardline(['run', '-c', config, '--data-dir', join(dir.path, 'data')]);
    cleanups.push(() => agent.stop().catch(() => undefined));
    await agent.waitForLog(/started with 1 flow/);
    return { agent, file };
  }

  async function faultServer(plan: (request: PutRequest) => FaultAction = () => ({ kind: 'ok' })): Promise<FaultServer> {
    const server = await startFaultServer(plan);
    cleanups.push(() => server.close());
    return server;
  }

  describe('Firehose', () => {
    it('sends PutRecordBatch to the delivery stream, resending only the entries FailedPutCount reports', async () => {
      const server = await faultServer((request) => (request.index < 5 ? { kind: 'partial', fail: (_e, i) => (i % 4 === 0 ? 'ServiceUnavailableException' : i % 9 === 0 ? 'InternalFailure' : undefined) } : { kind: 'ok' }));
      const { agent, file } = await start(server.endpoint, { deliveryStream: 'fh-stream', maxBufferSizeRecords: 100 });
      const lines = Array.from({ length: 1000 }, (_, i) => `firehose ${i}\n`);
      await appendFile(file, lines.join(''));
      await waitFor(() => server.accepted.length >= lines.length);
      expect(multiset(server.accepted.map((e) => e.data))).toEqual(multiset(lines.map((l) => Buffer.from(l))));
      expect(server.requests.every((r) => r.target === 'Firehose_20150804.PutRecordBatch' && r.stream === 'fh-stream')).toBe(true);
      expect(server.requests.every((r) => r.entries.every((e) => e.partitionKey === undefined))).toBe(true);
      expect(await agent.stop()).toBe(0);
    });

    it('keeps to both request limits (500 records, 4 MiB) and cuts records to 1,024,000 bytes', async () => {
      const server = await faultServer();
      const { agent, file } = await start(server.endpoint, { deliveryStream: 'limits' });
      const small = Array.from({ length: 1200 }, (_, i) => `small ${i}\n`);
      const big = Array.from({ length: 45 }, (_, i) => `${String(i).padStart(4, '0')}${'b'.repeat(200_000)}\n`);
      const huge = `${'h'.repeat(1_500_000)}\n`;
      await appendFile(file, small.join('') + big.join('') + huge);
      const total = small.length + big.length + 1;
      await waitFor(() => server.accepted.length >= total, 30_000);
      for (const request of server.requests) {
        expect(request.entries.length).toBeLessThanOrEqual(500);
        expect(request.entries.reduce((sum, e) => sum + e.data.length, 0)).toBeLessThanOrEqual(FIREHOSE_MAX_REQUEST);
      }
      expect(server.requests.some((r) => r.entries.length === 500)).toBe(true);
      const cut = server.accepted.find((e) => e.data[0] === 0x68);
      expect(cut?.data.length).toBe(FIREHOSE_MAX_RECORD);
      expect(cut?.data.at(-1)).toBe(0x0a);
      expect(multiset(server.accepted.filter((e) => e.data[0] !== 0x68).map((e) => e.data))).toEqual(multiset([...small, ...big].map((l) => Buffer.from(l))));
      expect(await agent.stop()).toBe(0);
    });

    it.each<[string, number, string, string[]]>([
      // reference §3.4 (the Java agent's AggregationSplitter tests): hint 10.
      ['the Java agent\'s example', 10, 'AAAA\nBBBB\nCCCC\n', ['AAAA\nBBBB\n', 'CCCC\n']],
      ['a line longer than the hint stands alone', 10, 'AAAAAAAAAAAA\nBB\nCC\n', ['AAAAAAAAAAAA\n', 'BB\nCC\n']],
      ['lines that fill the hint exactly', 6, 'AA\nBB\nCC\n', ['AA\nBB\n', 'CC\n']],
    ])('aggregatedRecordSizeBytes packs whole lines as the Java agent: %s', async (_name, hint, input, expected) => {
      const server = await faultServer();
      const { agent, file } = await start(server.endpoint, { deliveryStream: 'packed', aggregatedRecordSizeBytes: hint });
      await appendFile(file, input);
      await waitFor(() => server.accepted.reduce((n, e) => n + e.data.length, 0) >= input.length);
      expect(server.accepted.map((e) => e.data.toString())).toEqual(expected);
      expect(await agent.stop()).toBe(0);
    });
  });

  describe('KPL aggregation', () => {
    it('aggregates deaggregate with aws-kinesis-agg into exactly the input lines; no Kinesis record exceeds the size limit', async () => {
      const server = await faultServer((request) => (request.index === 1 ? { kind: 'partial', fail: (_e, i) => (i % 2 === 0 ? 'ProvisionedThroughputExceededException' : undefined) } : { kind: 'ok' }));
      const limit = 64 * 1024;
      const { agent, file } = await start(server.endpoint, { kinesisStream: 'agg', aggregation: 'kpl', maxRecordSizeBytes: limit, maxBufferSizeRecords: 20 });
      const lines = Array.from({ length: 5000 }, (_, i) => `kpl ${i} ${'y'.repeat((i * 37) % 300)}${i % 500 === 0 ? 'z'.repeat(40_000) : ''}\n`);
      await appendFile(file, lines.join(''));
      const users = () => server.accepted.flatMap((e) => deaggregate(e.data, e.partitionKey ?? ''));
      await waitFor(() => users().length >= lines.length, 30_000);
      const records = users();
      console.info(`[kpl] lines ${lines.length}, Kinesis records ${server.accepted.length}, user records ${records.length}, requests ${server.requests.length}`);
      expect(multiset(records.map((r) => Buffer.from(r.data, 'base64')))).toEqual(multiset(lines.map((l) => Buffer.from(l))));
      for (const entry of server.requests.flatMap((r) => r.entries)) {
        expect(entry.data.length + Buffer.byteLength(entry.partitionKey ?? '')).toBeLessThanOrEqual(limit);
      }
      // One partition key per aggregate, equal to the outer key: the KCL never discards a sub-record.
      for (const entry of server.accepted) {
        for (const user of deaggregate(entry.data, entry.partitionKey ?? '')) expect(user.partitionKey).toBe(entry.partitionKey);
      }
      expect(server.accepted.length).toBeLessThan(lines.length / 10);
      expect(await agent.stop()).toBe(0);
    });

    describe('against kinesalite', () => {
      let kinesis: LocalKinesis | undefined;
      afterEach(async () => kinesis?.close());

      it('a stream written with kpl aggregation reads back, de-aggregated, as the lines written', async () => {
        kinesis = await startKinesalite();
        await kinesis.createStream('kpl', 2);
        const { agent, file } = await start(kinesis.endpoint, { kinesisStream: 'kpl', aggregation: 'kpl', maxBufferAgeMillis: 1000 });
        const lines = Array.from({ length: 3000 }, (_, i) => `k ${i} ${'q'.repeat(i % 120)}\n`);
        await appendFile(file, lines.join(''));
        const expected = lines.length;
        const reader = new StreamReader(kinesis.client, 'kpl');
        let users: Buffer[] = [];
        await waitFor(async () => {
          const raw = await reader.poll();
          users = users.concat(raw.flatMap((data) => deaggregate(Buffer.from(data), 'x').map((u) => Buffer.from(u.data, 'base64'))));
          return users.length >= expected;
        }, 30_000);
        expect(multiset(users)).toEqual(multiset(lines.map((l) => Buffer.from(l))));
        expect(await agent.stop()).toBe(0);
      });
    });
  });
});
