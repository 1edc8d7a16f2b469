#!/usr/bin/env node
// `npm run bench` (issue 8): Shardline end to end through the real CLI (file on disk → records →
// HTTP on 127.0.0.1 to a counting sink in its own process), beside baselines from the same run on
// the same file. Prints a table and writes bench/results.json. `-- --quick`: 100 MB instead of 1 GB.
// Needs a build (npm run build). Numbers are comparable within a run; see the ratios.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir, release } from 'node:os';
import { join } from 'node:path';
import { apacheLine, generate, syslogLine } from './generate.mjs';
import { plainRead, sdkPath, wireFloor } from './baselines.mjs';
import { cpuSeconds, deliveredOf, peakRssMB, prepareFiles, SCENARIOS, spawnAgent, startSink, timeDelivery, writeBenchConfig } from './harness.mjs';

const quick = process.argv.includes('--quick');
const SIZE = quick ? 100_000_000 : 1_000_000_000;
const STEADY_RATE = 5000;
const STEADY_SECONDS = quick ? 2 : 15;
const MAX_BUFFER_AGE = 1000;
const ROOT = new URL('..', import.meta.url).pathname;

const log = (line) => process.stderr.write(`${line}\n`);

// --- the sink ---------------------------------------------------------------------------------
const sink = await startSink(log);
const { ask, port } = sink;

// --- inputs ------------------------------------------------------------------------------------
log(`generating inputs (${SIZE / 1e6} MB each, cached in bench/.data)…`);
const apache = await generate('apache', apacheLine, SIZE);
const syslog = await generate('syslog', syslogLine, SIZE);

// --- baselines ---------------------------------------------------------------------------------
log('baselines…');
const baselines = {};
baselines.plain = plainRead(apache.file);
baselines.wire = await wireFloor(apache.file, port);
baselines.sdk = await sdkPath(apache.file, port, Math.min(SIZE, 200_000_000), quick ? [4] : [2, 4, 8]);
const rate = (r) => r.lines / r.seconds;

// --- scenarios -----------------------------------------------------------------------------------
const inputs = { apache, syslog };
const scenarios = SCENARIOS.map((scenario) => ({ ...scenario, input: inputs[scenario.input] }));

async function runScenario(scenario) {
  const dir = mkdtempSync(join(tmpdir(), 'shardline-bench-'));
  try {
    const files = prepareFiles(dir, scenario);
    const config = writeBenchConfig(dir, port, files.pattern, scenario.flow, MAX_BUFFER_AGE);
    await ask({ type: 'reset', deepCount: scenario.deepCount, countLines: scenario.countLines, sampleEvery: 50 });
    const agent = spawnAgent(config, dir);
    const delivered = deliveredOf(scenario);
    const seconds = await timeDelivery(ask, scenario, files.lines);
    const stats = (await ask({ type: 'stats' })).stats;
    const cpu = cpuSeconds(agent.pid);
    const rss = peakRssMB(agent.pid);

    // Latency at a steady 5,000 lines/s, measured from the stamp in each line to its arrival.
    await ask({ type: 'reset', deepCount: scenario.deepCount, countLines: scenario.countLines, measureLatency: true });
    const make = scenario.input === syslog ? syslogLine : apacheLine;
    const total = STEADY_RATE * STEADY_SECONDS;
    const tick = 50;
    let written = 0;
    const t0 = Date.now();
    while (written < total) {
      const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * STEADY_RATE));
      let chunk = '';
      for (; written < due; written++) chunk += make(written, Date.now());
      if (chunk.length > 0) appendFileSync(files.steadyFile, chunk);
      await new Promise((resolve) => setTimeout(resolve, tick));
    }
    for (let i = 0; i < 200 && delivered((await ask({ type: 'stats' })).stats) < total; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const latency = (await ask({ type: 'stats', withLatencies: true })).stats.latencies.sort((a, b) => a - b);
    const pct = (p) => (latency.length === 0 ? NaN : latency[Math.min(latency.length - 1, Math.floor((p / 100) * latency.length))]);

    agent.kill('SIGTERM');
    await new Promise((resolve) => agent.on('exit', resolve));
    return { name: scenario.name, lines: files.lines, bytes: files.bytes, seconds, cpuSeconds: cpu, peakRssMB: rss, p50Ms: pct(50), p99Ms: pct(99), sinkErrors: stats.errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const scenario of scenarios) {
  log(`scenario: ${scenario.name}…`);
  results.push(await runScenario(scenario));
}

// The machine's speed drifts over minutes (it shares its cores): the full run measures the wire floor
// and the SDK path again after the scenarios, and ratios are to the mean of the two measurements
// (--quick skips it to stay under a minute).
if (!quick) {
  log('baselines again…');
  // The sink as the first baselines had it (the last scenario left it measuring latency, reading every record).
  await ask({ type: 'reset' });
  baselines.wire = meanOf(baselines.wire, await wireFloor(apache.file, port));
  baselines.sdk = meanOf(baselines.sdk, await sdkPath(apache.file, port, Math.min(SIZE, 200_000_000), [baselines.sdk.concurrency]));
}
sink.kill();

/** A baseline measured twice, as one whose rate and CPU per byte are the means of both. */
function meanOf(before, after) {
  const linesPerSec = (rate(before) + rate(after)) / 2;
  const cpuPerByte = (before.cpuSeconds / before.bytes + after.cpuSeconds / after.bytes) / 2;
  return { ...before, seconds: before.lines / linesPerSec, cpuSeconds: cpuPerByte * before.bytes, runs: [rate(before), rate(after)] };
}

// --- report --------------------------------------------------------------------------------------
const round = (n, d = 0) => (Number.isFinite(n) ? Number(n.toFixed(d)) : null);
const row = (r) => ({
  name: r.name,
  linesPerSec: round(rate(r)),
  mbPerSec: round(r.bytes / 1e6 / r.seconds, 1),
  cpuSecPerGB: round(r.cpuSeconds / (r.bytes / 1e9), 1),
  peakRssMB: round(r.peakRssMB, 1),
  p50Ms: round(r.p50Ms),
  p99Ms: round(r.p99Ms),
  ratioToSdkPath: round(rate(r) / rate(baselines.sdk), 2),
  ratioToWireFloor: round(rate(r) / rate(baselines.wire), 2),
});
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: round(totalmem() / 2 ** 30, 1), node: process.version, os: release(), inputMB: SIZE / 1e6, quick };
const report = {
  machine,
  date: new Date().toISOString(),
  baselines: Object.values(baselines).map((b) => ({
    name: b.runs === undefined ? b.name : `${b.name}, mean of ${b.runs.map((r) => round(r)).join(' and ')}`, linesPerSec: round(rate(b)), mbPerSec: round(b.bytes / 1e6 / b.seconds, 1), cpuSecPerGB: round(b.cpuSeconds / (b.bytes / 1e9), 1),
    ...(b.runs === undefined ? {} : { runs: b.runs.map((r) => round(r)) }),
  })),
  scenarios: results.map(row),
};
writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(report, null, 2)}\n`);

const columns = ['name', 'linesPerSec', 'mbPerSec', 'cpuSecPerGB', 'peakRssMB', 'p50Ms', 'p99Ms', 'ratioToSdkPath', 'ratioToWireFloor'];
const table = [columns, ...[...report.baselines.map((b) => ({ ...b, peakRssMB: '', p50Ms: '', p99Ms: '', ratioToSdkPath: '', ratioToWireFloor: '' })), ...report.scenarios].map((r) => columns.map((c) => String(r[c] ?? '')))];
const widths = columns.map((_, i) => Math.max(...table.map((r) => r[i].length)));
process.stdout.write(`\nShardline bench (${quick ? 'quick, ' : ''}${SIZE / 1e6} MB; ${machine.cpus} × ${machine.cpuModel}; Node ${machine.node})\n\n`);
for (const [i, r] of table.entries()) {
  process.stdout.write(`${r.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  ')}\n`);
  if (i === 0 || i === report.baselines.length) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
}
process.stdout.write(`\nwrote bench/results.json\n`);
