import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAgentConfig } from '../support/agentConfig.js';
import { spawnShardline, type AgentProcess } from '../support/agentProcess.js';
import { startFaultServer, type FaultAction, type FaultServer, type PutRequest, type RecordEntry } from '../support/faultServer.js';
import { startCloudWatchStub } from '../support/cloudWatchStub.js';
import { startForwardProxy, type ForwardProxy } from '../support/forwardProxy.js';
import { startStsStub } from '../support/stsStub.js';
import { multiset } from '../support/streamRecords.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

/**
 * Delivery under failure, through the real CLI and the real SDK against the fault-injecting
 * endpoint (issue 5): in every case the records received equal the lines written — nothing lost,
 * duplicates only where a request's outcome was unknown — and each test reports its counts.
 */
describe('delivery under failure (real CLI, fault-injecting endpoint)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  interface Run { agent: AgentProcess; server: FaultServer; file: string; dir: string }

  async function start(plan: (request: PutRequest) => FaultAction, options: { flow?: Record<string, unknown>; global?: Record<string, unknown>; env?: NodeJS.ProcessEnv; backlog?: string[] } = {}): Promise<Run> {
    const server = await startFaultServer(plan);
    cleanups.push(() => server.close());
    const dir = await tempDir();
    cleanups.push(() => dir.cleanup());
    await mkdir(join(dir.path, 'logs'));
    const file = join(dir.path, 'logs', 'app.log');
    await writeFile(file, (options.backlog ?? []).join(''));
    const config = await writeAgentConfig(dir.path, server.endpoint, {
      filePattern: join(dir.path, 'logs', '*.log'), kinesisStream: 'faulty', retryInitialBackoffMillis: 20, retryMaxBackoffMillis: 500, ...options.flow,
    }, { fatalRetryMaxMillis: 1000, 'firehose.endpoint': server.endpoint, ...options.global });
    const agent = spawnShardline(['run', '-c', config, '--data-dir', join(dir.path, 'data')], options.env);
    cleanups.push(() => agent.stop().catch(() => undefined));
    await agent.waitForLog(/started with 1 flow/);
    return { agent, server, file, dir: dir.path };
  }

  const makeLines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i} ${'x'.repeat(i % 50)}\n`);
  const bytes = (lines: string[]) => lines.map((line) => Buffer.from(line));

  /** Writes lines over `millis`, in slices, as an application would. */
  async function writeOver(file: string, lines: string[], millis: number): Promise<void> {
    const slices = 20;
    const per = Math.ceil(lines.length / slices);
    for (let i = 0; i < slices; i++) {
      await appendFile(file, lines.slice(i * per, (i + 1) * per).join(''));
      await new Promise((resolve) => setTimeout(resolve, millis / slices));
    }
  }

  function report(name: string, written: number, received: RecordEntry[], requests: number): void {
    const distinct = new Set(received.map((e) => e.data.toString('latin1'))).size;
    console.info(`[${name}] lines written ${written}, records received ${received.length}, distinct ${distinct}, duplicates ${received.length - distinct}, requests ${requests}`);
  }

  it('30% per-record throttling for 20 s: every line exactly once', async () => {
    const started = Date.now();
    let n = 0;
    const run = await start(() => (Date.now() - started < 20_000
      ? { kind: 'partial', fail: () => (n++ % 10 < 3 ? 'ProvisionedThroughputExceededException' : undefined) }
      : { kind: 'ok' }), { flow: { maxBufferAgeMillis: 1000 } });
    const lines = makeLines(20_000);
    await writeOver(run.file, lines, 18_000);
    await waitFor(() => run.server.accepted.length >= lines.length, 60_000);
    report('throttling 30%', lines.length, run.server.accepted, run.server.requests.length);
    expect(multiset(run.server.accepted.map((e) => e.data))).toEqual(multiset(bytes(lines)));
    expect(await run.agent.stop()).toBe(0);
  }, 90_000);

  it('a backlog under sustained 30% throttling goes out in full requests: at most 2 PutRecords per 500 accepted records', async () => {
    let n = 0;
    const lines = makeLines(30_000);
    const run = await start(() => ({ kind: 'partial', fail: () => (n++ % 10 < 3 ? 'ProvisionedThroughputExceededException' : undefined) }), { backlog: lines });
    await waitFor(() => run.server.accepted.length >= lines.length, 60_000);
    const requests = run.server.requests.length;
    report('backlog, throttling 30%', lines.length, run.server.accepted, requests);
    expect(multiset(run.server.accepted.map((e) => e.data))).toEqual(multiset(bytes(lines)));
    expect(requests).toBeLessThanOrEqual(2 * Math.ceil(lines.length / 500));
    expect(await run.agent.stop()).toBe(0);
  }, 90_000);

  it('whole-request 500s, throttling errors and connection resets (before anything is committed): every line exactly once', async () => {
    const run = await start((request) => {
      const i = request.index % 7;
      if (i === 1) return { kind: 'error', status: 500, type: 'InternalFailure' };
      if (i === 3) return { kind: 'reset' };
      if (i === 5) return { kind: 'error', status: 400, type: 'ProvisionedThroughputExceededException' };
      return { kind: 'ok' };
    }, { flow: { maxBufferSizeRecords: 100 } });
    const lines = makeLines(5000);
    await writeOver(run.file, lines, 2000);
    await waitFor(() => run.server.accepted.length >= lines.length, 60_000);
    report('500s and resets', lines.length, run.server.accepted, run.server.requests.length);
    expect(multiset(run.server.accepted.map((e) => e.data))).toEqual(multiset(bytes(lines)));
    expect(await run.agent.stop()).toBe(0);
  }, 90_000);

  it('answers lost after the records were committed: nothing lost, duplicates only of records whose answer was lost', async () => {
    const run = await start((request) => (request.index % 4 === 2 ? { kind: 'commitThenReset' } : { kind: 'ok' }), { flow: { maxBufferSizeRecords: 100 } });
    const lines = makeLines(3000);
    await writeOver(run.file, lines, 2000);
    await waitFor(() => new Set(run.server.accepted.map((e) => e.data.toString('latin1'))).size >= lines.length, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    report('answers lost', lines.length, run.server.accepted, run.server.requests.length);
    const received = run.server.accepted.map((e) => e.data.toString('latin1'));
    expect([...new Set(received)].sort()).toEqual([...lines].sort());
    const unknownOutcome = new Set(run.server.requests.filter((r) => r.index % 4 === 2).flatMap((r) => r.entries.map((e) => e.data.toString('latin1'))));
    const counts = new Map<string, number>();
    for (const record of received) counts.set(record, (counts.get(record) ?? 0) + 1);
    const duplicated = [...counts].filter(([, c]) => c > 1).map(([line]) => line);
    expect(duplicated.length).toBeGreaterThan(0);
    for (const line of duplicated) expect(unknownOutcome.has(line)).toBe(true);
    expect(await run.agent.stop()).toBe(0);
  }, 90_000);

  it('a stream that does not exist (ResourceNotFoundException), created 6 s later: state error with the message, then everything is delivered', async () => {
    const created = Date.now() + 6000;
    const run = await start(() => (Date.now() < created ? { kind: 'error', status: 400, type: 'ResourceNotFoundException', message: 'Stream faulty under account 000000000000 not found.' } : { kind: 'ok' }));
    const lines = makeLines(2000);
    await writeOver(run.file, lines, 1000);
    const error = await run.agent.waitForLog(/cannot deliver: ResourceNotFoundException/);
    expect(error).toContain('probing');
    await run.agent.waitForLog(/State: error \(ResourceNotFoundException: Stream faulty/, 5000);
    await waitFor(() => run.server.accepted.length >= lines.length, 30_000);
    await run.agent.waitForLog(/works again/);
    const probes = run.server.requests.filter((r) => r.at < created);
    report('stream created 6 s later', lines.length, run.server.accepted, run.server.requests.length);
    // Probing, not hammering: single-record probes at most fatalRetryMaxMillis (1 s here) apart.
    expect(probes.slice(1).every((r) => r.entries.length === 1)).toBe(true);
    expect(probes.length).toBeLessThan(20);
    expect(multiset(run.server.accepted.map((e) => e.data))).toEqual(multiset(bytes(lines)));
    expect(await run.agent.stop()).toBe(0);
  }, 60_000);

  it('assume-role credentials the service calls expired are replaced by fresh ones from STS (loopback STS stub): nothing lost', async () => {
    const sts = await startStsStub((call) => (call.index === 0 ? { accessKeyId: 'EXPIRED1' } : { accessKeyId: `VALID${call.index + 1}` }));
    cleanups.push(() => sts.close());
    const run = await start((request) => (request.accessKeyId === 'EXPIRED1'
      ? { kind: 'error', status: 400, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' }
      : { kind: 'ok' }), { global: { assumeRoleARN: 'arn:aws:iam::123456789012:role/shipper', assumeRoleExternalId: 'ext-42', 'sts.endpoint': sts.endpoint } });
    const lines = makeLines(1000);
    await writeOver(run.file, lines, 1000);
    await waitFor(() => run.server.accepted.length >= lines.length, 30_000);
    report('expired credentials', lines.length, run.server.accepted, run.server.requests.length);
    expect(multiset(run.server.accepted.map((e) => e.data))).toEqual(multiset(bytes(lines)));
    expect(sts.calls.length).toBeGreaterThanOrEqual(2);
    expect(sts.calls[0]).toMatchObject({ roleArn: 'arn:aws:iam::123456789012:role/shipper', roleSessionName: 'AWSKinesisAgent', externalId: 'ext-42', durationSeconds: 3600, callerAccessKeyId: 'test' });
    expect(run.server.requests.some((r) => r.accessKeyId === 'EXPIRED1')).toBe(true);
    expect(run.server.requests.at(-1)?.accessKeyId).toMatch(/^VALID/);
    expect(run.agent.lines.join('\n')).not.toContain('"secretAccessKey"');
    expect(await run.agent.stop()).toBe(0);
  }, 60_000);

  it('temporary credentials are refreshed before they expire: a long-running flow never sends with an expired token', async () => {
    // Issued 5 min + 3 s before expiry: the SDK refreshes within 5 min of expiry, so after ~3 s.
    const sts = await startStsStub((call) => ({ accessKeyId: `KEY${call.index}`, expiration: new Date(Date.now() + 303_000) }));
    cleanups.push(() => sts.close());
    const run = await start(() => ({ kind: 'ok' }), { global: { assumeRoleARN: 'arn:aws:iam::123456789012:role/shipper', 'sts.endpoint': sts.endpoint } });
    const lines = makeLines(600);
    await writeOver(run.file, lines, 6000);
    await waitFor(() => run.server.accepted.length >= lines.length, 30_000);
    const keys = new Set(run.server.requests.map((r) => r.accessKeyId));
    report('credential refresh', lines.length, run.server.accepted, run.server.requests.length);
    expect(keys.size).toBeGreaterThanOrEqual(2);
    expect(multiset(run.server.accepted.map((e) => e.data))).toEqual(multiset(bytes(lines)));
    expect(await run.agent.stop()).toBe(0);
  }, 60_000);

  it('a slow endpoint (2 s per call): every line exactly once', async () => {
    const run = await start(() => ({ kind: 'delay', millis: 2000, then: { kind: 'ok' } }), { flow: { maxBufferSizeRecords: 200 } });
    const lines = makeLines(3000);
    await writeOver(run.file, lines, 2000);
    await waitFor(() => run.server.accepted.length >= lines.length, 60_000);
    report('slow endpoint', lines.length, run.server.accepted, run.server.requests.length);
    expect(multiset(run.server.accepted.map((e) => e.data))).toEqual(multiset(bytes(lines)));
    expect(await run.agent.stop()).toBe(0);
  }, 90_000);

  it('goes through the forward proxy that HTTP_PROXY names (on loopback)', async () => {
    const proxy: ForwardProxy = await startForwardProxy();
    cleanups.push(() => proxy.close());
    const run = await start(() => ({ kind: 'ok' }), { env: { HTTP_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: '', no_proxy: '' } });
    const lines = makeLines(500);
    await appendFile(run.file, lines.join(''));
    await waitFor(() => run.server.accepted.length >= lines.length, 30_000);
    report('forward proxy', lines.length, run.server.accepted, run.server.requests.length);
    expect(multiset(run.server.accepted.map((e) => e.data))).toEqual(multiset(bytes(lines)));
    const port = new URL(run.server.endpoint).port;
    expect(proxy.requests.filter((r) => r.target.endsWith(`:${port}`)).length).toBe(run.server.requests.length);
    await run.agent.waitForLog(/go through the proxy/);
    expect(await run.agent.stop()).toBe(0);
  }, 60_000);

  it('dead-letters only the record the service refuses as invalid, and delivers the rest', async () => {
    const run = await start((request) => (request.entries.some((e) => e.data.toString().startsWith('POISON'))
      ? { kind: 'error', status: 400, type: 'ValidationException', message: 'record rejected' }
      : { kind: 'ok' }), { flow: { maxBufferSizeRecords: 64 } });
    const lines = makeLines(300);
    lines.splice(123, 0, 'POISON record\n');
    await appendFile(run.file, lines.join(''));
    const good = lines.filter((l) => !l.startsWith('POISON'));
    await waitFor(() => run.server.accepted.length >= good.length, 30_000);
    const deadLetter = join(run.dir, 'data', 'dead-letter');
    const readLetters = async () => {
      const [name] = await readdir(deadLetter).catch(() => []);
      return name === undefined ? '' : readFile(join(deadLetter, name), 'utf8');
    };
    await waitFor(async () => (await readLetters()).includes('POISON'), 10_000);
    const letters = (await readLetters()).trim().split('\n').map((l) => JSON.parse(l) as { data: string; reason: string });
    report('dead letter', lines.length, run.server.accepted, run.server.requests.length);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ data: 'POISON record\n', reason: expect.stringContaining('ValidationException') as unknown });
    expect(multiset(run.server.accepted.map((e) => e.data))).toEqual(multiset(bytes(good)));
    expect(await run.agent.stop()).toBe(0);
  }, 60_000);

  it('gzip: each record is the gzip of one line', async () => {
    const run = await start(() => ({ kind: 'ok' }), { flow: { compression: 'gzip' } });
    const lines = makeLines(500);
    await appendFile(run.file, lines.join(''));
    await waitFor(() => run.server.accepted.length >= lines.length, 30_000);
    const records = run.server.accepted.map((e) => gunzipSync(e.data));
    expect(multiset(records)).toEqual(multiset(bytes(lines)));
    expect(await run.agent.stop()).toBe(0);
    const progress = run.agent.lines.filter((l) => l.includes('recordsCompressed')).at(-1) ?? '';
    expect(progress).toMatch(/"recordsCompressed":500/);
  }, 60_000);

  it('CloudWatch metrics reach a loopback endpoint with the Java agent\'s namespace, names, units and dimensions', async () => {
    const cloudWatch = await startCloudWatchStub();
    cleanups.push(() => cloudWatch.close());
    const run = await start((request) => (request.index === 0 ? { kind: 'partial', fail: (_e, i) => (i < 10 ? 'ProvisionedThroughputExceededException' : undefined) } : request.index === 1 ? { kind: 'error', status: 500, type: 'InternalFailure' } : { kind: 'ok' }), {
      flow: { maxBufferSizeRecords: 100 },
      global: { 'cloudwatch.emitMetrics': true, 'cloudwatch.endpoint': cloudWatch.endpoint, 'cloudwatch.metricsBufferTimeMillis': 1000, 'cloudwatch.tagInstance': true },
    });
    const lines = makeLines(300);
    await appendFile(run.file, lines.join(''));
    await waitFor(() => run.server.accepted.length >= lines.length);
    expect(await run.agent.stop()).toBe(0);
    const datums = cloudWatch.requests.flatMap((r) => r.datums);
    expect(cloudWatch.requests.every((r) => r.namespace === 'AWSKinesisAgent' && r.datums.length <= 20)).toBe(true);
    const total = (name: string) => datums.filter((d) => d.metricName === name).reduce((sum, d) => sum + (d.statisticValues?.sum ?? 0), 0);
    const units = new Map(datums.map((d) => [d.metricName, d.unit]));
    expect(Object.fromEntries(units)).toEqual({ RecordSendAttempts: 'Count', ServiceErrors: 'Count', BytesSent: 'Bytes', RecordSendErrors: 'Count', RecordsSent: 'Count' });
    for (const datum of datums) {
      expect(datum.dimensions.map((d) => d.name)).toEqual(['Destination', 'Instance']);
      expect(datum.dimensions[0]?.value).toBe('KinesisStream:faulty');
    }
    const requests = run.server.requests;
    expect(total('RecordSendAttempts')).toBe(requests.reduce((n, r) => n + r.entries.length, 0));
    expect(total('RecordsSent')).toBe(lines.length);
    expect(total('RecordSendErrors')).toBe(10);
    expect(total('ServiceErrors')).toBe(1);
    expect(total('BytesSent')).toBe(lines.reduce((n, l) => n + Buffer.byteLength(l), 0));
  }, 60_000);

  it('a CloudWatch endpoint that fails never holds shipping back, and is logged at most once per interval', async () => {
    const cloudWatch = await startCloudWatchStub({ fail: () => true });
    cleanups.push(() => cloudWatch.close());
    const run = await start(() => ({ kind: 'ok' }), { global: { 'cloudwatch.emitMetrics': true, 'cloudwatch.endpoint': cloudWatch.endpoint, 'cloudwatch.metricsBufferTimeMillis': 1000 } });
    const lines = makeLines(2000);
    const started = Date.now();
    await writeOver(run.file, lines, 4000);
    await waitFor(() => run.server.accepted.length >= lines.length);
    expect(multiset(run.server.accepted.map((e) => e.data))).toEqual(multiset(bytes(lines)));
    const warnings = run.agent.lines.filter((l) => l.includes('cannot publish CloudWatch metrics'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 1);
    expect(await run.agent.stop()).toBe(0);
  }, 60_000);
});
