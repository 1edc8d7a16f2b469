import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { writeAgentConfig } from '../support/agentConfig.js';
import { BIN, spawnShardline } from '../support/agentProcess.js';
import { tempDir } from '../support/tempDir.js';
import { STOCK_JAVA_AGENT_JSON_URL } from '../support/waitFor.js';

function shardline(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}


describe('shardline CLI', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => { dir = await tempDir(); });
  afterAll(async () => dir.cleanup());

  it('validate lists three different mistakes with their JSON paths and exits 2', async () => {
    const file = join(dir.path, 'bad.json');
    await writeFile(file, `{
      // three mistakes
      "shutdownTimeoutMillis": "soon",
      "flows": [
        { "filePattern": "/var/log/a/*.log", "kinesisStream": "a", "maxBufferSizeRecords": 900 },
        { "filePattern": "/var/log/b/*.log", "initialPosition": "start_of_file" }
      ]
    }`);
    const { code, stdout } = shardline(['validate', '-c', file]);
    expect(code).toBe(2);
    expect(stdout.trim().split('\n').sort()).toEqual([
      'flows[0].maxBufferSizeRecords: must be 1..500, got 900',
      'flows[1]: could not recognize flow type: set kinesisStream (Kinesis Data Streams) or deliveryStream (Firehose)',
      'flows[1].initialPosition: must be one of START_OF_FILE, END_OF_FILE (case-sensitive), got "start_of_file"; did you mean START_OF_FILE?',
      'shutdownTimeoutMillis: must be an integer, got "soon"',
    ].sort());
  });

  it('validate accepts the stock Java agent.json (two flows, empty endpoints) and summarises it', async () => {
    const file = join(dir.path, 'agent.json');
    await copyFile(STOCK_JAVA_AGENT_JSON_URL, file);
    const { code, stdout } = shardline(['validate', `--configuration=${file}`]);
    expect(code).toBe(0);
    expect(stdout).toContain('valid, 2 flow(s)');
    expect(stdout).toContain('kinesis:yourkinesisstream:/tmp/app.log*');
    expect(stdout).toContain('fh:yourdeliverystream:/tmp/app.log*');
  });

  it('validate reads agent.d/ drop-ins beside the config and names their problems by file', async () => {
    const base = join(dir.path, 'dropins');
    await mkdir(join(base, 'agent.d'), { recursive: true });
    await writeFile(join(base, 'agent.json'), '{"flows":[{"filePattern":"/a/*.log","kinesisStream":"a"}]}');
    await writeFile(join(base, 'agent.d', '10-b.json'), '{"flows":[{"filePattern":"/b/*.log","kinesisStream":"b","maxBufferAgeMillis":10}]}');
    const { code, stdout } = shardline(['validate', '-c', join(base, 'agent.json')]);
    expect(code).toBe(2);
    expect(stdout.trim()).toBe(`${join(base, 'agent.d', '10-b.json')}: flows[0].maxBufferAgeMillis: must be 1000..900000, got 10`);
  });

  it.each([
    [['validate', '-c', '/nonexistent/agent.json'], 2, /cannot read the config file: no such file/],
    [['run', '--no-such-flag'], 2, /unknown option '--no-such-flag'/],
    [['frobnicate'], 2, /unknown command 'frobnicate'/],
  ])('%j exits %i', (args, expected, message) => {
    const { code, stdout, stderr } = shardline(args);
    expect(code).toBe(expected);
    expect(stdout + stderr).toMatch(message);
  });

  it('--help lists every flag; --version prints the version', async () => {
    const top = shardline(['--help']);
    expect(top.code).toBe(0);
    for (const word of ['run', 'validate', 'demo', '--headless', '--version']) expect(top.stdout).toContain(word);
    const run = shardline(['run', '--help']);
    for (const flag of ['--config', '--configuration', '--data-dir', '--control', '--no-control', '--log-level']) expect(run.stdout).toContain(flag);
    const { version } = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(new URL('../../package.json', import.meta.url), 'utf8'))) as { version: string };
    expect(shardline(['--version']).stdout.trim()).toBe(version);
  });

  it('run refuses an invalid config with exit 2 and the problems on stderr', async () => {
    const file = join(dir.path, 'invalid.json');
    await writeFile(file, '{"flows":[{"filePattern":"/a/*.log","kinesisStream":"a","maxBufferSizeRecords":0}]}');
    const { code, stderr } = shardline(['run', '-c', file, '--data-dir', join(dir.path, 'data-invalid')]);
    expect(code).toBe(2);
    expect(stderr).toContain('flows[0].maxBufferSizeRecords: must be 1..500, got 0');
  });
});

describe('data dir lock', () => {
  let kinesis: LocalKinesis;
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    kinesis = await startKinesalite();
    await kinesis.createStream('lock', 1);
    dir = await tempDir();
  });
  afterAll(async () => {
    await kinesis.close();
    await dir.cleanup();
  });

  it('a second agent on the same data dir exits 3; after kill -9 of the first, a new one takes over', async () => {
    await mkdir(join(dir.path, 'logs'));
    const config = await writeAgentConfig(dir.path, kinesis.endpoint, { filePattern: join(dir.path, 'logs', '*.log'), kinesisStream: 'lock' });
    const args = ['run', '-c', config, '--data-dir', join(dir.path, 'data')];
    const first = spawnShardline(args);
    await first.waitForLog(/started with 1 flow/);

    const second = spawnShardline(args);
    expect(await second.exited).toBe(3);
    expect(second.stderr.join('\n')).toMatch(/data dir is in use by another Shardline agent \(pid \d+/);

    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    const third = spawnShardline(['--headless', '-c', config, '--data-dir', join(dir.path, 'data')]);
    await third.waitForLog(/taking over the data dir lock of a stopped agent/);
    await third.waitForLog(/started with 1 flow/);
    expect(await third.stop('SIGINT')).toBe(0);
  });
});
