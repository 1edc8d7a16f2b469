#!/usr/bin/env node
// `npm run bench:profile -- <scenario> [--prof] [--size BYTES] [--set key=value …]` (issue 8): one bench
// scenario end to end through the real CLI, as bench/run.mjs runs it, printing lines/s, the agent's CPU
// and peak RSS and the sink's CPU; with --prof, `node --cpu-prof` on every thread of the agent and the
// hottest functions of its agent thread (self and inclusive time, idle excluded). `--set` adds flow
// keys (JSON values), e.g. `--set maxInFlightBytes=8388608`. Fails when the sink counts other than
// one delivery per line. Needs a build (npm run build).
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { apacheLine, generate, syslogLine } from './generate.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const SCENARIOS = {
  raw: { input: 'apache', flow: { kinesisStream: 'bench' } },
  logtojson: { input: 'apache', flow: { kinesisStream: 'bench', dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }] } },
  kpl: { input: 'apache', flow: { kinesisStream: 'bench', aggregation: 'kpl' }, deepCount: true },
  firehose: { input: 'apache', flow: { deliveryStream: 'bench', aggregatedRecordSizeBytes: 1_000_000 }, deepCount: true, countLines: true },
  syslog: { input: 'syslog', flow: { kinesisStream: 'bench' } },
  gzip: { input: 'apache', flow: { kinesisStream: 'bench', compression: 'gzip' } },
};

const { values, positionals } = parseArgs({ allowPositionals: true, options: { prof: { type: 'boolean' }, size: { type: 'string' }, set: { type: 'string', multiple: true } } });
const scenario = SCENARIOS[positionals[0] ?? 'raw'];
if (scenario === undefined) {
  process.stderr.write(`usage: npm run bench:profile -- <${Object.keys(SCENARIOS).join('|')}> [--prof] [--size BYTES] [--set key=value …]\n`);
  process.exit(2);
}
const flow = { ...scenario.flow };
for (const assignment of values.set ?? []) {
  const at = assignment.indexOf('=');
  flow[assignment.slice(0, at)] = JSON.parse(assignment.slice(at + 1));
}
const size = Number(values.size ?? 100_000_000);
const input = await generate(scenario.input, scenario.input === 'syslog' ? syslogLine : apacheLine, size);

const sink = fork(join(ROOT, 'bench', 'sink.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const replies = [];
sink.on('message', (message) => { if (message.type === 'error') process.stderr.write(`sink: ${message.message}\n`); else replies.shift()?.(message); });
const ask = (message) => new Promise((resolve) => { replies.push(resolve); sink.send(message); });
const port = await new Promise((resolve) => sink.once('message', (message) => resolve(message.port)));
replies.length = 0;

const dir = mkdtempSync(join(tmpdir(), 'shardline-profile-'));
const profiles = join(dir, 'cpu');
try {
  mkdirSync(join(dir, 'logs'));
  symlinkSync(input.file, join(dir, 'logs', 'input.log'));
  writeFileSync(join(dir, 'agent.json'), JSON.stringify({
    'kinesis.endpoint': `http://127.0.0.1:${port}`, 'firehose.endpoint': `http://127.0.0.1:${port}`, 'kinesis.region': 'us-east-1', 'firehose.region': 'us-east-1',
    awsAccessKeyId: 'AKIDBENCH', awsSecretAccessKey: 'bench-secret', 'cloudwatch.emitMetrics': false, control: false,
    flows: [{ filePattern: join(dir, 'logs', '*.log'), initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000, ...flow }],
  }));
  await ask({ type: 'reset', deepCount: scenario.deepCount, countLines: scenario.countLines, sampleEvery: 50 });
  const nodeArgs = values.prof ? ['--cpu-prof', '--cpu-prof-dir', profiles] : [];
  const agent = spawn(process.execPath, [...nodeArgs, join(ROOT, 'bin', 'shardline.js'), 'run', '-c', join(dir, 'agent.json'), '--data-dir', join(dir, 'data'), '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const delivered = (stats) => (scenario.countLines ? stats.lines : scenario.deepCount ? stats.userRecords : stats.records);
  let first;
  for (;;) {
    const { stats } = await ask({ type: 'stats' });
    if (first === undefined && stats.requests > 0) first = process.hrtime.bigint();
    if (delivered(stats) >= input.lines) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = Number(process.hrtime.bigint() - first) / 1e9;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const { stats } = await ask({ type: 'stats' });
  const cpu = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
  const rss = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${agent.pid}/status`, 'utf8'))[1]) / 1024;
  const result = { scenario: positionals[0] ?? 'raw', linesPerSec: Math.round(input.lines / seconds), seconds: Number(seconds.toFixed(2)), agentCpuSeconds: cpu(agent.pid), peakRssMB: Number(rss.toFixed(1)), sinkCpuSeconds: cpu(sink.pid), requests: stats.requests, sinkErrors: stats.errors };
  agent.kill('SIGTERM');
  await new Promise((resolve) => agent.on('exit', resolve));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (delivered(stats) !== input.lines) throw new Error(`the sink counted ${delivered(stats)} deliveries for ${input.lines} lines`);
  if (values.prof) {
    // Threads write CPU.<date>.<pid>.<thread>.<seq>.cpuprofile: 0 is the launcher, 1 the agent.
    const agentProfile = readdirSync(profiles).find((name) => /\.1\.\d+\.cpuprofile$/.test(name));
    if (agentProfile !== undefined) summarize(JSON.parse(readFileSync(join(profiles, agentProfile), 'utf8')));
  }
} finally {
  sink.kill();
  rmSync(dir, { recursive: true, force: true });
}

/** The hottest functions of a .cpuprofile, by self and by inclusive time (idle and program excluded). */
function summarize(profile, top = 30) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const hits = new Map();
  for (const sample of profile.samples) hits.set(sample, (hits.get(sample) ?? 0) + 1);
  const label = (node) => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`;
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  for (const [id, count] of hits) {
    const node = byId.get(id);
    if (['(idle)', '(program)'].includes(node.callFrame.functionName)) continue;
    total += count;
    self.set(label(node), (self.get(label(node)) ?? 0) + count);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at));
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + count);
      seen.add(name);
    }
  }
  const print = (title, map) => {
    process.stdout.write(`\n${title} (% of ${total} busy samples of the agent thread)\n`);
    for (const [name, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${((100 * count) / total).toFixed(1).padStart(6)}  ${name}\n`);
  };
  print('self', self);
  print('inclusive', inclusive);
}
