import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAgentConfig } from '../support/agentConfig.js';
import { spawnShardline } from '../support/agentProcess.js';
import { startFaultServer, type FaultAction, type FaultServer, type PutRequest } from '../support/faultServer.js';
import { multiset } from '../support/streamRecords.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

describe('failures on the wire (fault-injecting Kinesis endpoint, real CLI and SDK)', () => {
  let server: FaultServer | undefined;
  let dir: { path: string; cleanup: () => Promise<void> } | undefined;
  afterEach(async () => {
    await server?.close();
    await dir?.cleanup();
  });

  async function runAgainst(plan: (request: PutRequest) => FaultAction, lines: string[], flow: Record<string, unknown> = {}, global: Record<string, unknown> = {}) {
    server = await startFaultServer(plan);
    dir = await tempDir();
    await mkdir(join(dir.path, 'logs'));
    const file = join(dir.path, 'logs', 'app.log');
    await writeFile(file, '');
    const config = await writeAgentConfig(dir.path, server.endpoint, { filePattern: join(dir.path, 'logs', '*.log'), kinesisStream: 'faulty', maxBufferSizeRecords: 50, retryInitialBackoffMillis: 10, retryMaxBackoffMillis: 200, ...flow }, global);
    const agent = spawnShardline(['run', '-c', config, '--data-dir', join(dir.path, 'data')]);
    await agent.waitForLog(/started with 1 flow/);
    await appendFile(file, lines.join(''));
    return { agent, server };
  }

  const lines = Array.from({ length: 400 }, (_, i) => `event ${i}\n`);

  it('resends only the failed entries of partial failures, with their partition keys: every line exactly once', async () => {
    const plan = (request: PutRequest): FaultAction =>
      request.index < 6 ? { kind: 'partial', fail: (_e, i) => (i % 3 === 0 ? 'ProvisionedThroughputExceededException' : i % 7 === 0 ? 'InternalFailure' : undefined) } : { kind: 'ok' };
    const { agent, server: s } = await runAgainst(plan, lines);
    await waitFor(() => s.accepted.length >= lines.length);
    expect(await agent.stop()).toBe(0);
    expect(multiset(s.accepted.map((e) => e.data))).toEqual(multiset(lines.map((l) => Buffer.from(l))));
    // A resent entry keeps the partition key it was first sent with.
    const firstKey = new Map<string, string | undefined>();
    for (const request of s.requests) {
      for (const entry of request.entries) {
        const key = entry.data.toString();
        if (!firstKey.has(key)) firstKey.set(key, entry.partitionKey);
        expect(entry.partitionKey).toBe(firstKey.get(key));
      }
    }
    const resent = s.requests.slice(1).some((r) => r.entries.length < 50 && r.entries.length > 0);
    expect(resent).toBe(true);
  });

  it('retries whole-request failures (500, throttling, connection reset) until delivered, and says so in its status', async () => {
    const faults: FaultAction[] = [
      { kind: 'error', status: 500, type: 'InternalFailure' },
      { kind: 'error', status: 400, type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for shard' },
      { kind: 'reset' },
      { kind: 'error', status: 503, type: 'ServiceUnavailable' },
    ];
    const { agent, server: s } = await runAgainst((request) => faults[request.index] ?? { kind: 'ok' }, lines.slice(0, 30));
    await waitFor(() => s.accepted.length >= 30);
    expect(multiset(s.accepted.map((e) => e.data))).toEqual(multiset(lines.slice(0, 30).map((l) => Buffer.from(l))));
    const warnings = agent.lines.filter((l) => l.includes('nothing is dropped'));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    await agent.waitForLog(/works again/);
    expect(await agent.stop()).toBe(0);
  });

  it('DETERMINISTIC partition keys are the MD5 of each record\'s own bytes', async () => {
    const { agent, server: s } = await runAgainst(() => ({ kind: 'ok' }), ['same\n', 'same\n', 'other\n'], { partitionKeyOption: 'DETERMINISTIC' });
    await waitFor(() => s.accepted.length >= 3);
    const { createHash } = await import('node:crypto');
    for (const entry of s.accepted) expect(entry.partitionKey).toBe(createHash('md5').update(entry.data).digest('hex'));
    expect(await agent.stop()).toBe(0);
  });

  it('keeps unsent records in the file when the endpoint is down at shutdown, and sends them after a restart', async () => {
    let down = true;
    const { agent, server: s } = await runAgainst(() => (down ? { kind: 'error', status: 503, type: 'ServiceUnavailable' } : { kind: 'ok' }), lines.slice(0, 20), { maxBufferAgeMillis: 1000 }, { shutdownTimeoutMillis: 1000 });
    await waitFor(() => s.requests.length >= 2);
    expect(await agent.stop()).toBe(0);
    expect(agent.lines.join('\n')).toContain('shutdown timeout: unsent records will be read again at the next start');
    expect(s.accepted).toHaveLength(0);
    down = false;
    const again = spawnShardline(['run', '-c', join(dir!.path, 'agent.json'), '--data-dir', join(dir!.path, 'data')]);
    await waitFor(() => s.accepted.length >= 20);
    expect(multiset(s.accepted.map((e) => e.data))).toEqual(multiset(lines.slice(0, 20).map((l) => Buffer.from(l))));
    expect(await again.stop()).toBe(0);
  });
});
