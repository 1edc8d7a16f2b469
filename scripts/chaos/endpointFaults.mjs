// Scenario 2: the endpoint goes away, then comes back (connection refused, then connections reset
// unanswered, then HTTP 500s; before that, 2 s of answers lost after the records were committed),
// and, in a second run, throttles 90% of the records of every request. Meanwhile a writer appends
// 1,000 lines/s and the file is rotated every 2 s, every other rotated file deleted at once (held
// open by the agent, so nothing is lost). Nothing may be lost; duplicates only from lost answers.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEndpoint } from './endpointClient.mjs';
import { drain, LogWriter, monitorRss, resultRow, SeqSource, sleep, spawnAgent, tempDir, writeAgentConfig } from './harness.mjs';

/**
 * Runs the agent against an endpoint of its own (so that the two runs can go side by side) while `phases` (mode, millis) play out, then drains.
 * Returns the tally, the peak RSS, and how long the agent took to deliver what was written before
 * the last fault ended.
 */
async function underFaults({ stream, phases, rate, firehose = false }) {
  const endpoint = await startEndpoint();
  const dir = tempDir(stream);
  let writer;
  let agent;
  let monitor;
  let rotating = true;
  try {
    await endpoint.stream(stream);
    await endpoint.mode({ kind: 'ok' });
    const logs = join(dir.path, 'logs');
    mkdirSync(logs);
    const destination = firehose ? { deliveryStream: stream } : { kinesisStream: stream };
    const config = writeAgentConfig(dir.path, endpoint.url, [{ name: stream, filePattern: join(logs, 'app.log*'), ...destination }]);
    agent = spawnAgent({ config, dataDir: join(dir.path, 'data') });
    monitor = monitorRss(agent.pid);
    const seqs = new SeqSource();
    writer = new LogWriter({ file: join(logs, 'app.log'), seqs, rate });
    let rotation = 0;
    const rotations = (async () => {
      while (rotating) {
        await sleep(2000);
        if (rotating) writer.rename({ remove: rotation++ % 2 === 1 && Date.now() - writer.createdAt > 1500 });
      }
    })();
    await agent.waitForLog(/started with 1 flow/);
    await sleep(1500);
    const before = await endpoint.stats(stream);
    const faultStart = Date.now();
    for (const phase of phases) {
      await endpoint.mode(phase.mode);
      await sleep(phase.millis);
    }
    const during = { records: (await endpoint.stats(stream)).records - before.records, seconds: (Date.now() - faultStart) / 1000 };
    await endpoint.mode({ kind: 'ok' });
    const backAt = Date.now();
    const writtenBefore = [[0, seqs.next]];
    let caughtUpMillis;
    const catchUp = (async () => {
      while ((await endpoint.tally(stream, writtenBefore)).lost > 0) await sleep(100);
      caughtUpMillis = Date.now() - backAt;
    })();
    await sleep(2000);
    rotating = false;
    await rotations;
    writer.stop();
    const tally = await drain(endpoint, stream, seqs.expected, { timeoutMillis: 60_000 });
    await Promise.race([catchUp, sleep(1000)]);
    const exit = await agent.stop('SIGTERM');
    const stats = await endpoint.stats(stream);
    return { tally, agent, exit, stats, caughtUpMillis, during, peakRssMB: (monitor.stop(), monitor.peakMB), rotations: writer.rotations };
  } finally {
    rotating = false;
    writer?.stop();
    monitor?.stop();
    if (agent !== undefined && agent.exitValue === undefined) await agent.stop('SIGKILL');
    await endpoint.close();
    dir.cleanup();
  }
}

function commonFailures(result) {
  const failures = [];
  if (result.exit !== 0) failures.push(`the agent exited ${result.exit} on SIGTERM`);
  if (result.caughtUpMillis === undefined) failures.push('what was written before the endpoint came back was not all delivered');
  return failures;
}

/**
 * Both runs side by side, each agent with an endpoint of its own.
 * @param {unknown} _ctx
 * @param {{ downMillis: number, throttleMillis: number, rate: number }} params
 */
export async function endpointFaults(_ctx, params) {
  const rows = await Promise.all([endpointDown(params), throttling(params), throttling(params, true)]);
  return rows.flat();
}

/** @param {{ downMillis: number, rate: number }} params */
async function endpointDown(params) {
  const started = Date.now();
  const third = Math.round(params.downMillis / 3);
  const result = await underFaults({
    stream: 'chaos-down',
    rate: params.rate,
    phases: [
      { mode: { kind: 'lostAnswers', fraction: 0.5 }, millis: 2000 },
      { mode: { kind: 'ok' }, millis: 500 },
      { mode: { kind: 'refuse' }, millis: third },
      { mode: { kind: 'reset' }, millis: third },
      { mode: { kind: 'error', status: 500, errorType: 'InternalFailure' }, millis: params.downMillis - 2 * third },
    ],
  });
  const failures = commonFailures(result);
  if (result.agent.seen(/works again/) === undefined) failures.push('no "works again" in the log after the endpoint came back');
  if (result.agent.seen(/nothing is dropped/) === undefined) failures.push('the outage was not reported in the log');
  return [resultRow({
    scenario: `endpoint down ${params.downMillis / 1000} s (refused, reset, 500), then back`,
    tally: result.tally,
    peakRssMB: result.peakRssMB,
    failures,
    notes: [
      `all written before the endpoint came back was delivered ${result.caughtUpMillis === undefined ? 'never' : `${(result.caughtUpMillis / 1000).toFixed(1)} s`} after it did (backoff cap retryMaxBackoffMillis 10 s)`,
      `rotated every 2 s, ${result.rotations.renameRemove} rotated files deleted at once; before the outage, 2 s of answers lost after commit (${result.stats.answersLost} records)`,
    ],
    seconds: (Date.now() - started) / 1000,
  })];
}

/**
 * 90% of each request's records refused: by a Kinesis stream (ProvisionedThroughputExceededException
 * in PutRecords), or by a Firehose delivery stream (ServiceUnavailableException in PutRecordBatch).
 * @param {{ throttleMillis: number, rate: number }} params
 */
async function throttling(params, firehose = false) {
  const started = Date.now();
  const stream = firehose ? 'chaos-firehose' : 'chaos-throttle';
  const result = await underFaults({
    stream,
    rate: params.rate,
    firehose,
    phases: [{ mode: { kind: 'throttle', fraction: 0.9 }, millis: params.throttleMillis }],
  });
  const failures = commonFailures(result);
  if (result.stats.throttled === 0) failures.push('no record was throttled');
  const counters = result.agent.progress(stream)?.counters;
  return [resultRow({
    scenario: firehose
      ? `Firehose: 90% of records refused for ${params.throttleMillis / 1000} s`
      : `90% of records throttled for ${params.throttleMillis / 1000} s`,
    tally: result.tally,
    peakRssMB: result.peakRssMB,
    failures,
    notes: [
      `${result.stats.throttled} records refused with ${firehose ? 'ServiceUnavailableException (PutRecordBatch)' : 'ProvisionedThroughputExceededException'} (agent counted throttled ${counters?.throttled ?? '?'}, retries ${counters?.retries ?? '?'}; ${result.stats.requests} requests in all); ${result.during.records} records accepted during the throttling (${Math.round(result.during.records / result.during.seconds)}/s, ${params.rate} lines/s written)`,
      `all written before the throttling ended was delivered ${result.caughtUpMillis === undefined ? 'never' : `${(result.caughtUpMillis / 1000).toFixed(1)} s`} after it`,
    ],
    seconds: (Date.now() - started) / 1000,
  })];
}
