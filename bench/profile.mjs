#!/usr/bin/env node
// `npm run bench:profile -- <raw|logtojson|kpl|firehose|files|gzip> [--prof] [--size BYTES] [--set key=value …] [--node-arg=--flag …]` (issue 8): one bench
// scenario end to end through the real CLI, as bench/run.mjs runs it, printing lines/s, the agent's CPU
// and peak RSS and the sink's CPU; with --prof, `node --cpu-prof` on every thread of the agent and the
// hottest functions of its agent thread (self and inclusive time, idle excluded). `--set` adds flow
// keys (JSON values), e.g. `--set maxInFlightBytes=8388608`. Fails when the sink counts other than
// one delivery per line. Needs a build (npm run build).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { apacheLine, generate, syslogLine } from './generate.mjs';
import { cpuSeconds, peakRssMB, prepareFiles, threadCpuSeconds, threadRunDelaySeconds, SCENARIOS, spawnAgent, startSink, timeDelivery, writeBenchConfig } from './harness.mjs';

// The bench's scenarios by id, on the same files as bench/run.mjs (the 100-file one on 100 slices of its input).
const ids = SCENARIOS.map((scenario) => scenario.id);
const { values, positionals } = parseArgs({ allowPositionals: true, options: { prof: { type: 'boolean' }, size: { type: 'string' }, set: { type: 'string', multiple: true }, 'node-arg': { type: 'string', multiple: true } } });
const scenario = SCENARIOS.find((candidate) => candidate.id === (positionals[0] ?? 'raw'));
if (scenario === undefined) {
  process.stderr.write(`usage: npm run bench:profile -- <${ids.join('|')}> [--prof] [--size BYTES] [--set key=value …] [--node-arg=--flag …]\n`);
  process.exit(2);
}
const flow = { ...scenario.flow };
for (const assignment of values.set ?? []) {
  const at = assignment.indexOf('=');
  flow[assignment.slice(0, at)] = JSON.parse(assignment.slice(at + 1));
}
const size = Number(values.size ?? 100_000_000);
const input = await generate(scenario.input, scenario.input === 'syslog' ? syslogLine : apacheLine, size);

const sink = await startSink((line) => process.stderr.write(`${line}\n`));
const dir = mkdtempSync(join(tmpdir(), 'shardline-profile-'));
const profiles = join(dir, 'cpu');
try {
  const files = prepareFiles(dir, { ...scenario, input });
  const config = writeBenchConfig(dir, sink.port, files.pattern, flow, 1000);
  await sink.ask({ type: 'reset', deepCount: scenario.deepCount, countLines: scenario.countLines, sampleEvery: 50 });
  const agent = spawnAgent(config, dir, [...(values['node-arg'] ?? []), ...(values.prof ? ['--cpu-prof', '--cpu-prof-dir', profiles] : [])]);
  const seconds = await timeDelivery(sink.ask, scenario, files.lines);
  const { stats } = await sink.ask({ type: 'stats' });
  const result = {
    scenario: scenario.id, linesPerSec: Math.round(files.lines / seconds), seconds: Number(seconds.toFixed(2)), agentCpuSeconds: cpuSeconds(agent.pid),
    peakRssMB: Number(peakRssMB(agent.pid).toFixed(1)), sinkCpuSeconds: cpuSeconds(sink.pid), agentThreads: threadCpuSeconds(agent.pid), agentThreadsWaiting: threadRunDelaySeconds(agent.pid), requests: stats.requests, sinkErrors: stats.errors,
  };
  agent.kill('SIGTERM');
  await new Promise((resolve) => agent.on('exit', resolve));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (stats.errors > 0) {
    process.stderr.write(`the sink could not read back ${stats.errors} sampled requests (see above)\n`);
    process.exitCode = 1;
  }
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
  const all = profile.samples.length;
  process.stdout.write(`\nagent thread: ${all} samples, ${((100 * total) / all).toFixed(1)}% busy in JavaScript or native code called from it, the rest idle or V8's own (program, GC)\n`);
  // Busy share per quarter second: a pipeline waiting on its sink or its budget shows as idle gaps
  // while data is flowing, start-up and the wait for the kill as idle at the ends.
  const windows = [];
  let clock = 0;
  for (let index = 0; index < profile.samples.length; index += 1) {
    clock += profile.timeDeltas[index];
    const window = Math.floor(clock / 250_000);
    windows[window] ??= [0, 0];
    windows[window][1] += 1;
    if (byId.get(profile.samples[index]).callFrame.functionName !== '(idle)') windows[window][0] += 1;
  }
  process.stdout.write(`not idle per 250 ms: ${windows.map((window) => (window === undefined ? '-' : Math.round((100 * window[0]) / window[1]))).join(' ')}\n`);
  const print = (title, map) => {
    process.stdout.write(`\n${title} (% of ${total} busy samples of the agent thread)\n`);
    for (const [name, count] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${((100 * count) / total).toFixed(1).padStart(6)}  ${name}\n`);
  };
  print('self', self);
  print('inclusive', inclusive);
}
