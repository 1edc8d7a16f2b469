// What every chaos scenario uses: temp dirs, agent.json, the real CLI as a child process (optionally
// with root's privileges dropped), RSS sampling from /proc, an in-process log writer that rotates,
// kill -9 bookkeeping, waiting for delivery, and the result row with its verdict.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { seqLine } from './lines.mjs';

/** Agents and mounts still alive, for `emergencyCleanup` after a scenario overran its time limit. */
const live = { agents: new Set(), mounts: new Set() };

/** Kills (by pid) the agents this process started that still run, and lazily unmounts its mounts. */
export function emergencyCleanup() {
  for (const child of live.agents) child.kill('SIGKILL');
  live.agents.clear();
  for (const path of live.mounts) spawnSync('umount', ['-l', path]);
  live.mounts.clear();
}

/** Mounts (`mount ...args`, the mount point last) and remembers the mount point. */
export function mount(args) {
  run('mount', args);
  live.mounts.add(args[args.length - 1]);
}

/** Unmounts; `lazy` detaches at once even if busy. */
export function unmount(path, { lazy = false } = {}) {
  const result = spawnSync('umount', lazy ? ['-l', path] : [path], { encoding: 'utf8' });
  if (result.status !== 0 && !lazy) throw new Error(`umount ${path}: ${result.stderr}`);
  live.mounts.delete(path);
}

export const BIN = fileURLToPath(new URL('../../bin/shardline.js', import.meta.url));
export const NOBODY = { uid: 65534, gid: 65534 };
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; throws naming `what` after `timeoutMillis`. */
export async function waitFor(condition, timeoutMillis, what) {
  const deadline = Date.now() + timeoutMillis;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMillis} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(50);
  }
}

/** A reproducible random source (xorshift32); `seed` is printed with the results. */
export function seededRandom(seed) {
  let state = (seed >>> 0) || 1;
  return () => {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** A fresh directory (mode 0755, so an agent without privileges can reach it); `cleanup` removes it. */
export function tempDir(prefix) {
  const path = mkdtempSync(join(tmpdir(), `shardline-chaos-${prefix}-`));
  chmodSync(path, 0o755);
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Whether this process may mount (a tmpfs, a read-only bind): root with CAP_SYS_ADMIN. */
export const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'shardline-chaos-mount-probe-'));
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
  if (ok) spawnSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return ok;
})();

export const isRoot = process.getuid?.() === 0;

/** Runs a command, throwing with its stderr if it fails. */
export function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.error?.message || `exit ${result.status}`}`);
}

/** Writes agent.json (Streams flows against `endpoint`, loopback only) and returns its path. */
export function writeAgentConfig(dir, endpoint, flows, global = {}) {
  const path = join(dir, 'agent.json');
  writeFileSync(path, JSON.stringify({
    'kinesis.endpoint': endpoint,
    'firehose.endpoint': endpoint,
    'kinesis.region': 'us-east-1',
    'firehose.region': 'us-east-1',
    awsAccessKeyId: 'AKIDCHAOS',
    awsSecretAccessKey: 'chaos-secret',
    'cloudwatch.emitMetrics': false,
    'log.statusReportingPeriodSeconds': 1,
    control: false,
    ...global,
    flows: flows.map((flow) => ({ initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000, ...flow })),
  }, null, 2), { mode: 0o644 });
  return path;
}

/**
 * `node bin/shardline.js run -c CONFIG --data-dir DATA` as a child process. `asUser` drops root's
 * privileges first (setpriv), so that permissions bite. Keeps every stdout line (pino JSON).
 */
export function spawnAgent({ config, dataDir, asUser, logLevel = 'info' }) {
  const args = [BIN, 'run', '-c', config, '--data-dir', dataDir, '--log-level', logLevel];
  const [command, argv] = asUser === undefined
    ? [process.execPath, args]
    : ['setpriv', [`--reuid=${asUser.uid}`, `--regid=${asUser.gid}`, '--clear-groups', process.execPath, ...args]];
  const child = spawn(command, argv, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const lines = [];
  const stderr = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  live.agents.add(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => { live.agents.delete(child); resolve(code ?? signal ?? -1); }));
  let exitValue;
  void exited.then((value) => { exitValue = value; });
  const agent = {
    child,
    pid: child.pid,
    lines,
    stderr,
    exited,
    get exitValue() { return exitValue; },
    /** The first log line matching, or undefined. */
    seen: (pattern) => lines.find((line) => pattern.test(line)),
    async waitForLog(pattern, timeoutMillis = 20_000) {
      await waitFor(() => agent.seen(pattern) !== undefined || exitValue !== undefined, timeoutMillis, () => `a log line matching ${pattern}; last lines: ${lines.slice(-3).join('\n')}; stderr: ${stderr.join('\n')}`);
      if (agent.seen(pattern) === undefined) throw new Error(`the agent exited (${exitValue}) before logging ${pattern}; stderr: ${stderr.join('\n')}; last lines: ${lines.slice(-5).join('\n')}`);
      return agent.seen(pattern);
    },
    /** The latest progress line of a flow (its counters, gauges, warnings), parsed. */
    progress(flowName) {
      for (let i = lines.length - 1; i >= 0; i -= 1) {
        if (!lines[i].includes('Tailer Progress')) continue;
        const entry = JSON.parse(lines[i]);
        if (flowName === undefined || entry.flow === flowName) return entry;
      }
      return undefined;
    },
    async stop(signal = 'SIGTERM') {
      if (exitValue === undefined) child.kill(signal);
      return exited;
    },
  };
  return agent;
}

/** Peak resident memory of a process, sampled from /proc (VmHWM catches what happens between samples). */
export function monitorRss(pid, everyMillis = 100) {
  const state = { peakBytes: 0, samples: [] };
  const timer = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      state.peakBytes = Math.max(state.peakBytes, rss, hwm);
      state.samples.push({ at: Date.now(), rss });
    } catch {
      // the process is gone
    }
  }, everyMillis);
  return {
    state,
    get peakMB() { return state.peakBytes / 2 ** 20; },
    stop() { clearInterval(timer); return state; },
  };
}

/** Hands out line numbers and remembers which were written where the agent must find them. */
export class SeqSource {
  next = 0;
  expected = [];
  take(count = 1, { expected = true } = {}) {
    const from = this.next;
    this.next += count;
    if (expected) {
      const last = this.expected[this.expected.length - 1];
      if (last !== undefined && last[1] === from) last[1] = this.next;
      else this.expected.push([from, this.next]);
    }
    return from;
  }
  get written() {
    return this.expected.reduce((sum, [from, to]) => sum + to - from, 0);
  }
}

/**
 * Appends numbered lines to a file at `rate` lines/s (in 10 ms ticks, catching up after a stall),
 * through its own descriptor, and rotates it on demand:
 * - rename: file → file.<k>, three more lines through the old descriptor (a writer that has not
 *   reopened yet), then file is created again; with `remove`, the rotated file is deleted at once;
 * - copytruncate: copied to file.<k>, then truncated (no line is written between the two, unlike
 *   logrotate, whose copytruncate loses those).
 */
export class LogWriter {
  constructor({ file, seqs, rate, meanBody = 80 }) {
    Object.assign(this, { file, seqs, rate, meanBody });
    this.fd = openSync(file, 'a', 0o644);
    this.rotations = { rename: 0, renameRemove: 0, copytruncate: 0 };
    this.k = 0;
    this.lines = 0;
    this.createdAt = Date.now();
    this.started = Date.now();
    this.timer = setInterval(() => this.tick(), 10);
  }

  tick() {
    const due = Math.floor(((Date.now() - this.started) / 1000) * this.rate);
    const count = Math.min(due - this.lines, Math.max(1, this.rate / 2));
    if (count > 0) this.write(count);
  }

  write(count) {
    const from = this.seqs.take(count);
    let text = '';
    for (let seq = from; seq < from + count; seq += 1) text += seqLine(seq, this.meanBody);
    writeSync(this.fd, text);
    this.lines += count;
  }

  rename({ remove = false } = {}) {
    this.k += 1;
    const rotated = `${this.file}.${this.k}`;
    renameSync(this.file, rotated);
    this.write(3);
    closeSync(this.fd);
    this.fd = openSync(this.file, 'a', 0o644);
    this.createdAt = Date.now();
    if (remove) {
      unlinkSync(rotated);
      this.rotations.renameRemove += 1;
    } else {
      this.rotations.rename += 1;
    }
  }

  copytruncate() {
    this.k += 1;
    copyFileSync(this.file, `${this.file}.${this.k}`);
    truncateSync(this.file, 0);
    this.rotations.copytruncate += 1;
  }

  stop() {
    clearInterval(this.timer);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** When checkpoints.json was last written (0 if never): what a kill -9 falls back to. */
export function checkpointMtime(dataDir) {
  try {
    return statSync(join(dataDir, 'checkpoints.json')).mtimeMs;
  } catch {
    return 0;
  }
}

/** kill -9, then tell the endpoint (for explaining the duplicates the restart will send). */
export async function killAgent(agent, endpoint, streams, dataDir) {
  const result = await agent.stop('SIGKILL');
  const checkpointMs = checkpointMtime(dataDir);
  for (const stream of [].concat(streams)) await endpoint.kill(stream, checkpointMs);
  return result;
}

/**
 * Waits until every expected line arrived (or `timeoutMillis`), then until the endpoint has seen no
 * new record of the stream for `quietMillis` (late duplicates are counted too); returns the tally.
 */
export async function drain(endpoint, stream, expected, { timeoutMillis = 30_000, quietMillis = 1500 } = {}) {
  const deadline = Date.now() + timeoutMillis;
  // Cheap first: the count of numbered records (copies included) reaching the count written.
  const count = expected.reduce((sum, [from, to]) => sum + to - from, 0);
  while ((await endpoint.stats(stream)).seqRecords < count && Date.now() < deadline) await sleep(250);
  let tally = await endpoint.tally(stream, expected);
  while (tally.lost > 0 && Date.now() < deadline) {
    await sleep(250);
    tally = await endpoint.tally(stream, expected);
  }
  for (;;) {
    const stats = await endpoint.stats(stream);
    const quietFor = Date.now() - stats.lastAcceptedAt;
    if (quietFor >= quietMillis || Date.now() > deadline + quietMillis) break;
    await sleep(Math.max(50, quietMillis - quietFor));
  }
  return endpoint.tally(stream, expected);
}

/**
 * The row printed for a scenario, and its verdict: FAIL on any lost line, any line that arrived
 * different from what was written, any duplicate nothing explains, or any `failures` of its own;
 * WARN when only `warnings` (a target missed, nothing lost) remain.
 */
export function resultRow({ scenario, tally, peakRssMB, failures = [], warnings = [], notes = [], written, delivered, extraLost = 0, extraDuplicated = 0, seconds }) {
  const all = [...failures];
  if (extraLost > 0 && failures.length === 0) all.push(`lost ${extraLost}`);
  if (tally.lost > 0) all.push(`lost ${tally.lost} lines (first: ${tally.firstLost.slice(0, 8).join(', ')}; ranges ${tally.lostRanges.slice(0, 5).map(([a, b]) => `${a}–${b - 1}`).join(', ')})`);
  if (tally.corrupt > 0) all.push(`${tally.corrupt} records differ from their line (e.g. ${JSON.stringify(tally.corruptSamples[0])})`);
  if (tally.unexplained > 0) all.push(`${tally.unexplained} duplicates not explained by a kill or a lost answer (e.g. ${JSON.stringify(tally.unexplainedSamples.slice(0, 3))})`);
  if (tally.unexpected > 0) all.push(`${tally.unexpected} numbered lines arrived that were never written where the agent reads`);
  const dupNote = tally.duplicated > 0
    ? `duplicates: ${tally.explainedByKill} sent after the last checkpoint before a kill -9${tally.explainedWithinSlack > 0 ? ` (${tally.explainedWithinSlack} of them accepted less than 2 s before that checkpoint was written)` : ''}, ${tally.explainedByLostAnswer} whose answer was lost, ${tally.unexplained} unexplained`
    : undefined;
  return {
    scenario,
    written: written ?? tally.written,
    delivered: delivered ?? tally.delivered,
    lost: tally.lost + extraLost,
    duplicated: tally.duplicated + extraDuplicated,
    peakRssMB: peakRssMB === undefined ? undefined : Math.round(peakRssMB * 10) / 10,
    verdict: all.length > 0 ? 'FAIL' : warnings.length > 0 ? 'WARN' : 'PASS',
    failures: all,
    warnings,
    notes: dupNote === undefined ? notes : [...notes, dupNote],
    seconds,
  };
}

/** Runs `body` with a hard time limit; `cleanup` runs in every case. */
export async function bounded(millis, what, body, cleanup) {
  let timer;
  const limit = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: did not finish within ${millis / 1000} s`)), millis); });
  try {
    return await Promise.race([body(), limit]);
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}
