// What bench/run.mjs (`npm run bench`) and bench/profile.mjs (`npm run bench:profile`) share: the
// scenarios, the counting sink in its own process, the agent through the real CLI, and the
// measurements read from /proc.
import { fork, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'shardline.js');

/** The bench's scenarios (issue 8): `id` for bench:profile, `input` the generated file they read. */
export const SCENARIOS = [
  { id: 'raw', name: 'raw lines → Streams', input: 'apache', flow: { kinesisStream: 'bench' } },
  { id: 'logtojson', name: 'LOGTOJSON COMBINEDAPACHELOG → Streams', input: 'apache', flow: { kinesisStream: 'bench', dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }] } },
  { id: 'kpl', name: 'KPL aggregation → Streams', input: 'apache', flow: { kinesisStream: 'bench', aggregation: 'kpl' }, deepCount: true },
  { id: 'firehose', name: 'Firehose, packed (aggregatedRecordSizeBytes 1 MB)', input: 'apache', flow: { deliveryStream: 'bench', aggregatedRecordSizeBytes: 1_000_000 }, deepCount: true, countLines: true },
  { id: 'files', name: '100 files at once (syslog)', input: 'syslog', files: 100, flow: { kinesisStream: 'bench' } },
  { id: 'gzip', name: 'gzip → Streams', input: 'apache', flow: { kinesisStream: 'bench', compression: 'gzip' } },
];

/** What the sink counts as one delivery of a line in this scenario. */
export const deliveredOf = (scenario) => (stats) => (scenario.countLines ? stats.lines : scenario.deepCount ? stats.userRecords : stats.records);

/** Forks bench/sink.mjs; `ask` sends it a message and resolves with its answer. BENCH_SINK_PROF=<dir>: the sink runs under `node --cpu-prof` and writes its profile there. */
export async function startSink(log) {
  const sink = fork(join(ROOT, 'bench', 'sink.mjs'), [], { execArgv: process.env.BENCH_SINK_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SINK_PROF] : [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies = [];
  sink.on('message', (message) => {
    if (message.type === 'error') log(`sink: ${message.message}`);
    else replies.shift()?.(message);
  });
  const port = await new Promise((resolve) => sink.once('message', (message) => resolve(message.port)));
  const ask = (message) => new Promise((resolve) => { replies.push(resolve); sink.send(message); });
  return { port, ask, pid: sink.pid, kill: () => sink.kill() };
}

/** agent.json for one flow reading `filePattern` from the start, sending to the sink on `port`. */
export function writeBenchConfig(dir, port, filePattern, flow, maxBufferAgeMillis) {
  const config = join(dir, 'agent.json');
  writeFileSync(config, JSON.stringify({
    'kinesis.endpoint': `http://127.0.0.1:${port}`, 'firehose.endpoint': `http://127.0.0.1:${port}`, 'kinesis.region': 'us-east-1', 'firehose.region': 'us-east-1',
    awsAccessKeyId: 'AKIDBENCH', awsSecretAccessKey: 'bench-secret', 'cloudwatch.emitMetrics': false, control: false,
    flows: [{ filePattern, initialPosition: 'START_OF_FILE', maxBufferAgeMillis, ...flow }],
  }));
  return config;
}

/**
 * `node [nodeArgs] bin/shardline.js run` on `config`, its data dir under `dir`. The agent's stdout is
 * dropped unless BENCH_AGENT_STDOUT is set (to read what `--node-arg=--trace-gc` prints there).
 */
export function spawnAgent(config, dir, nodeArgs = []) {
  return spawn(process.execPath, [...nodeArgs, BIN, 'run', '-c', config, '--data-dir', join(dir, 'data'), '--log-level', 'warn'], {
    stdio: ['ignore', process.env.BENCH_AGENT_STDOUT ? 'inherit' : 'ignore', 'inherit'],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
  });
}

/**
 * Waits until the sink has every one of `lines`; returns the seconds from its first request. More
 * deliveries than lines written is a fault (duplicates, or records the agent made up): a rate on
 * them would be a lie, so it throws.
 */
export async function timeDelivery(ask, scenario, lines, limitMillis = 30 * 60_000) {
  const delivered = deliveredOf(scenario);
  const started = Date.now();
  let first;
  for (;;) {
    const { stats } = await ask({ type: 'stats' });
    if (first === undefined && stats.requests > 0) first = process.hrtime.bigint();
    if (delivered(stats) >= lines) break;
    if (Date.now() - started > limitMillis) throw new Error(`${scenario.name}: not delivered after ${limitMillis / 60_000} min (${delivered(stats)}/${lines})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = Number(process.hrtime.bigint() - first) / 1e9;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const settled = delivered((await ask({ type: 'stats' })).stats);
  if (settled !== lines) throw new Error(`${scenario.name}: the sink counted ${settled} deliveries for ${lines} lines written`);
  return seconds;
}

/** CPU-seconds (user + system) so far of the process or thread whose `stat` file this is. */
function statCpuSeconds(path) {
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  const ticks = 100; // USER_HZ
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

/** CPU-seconds (user + system) of a process so far. */
export function cpuSeconds(pid) {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/** `seconds(taskDir)` for each thread of a process where it is over 0.05 s, by thread id and name, largest first. */
function perThread(pid, seconds) {
  const threads = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const value = seconds(`/proc/${pid}/task/${tid}`);
      if (value > 0.05) threads.push([`${tid} ${name}`, value]);
    } catch {
      // the thread ended between listing and reading, or the kernel keeps no schedstat
    }
  }
  return Object.fromEntries(threads.sort((a, b) => b[1] - a[1]));
}

/** CPU-seconds of each busy thread of a process. */
export function threadCpuSeconds(pid) {
  return perThread(pid, (task) => statCpuSeconds(`${task}/stat`));
}

/**
 * Seconds each thread of a process spent runnable but waiting for a CPU (schedstat's run delay): a
 * thread that waits long for a core is held back by the others (the sink, V8's helper threads), not
 * by its own work.
 */
export function threadRunDelaySeconds(pid) {
  return perThread(pid, (task) => Number((Number(readFileSync(`${task}/schedstat`, 'utf8').split(' ')[1]) / 1e9).toFixed(2)));
}

/** A process's peak resident set (VmHWM), in MB. */
export function peakRssMB(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match === null ? NaN : Number(match[1]) / 1024;
}

/**
 * The files a scenario reads (`scenario.input`: {file, lines, bytes}): the input itself, or N slices of it (hard to split cheaply: N files of its lines).
 */
export function prepareFiles(dir, scenario) {
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  // The file the latency phase appends to exists (empty) from the start: the agent tracks it from its
  // first scan, so the phase measures steady-state delivery, not the settle time a file created while
  // the agent runs is given (newFileSettleMillis: how copytruncate copies are told from new files).
  writeFileSync(join(logs, 'steady.log'), '');
  if (scenario.files === undefined) {
    symlinkSync(scenario.input.file, join(logs, 'input.log'));
    return { pattern: join(logs, '*.log'), lines: scenario.input.lines, bytes: scenario.input.bytes, steadyFile: join(logs, 'steady.log') };
  }
  const text = readFileSync(scenario.input.file);
  const per = Math.ceil(text.length / scenario.files);
  let start = 0;
  let lines = 0;
  for (let i = 0; i < scenario.files && start < text.length; i++) {
    let end = Math.min(text.length, start + per);
    if (end < text.length) end = text.indexOf(10, end) + 1 || text.length;
    const part = text.subarray(start, end);
    for (let at = part.indexOf(10); at !== -1; at = part.indexOf(10, at + 1)) lines += 1;
    writeFileSync(join(logs, `host-${String(i).padStart(3, '0')}.log`), part);
    start = end;
  }
  return { pattern: join(logs, '*.log'), lines, bytes: text.length, steadyFile: join(logs, 'steady.log') };
}
