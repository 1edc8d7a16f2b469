// Scenario 5: a backlog (2 GB; quick: 100 MB) of numbered lines read from the start against the
// counting endpoint (its own process: it counts every line by its tag, checks every 50th request's
// records byte for byte), with the agent's RSS sampled every 100 ms throughout. Nothing may be lost,
// and memory must not grow with the backlog: reading pauses while maxInFlightBytes are unacknowledged,
// so the RSS over the last part of the backlog must stay within GROWTH_MB of its level over the
// first part (FAIL otherwise). Issue 8's target, peak RSS ≤ TARGET_RSS_MB, gives WARN when missed.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { drain, monitorRss, resultRow, SeqSource, sleep, spawnAgent, tempDir, writeAgentConfig } from './harness.mjs';
import { seqLines } from './lines.mjs';

export const TARGET_RSS_MB = 120;
export const GROWTH_MB = 16;
const MEAN_BODY = 150;
const STREAM = 'chaos-backlog';

/** Writes numbered lines up to `bytes` into `file`; returns the seq range. */
function generate(file, seqs, bytes) {
  const fd = openSync(file, 'w', 0o644);
  let written = 0;
  try {
    while (written < bytes) {
      const count = 20_000;
      const from = seqs.take(count);
      const text = Buffer.from(seqLines(from, from + count, MEAN_BODY), 'latin1');
      writeSync(fd, text);
      written += text.length;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Peak RSS over the samples whose share of the backlog delivered is in [from, to). */
function peakBetween(samples, progress, total, from, to) {
  let peak = 0;
  let p = 0;
  for (const sample of samples) {
    while (p + 1 < progress.length && progress[p + 1].at <= sample.at) p += 1;
    const share = (progress[p]?.delivered ?? 0) / total;
    if (share >= from && share < to) peak = Math.max(peak, sample.rss);
  }
  return peak / 2 ** 20;
}

/**
 * @param {{ endpoint: any, log: (line: string) => void }} ctx
 * @param {{ bytes: number }} params
 */
export async function backlog(ctx, params) {
  const { endpoint, log } = ctx;
  const started = Date.now();
  const dir = tempDir('backlog');
  let agent;
  let monitor;
  try {
    await endpoint.stream(STREAM, { light: true, checkEvery: 50, meanBody: MEAN_BODY });
    const logs = join(dir.path, 'logs');
    mkdirSync(logs);
    const seqs = new SeqSource();
    const generatedAt = Date.now();
    const bytes = generate(join(logs, 'backlog.log'), seqs, params.bytes);
    log(`backlog: ${(bytes / 1e6).toFixed(0)} MB, ${seqs.written} lines generated in ${((Date.now() - generatedAt) / 1000).toFixed(1)} s`);
    const config = writeAgentConfig(dir.path, endpoint.url, [{ name: STREAM, filePattern: join(logs, '*.log'), kinesisStream: STREAM }]);
    agent = spawnAgent({ config, dataDir: join(dir.path, 'data'), logLevel: 'warn' });
    monitor = monitorRss(agent.pid);
    const readStart = Date.now();
    const progress = [];
    let done = false;
    const watching = (async () => {
      while (!done) {
        const stats = await endpoint.stats(STREAM);
        progress.push({ at: Date.now(), delivered: stats.seqRecords });
        if (stats.seqRecords >= seqs.written) break;
        await sleep(250);
      }
    })();
    const tally = await drain(endpoint, STREAM, seqs.expected, { timeoutMillis: Math.max(60_000, (bytes / 2e6) * 1000), quietMillis: 1000 });
    done = true;
    await watching;
    const seconds = (progress.at(-1).at - readStart) / 1000;
    const exit = await agent.stop('SIGTERM');
    const samples = monitor.stop().samples;
    const peakRssMB = monitor.peakMB;
    const early = peakBetween(samples, progress, seqs.written, 0.1, 0.3);
    const late = peakBetween(samples, progress, seqs.written, 0.7, 1.01);
    const failures = [];
    if (exit !== 0) failures.push(`the agent exited ${exit} on SIGTERM`);
    if (late - early > GROWTH_MB) failures.push(`RSS grew with the backlog: ${early.toFixed(0)} MB over 10–30% of it, ${late.toFixed(0)} MB over 70–100%`);
    const warnings = peakRssMB > TARGET_RSS_MB ? [`peak RSS ${peakRssMB.toFixed(1)} MB is above issue 8's target of ${TARGET_RSS_MB} MB`] : [];
    if (tally.checked === 0) failures.push('no record was checked byte for byte');
    return [resultRow({
      scenario: `${(params.bytes / 1e6).toFixed(0)} MB backlog from the start`,
      tally,
      peakRssMB,
      failures,
      warnings,
      notes: [
        `${(bytes / 1e6 / seconds).toFixed(1)} MB/s, ${Math.round(seqs.written / seconds)} lines/s; RSS peak ${early.toFixed(0)} MB over 10–30% of the backlog, ${late.toFixed(0)} MB over 70–100% (growth allowed: ${GROWTH_MB} MB; target ≤ ${TARGET_RSS_MB} MB); ${tally.checked} records checked byte for byte`,
      ],
      seconds: (Date.now() - started) / 1000,
    })];
  } finally {
    monitor?.stop();
    if (agent !== undefined && agent.exitValue === undefined) await agent.stop('SIGKILL');
    await endpoint.drop(STREAM);
    dir.cleanup();
  }
}
