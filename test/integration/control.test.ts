import { execFileSync, spawnSync } from 'node:child_process';
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { BIN, spawnShardline, type AgentProcess } from '../support/agentProcess.js';
import { readRecords } from '../support/streamRecords.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

/**
 * The control API of the real daemon (issue 6): token, Host and Origin checks, health, status,
 * Prometheus metrics, config saving to the file each flow came from, hot apply, pause/resume,
 * preview, SIGHUP, and `shardline ui`.
 */
describe('control API (real CLI, kinesalite)', () => {
  let kinesis: LocalKinesis;
  let dir: { path: string; cleanup: () => Promise<void> };
  let agent: AgentProcess | undefined;
  beforeEach(async () => {
    kinesis = await startKinesalite();
    dir = await tempDir();
  });
  afterEach(async () => {
    await agent?.stop().catch(() => undefined);
    agent = undefined;
    await kinesis.close();
    await dir.cleanup();
  });

  interface Api { base: string; token: string; call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; json: unknown; text: string }> }

  async function startAgent(extra: Record<string, unknown> = {}): Promise<Api> {
    await kinesis.createStream('a', 1);
    await kinesis.createStream('b', 1);
    const logs = join(dir.path, 'logs');
    await mkdir(logs, { recursive: true });
    await mkdir(join(dir.path, 'agent.d'));
    await writeFile(join(dir.path, 'agent.json'), `{
  // hand-written, with a comment
  "kinesis.endpoint": "${kinesis.endpoint}",
  "kinesis.region": "us-east-1",
  "awsAccessKeyId": "AKIDEXAMPLE",
  "awsSecretAccessKey": "s3cr3t-value",
  "cloudwatch.emitMetrics": false,
  "control": { "host": "127.0.0.1", "port": 0 },
  "log.statusReportingPeriodSeconds": 1,
  "flows": [{ "filePattern": "${logs}/a*.log", "kinesisStream": "a", "initialPosition": "START_OF_FILE", "maxBufferAgeMillis": 1000 }]
}`);
    await writeFile(join(dir.path, 'agent.d', '10-b.json'), JSON.stringify({ flows: [{ filePattern: `${logs}/b*.log`, kinesisStream: 'b', initialPosition: 'START_OF_FILE', maxBufferAgeMillis: '1000', skipHeaderLines: '0', myTeamTag: { owner: 'ops' }, ...extra }] }, null, 2));
    agent = spawnShardline(['run', '-c', join(dir.path, 'agent.json'), '--data-dir', join(dir.path, 'data')]);
    const line = await agent.waitForLog(/web UI and control API at/);
    expect(line).not.toMatch(/token=|#token/);
    const ui = execFileSync(process.execPath, [BIN, 'ui', '-c', join(dir.path, 'agent.json'), '--data-dir', join(dir.path, 'data')], { encoding: 'utf8' }).trim();
    const [base, token] = ui.split('#token=') as [string, string];
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(join(dir.path, 'data', 'control.token'))).mode & 0o777).toBe(0o600);
    const call: Api['call'] = async (method, path, body, headers = {}) => {
      const response = await fetch(new URL(path, base), {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let json: unknown;
      try { json = JSON.parse(text); } catch { json = undefined; }
      return { status: response.status, json, text };
    };
    return { base, token, call };
  }

  const flowId = (stream: string) => `kinesis:${stream}:${join(dir.path, 'logs')}/${stream}*.log`;

  it('refuses requests without the token, with a wrong token, with a foreign Host or from another origin; /healthz says only health', async () => {
    const api = await startAgent();
    const raw = (headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
      // fetch cannot set Host: use node:http directly.
      import('node:http').then(({ request }) => {
        const req = request(new URL('api/v1/status', api.base), { headers }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect((await fetch(new URL('api/v1/status', api.base))).status).toBe(401);
    expect((await api.call('GET', 'api/v1/status', undefined, { authorization: 'Bearer wrong-token-wrong-token-wrong-token-wrong1' })).status).toBe(401);
    expect((await fetch(new URL('metrics', api.base))).status).toBe(401);
    expect(await raw({ authorization: `Bearer ${api.token}`, host: 'evil.example:80' })).toBe(421);
    expect((await api.call('GET', 'api/v1/status', undefined, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api.call('GET', 'api/v1/status', undefined, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const health = await fetch(new URL('healthz', api.base));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await api.call('GET', 'api/v1/status')).status).toBe(200);
  });

  it('serves status with rising counters and Prometheus metrics with per-flow labels; never shows secrets', async () => {
    const api = await startAgent();
    await appendFile(join(dir.path, 'logs', 'a1.log'), 'one\ntwo\nthree\n');
    await waitFor(async () => {
      const status = (await api.call('GET', 'api/v1/status')).json as { flows: { id: string; counters: { recordsSent: number } }[] };
      return status.flows.find((f) => f.id === flowId('a'))?.counters.recordsSent === 3;
    }, 20_000);
    const metrics = await api.call('GET', 'metrics');
    expect(metrics.status).toBe(200);
    for (const line of metrics.text.trim().split('\n')) {
      if (line.startsWith('#')) expect(line).toMatch(/^# (HELP|TYPE) shardline_[a-z_]+ /);
      else expect(line).toMatch(/^shardline_[a-z_]+(\{([a-z_]+="(?:[^"\\]|\\.)*",?)*\})? -?[0-9.e+]+$/);
    }
    expect(metrics.text).toContain(`shardline_records_sent_total{flow="${flowId('a')}"} 3`);
    expect(metrics.text).toContain(`shardline_flow_state{flow="${flowId('a')}",state="running"} 1`);
    expect(metrics.text).toMatch(/shardline_put_latency_seconds_bucket\{flow="[^"]+",le="\+Inf"\} \d+/);
    const config = await api.call('GET', 'api/v1/config');
    expect(config.text).not.toContain('s3cr3t-value');
    expect(config.text).not.toContain('AKIDEXAMPLE');
    const logs = await api.call('GET', 'api/v1/logs?level=info&limit=50');
    expect(JSON.stringify(logs.json)).not.toContain('s3cr3t-value');
    expect((logs.json as unknown[]).length).toBeGreaterThan(0);
  });

  it('edits a flow loaded from agent.d/ in that file: unknown keys and value forms intact, a backup kept, only that flow restarted', async () => {
    const api = await startAgent();
    const view = (await api.call('GET', 'api/v1/config')).json as { flows: { id: string; file: string; raw: Record<string, unknown> }[]; files: { path: string; hasComments: boolean; writable: boolean }[] };
    const b = view.flows.find((f) => f.id === flowId('b'));
    expect(b?.file).toBe(join(dir.path, 'agent.d', '10-b.json'));
    expect(view.files.find((f) => f.path.endsWith('agent.json'))).toMatchObject({ hasComments: true, writable: true });
    const before = await readFile(join(dir.path, 'agent.d', '10-b.json'), 'utf8');
    await appendFile(join(dir.path, 'logs', 'b1.log'), 'b-1\nb-2\n');
    expect((await readRecords(kinesis, 'b', 2, 20_000)).map(String)).toEqual(['b-1\n', 'b-2\n']);
    await new Promise((r) => setTimeout(r, 400)); // a checkpoint interval
    const result = await api.call('PUT', `api/v1/flows/${encodeURIComponent(flowId('b'))}`, { flow: { ...b?.raw, maxBufferAgeMillis: 1000, skipHeaderLines: 1 } });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ ok: true, restarted: [flowId('b')], unchanged: [flowId('a')], added: [], removed: [] });
    const saved = JSON.parse(await readFile(join(dir.path, 'agent.d', '10-b.json'), 'utf8')) as { flows: Record<string, unknown>[] };
    expect(saved.flows[0]).toMatchObject({ maxBufferAgeMillis: '1000', skipHeaderLines: 1, myTeamTag: { owner: 'ops' } });
    expect(await readFile(join(dir.path, 'agent.d', '10-b.json.bak'), 'utf8')).toBe(before);
    await agent?.waitForLog(/1 restarted, 1 unchanged/);
    // The restarted flow continued from its checkpoint: nothing sent twice.
    await appendFile(join(dir.path, 'logs', 'b1.log'), 'b-3\n');
    expect((await readRecords(kinesis, 'b', 3, 20_000)).map(String)).toEqual(['b-1\n', 'b-2\n', 'b-3\n']);
    // A bad value is refused with the problem, and nothing is written.
    const bad = await api.call('PUT', `api/v1/flows/${encodeURIComponent(flowId('b'))}`, { flow: { ...b?.raw, maxBufferSizeRecords: 900 } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.json)).toContain('must be 1..500, got 900');
    expect(JSON.parse(await readFile(join(dir.path, 'agent.d', '10-b.json'), 'utf8'))).toEqual(saved);
  });

  it('adds a flow that then delivers, keeps the secrets it never showed, pauses and resumes a flow', async () => {
    const api = await startAgent();
    await kinesis.createStream('c', 1);
    const logs = join(dir.path, 'logs');
    const added = await api.call('POST', 'api/v1/flows', { flow: { filePattern: `${logs}/c*.log`, kinesisStream: 'c', initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000 } });
    expect(added.json).toMatchObject({ ok: true, added: [flowId('c')] });
    const main = JSON.parse(await readFile(join(dir.path, 'agent.json'), 'utf8')) as Record<string, unknown>;
    expect(main['awsSecretAccessKey']).toBe('s3cr3t-value');
    await appendFile(join(logs, 'c1.log'), 'c-line\n');
    expect((await readRecords(kinesis, 'c', 1, 20_000)).map(String)).toEqual(['c-line\n']);

    const paused = await api.call('POST', `api/v1/flows/${encodeURIComponent(flowId('a'))}/pause`);
    expect((paused.json as { flows: { id: string; state: string }[] }).flows.find((f) => f.id === flowId('a'))?.state).toBe('paused');
    await appendFile(join(logs, 'a1.log'), 'while-paused\n');
    await new Promise((r) => setTimeout(r, 2500));
    expect(await readRecords(kinesis, 'a', 1, 1000)).toEqual([]);
    await api.call('POST', `api/v1/flows/${encodeURIComponent(flowId('a'))}/resume`);
    expect((await readRecords(kinesis, 'a', 1, 20_000)).map(String)).toEqual(['while-paused\n']);
    const files = await api.call('GET', `api/v1/flows/${encodeURIComponent(flowId('a'))}/files`);
    expect(files.json).toMatchObject([{ path: join(logs, 'a1.log'), offset: 13, size: 13, lagBytes: 0 }]);
  });

  it('previews a LOGTOJSON chain on pasted lines and on the last lines of a matching file', async () => {
    const api = await startAgent();
    const apache = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326';
    const flow = { filePattern: `${join(dir.path, 'logs')}/p*.log`, kinesisStream: 'p', dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'COMMONAPACHELOG' }] };
    const pasted = await api.call('POST', 'api/v1/preview', { flow, sample: [apache, 'not an apache line'] });
    expect(pasted.json).toMatchObject({ ok: true, items: [
      { input: `${apache}\n`, output: '{"host":"127.0.0.1","ident":null,"authuser":"frank","datetime":"10/Oct/2000:13:55:36 -0700","request":"GET /apache_pb.gif HTTP/1.0","response":"200","bytes":"2326"}\n' },
      { input: 'not an apache line\n', skipped: 'logFormatMismatch' },
    ] });
    await writeFile(join(dir.path, 'logs', 'p1.log'), `${'old\n'.repeat(50)}${apache}\n`);
    const fromFile = (await api.call('POST', 'api/v1/preview', { flow, lines: 2 })).json as { file: string; items: { input: string }[] };
    expect(fromFile.file).toBe(join(dir.path, 'logs', 'p1.log'));
    expect(fromFile.items.map((i) => i.input)).toEqual(['old\n', `${apache}\n`]);
    const invalid = await api.call('POST', 'api/v1/preview', { flow: { ...flow, dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'NOPE' }] }, sample: ['x'] });
    expect(invalid.json).toMatchObject({ ok: false });
  });

  it('SIGHUP after editing the file applies the change without restarting unchanged flows; an invalid file changes nothing', async () => {
    await startAgent();
    const path = join(dir.path, 'agent.d', '10-b.json');
    const b = JSON.parse(await readFile(path, 'utf8')) as { flows: Record<string, unknown>[] };
    await writeFile(path, JSON.stringify({ flows: [{ ...b.flows[0], maxBufferSizeRecords: 100 }] }));
    agent?.child.kill('SIGHUP');
    await agent?.waitForLog(/configuration applied: 0 added, 0 removed, 1 restarted, 1 unchanged/);
    await writeFile(path, '{ "flows": [ { "filePattern": ');
    agent?.child.kill('SIGHUP');
    await agent?.waitForLog(/the configuration on disk is invalid; the running flows are unchanged/);
  });

  it('a change to a drop-in on disk is applied by itself, without a signal', async () => {
    await startAgent();
    await kinesis.createStream('d', 1);
    const logs = join(dir.path, 'logs');
    await writeFile(join(dir.path, 'agent.d', '30-d.json'), JSON.stringify({ flows: [{ filePattern: `${logs}/d*.log`, kinesisStream: 'd', initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000 }] }));
    await agent?.waitForLog(/the configuration file changed: applying/);
    await agent?.waitForLog(/configuration applied: 1 added, 0 removed, 0 restarted, 2 unchanged/);
    await appendFile(join(logs, 'd1.log'), 'd-line\n');
    expect((await readRecords(kinesis, 'd', 1, 20_000)).map(String)).toEqual(['d-line\n']);
  });

  it.skipIf(process.getuid?.() !== 0)('a config on a read-only file system (ProtectSystem=strict) makes the UI read-only with the reason; saving is refused', async () => {
    const api = await startAgent();
    const confDir = dir.path;
    // Remount the config's directory read-only under the running agent (a bind mount of itself).
    execFileSync('mount', ['--bind', confDir, confDir]);
    try {
      execFileSync('mount', ['-o', 'remount,bind,ro', confDir]);
      const view = (await api.call('GET', 'api/v1/config')).json as { files: { path: string; writable: boolean; readOnlyReason?: string }[]; flows: { id: string; raw: Record<string, unknown> }[] };
      const main = view.files.find((f) => f.path.endsWith('agent.json'));
      expect(main).toMatchObject({ writable: false, readOnlyReason: expect.stringContaining('read-only file system') as unknown });
      const a = view.flows.find((f) => f.id === flowId('a'));
      const refused = await api.call('PUT', `api/v1/flows/${encodeURIComponent(flowId('a'))}`, { flow: { ...a?.raw, maxBufferAgeMillis: 2000 } });
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({ error: { code: 'ReadOnly' } });
    } finally {
      spawnSync('umount', ['-l', confDir]);
    }
  });

  // Only the refusal is exercised: a test never listens beyond loopback.
  it('refuses a non-loopback control address unless --allow-remote-control is given', async () => {
    await writeFile(join(dir.path, 'agent.json'), JSON.stringify({ 'kinesis.endpoint': kinesis.endpoint, 'kinesis.region': 'us-east-1', awsAccessKeyId: 'a', awsSecretAccessKey: 'b', 'cloudwatch.emitMetrics': false, flows: [{ filePattern: `${dir.path}/x*.log`, kinesisStream: 'x' }] }));
    const refused = spawnSync(process.execPath, [BIN, 'run', '-c', join(dir.path, 'agent.json'), '--data-dir', join(dir.path, 'data'), '--control', '0.0.0.0:0'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--allow-remote-control');
  });
});
