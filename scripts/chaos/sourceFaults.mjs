// Scenario 4: trouble in the files themselves, four flows of one agent run as `nobody` (setpriv), so
// that permissions bite although the scenario runs as root:
// - a file replaced by a directory (renamed away with unread lines, a directory created under its
//   name, then a file again);
// - permissions removed and restored (a tailed file chmod 000, a new file 0600, the directory 000);
// - a runaway line (50 MB; quick: 10 MB) written in 1 MiB pieces: by the README (and the Java
//   agent's rules) the first read buffer (5 MiB) is kept, cut to the record-size limit ending with
//   truncatedRecordTerminator, and the rest skipped, both counted: that is one line delivered cut,
//   not a loss; the lines around it must arrive whole;
// - binary garbage (random bytes: NULs, invalid UTF-8, CR) in random pieces: without processing a
//   record is the line's bytes, so every line must arrive byte for byte.
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { drain, monitorRss, NOBODY, resultRow, SeqSource, sleep, spawnAgent, tempDir, waitFor, writeAgentConfig } from './harness.mjs';
import { seqLines } from './lines.mjs';

const STREAMS = { dir: 'chaos-dir', perm: 'chaos-perm', huge: 'chaos-huge', binary: 'chaos-binary' };
const MIB = 1024 * 1024;
/** Streams: 1 MiB per record including its partition key (the default maxRecordSizeBytes). */
const RECORD_LIMIT = MIB;

function appendLines(file, seqs, count, options) {
  const from = seqs.take(count, options);
  appendFileSync(file, seqLines(from, from + count), { mode: 0o644 });
}

async function delivered(endpoint, stream, seqs, timeoutMillis = 15_000) {
  await waitFor(async () => (await endpoint.tally(stream, seqs.expected)).lost === 0, timeoutMillis, `the lines of ${stream}`);
}

/** A file replaced by a directory, and a directory by a file. */
async function fileToDirectory(endpoint, logs, seqs, holdMillis) {
  const app = join(logs, 'app.log');
  appendLines(app, seqs, 200);
  await delivered(endpoint, STREAMS.dir, seqs);
  appendLines(app, seqs, 2000);
  renameSync(app, join(logs, 'app.log.gone'));
  mkdirSync(app, { mode: 0o755 });
  appendLines(join(app, 'inner.log'), seqs, 50, { expected: false });
  appendLines(join(logs, 'other.log'), seqs, 200);
  await sleep(holdMillis / 2);
  appendLines(join(logs, 'other.log'), seqs, 100);
  await sleep(holdMillis / 2);
  rmSync(app, { recursive: true });
  appendLines(app, seqs, 200);
  await sleep(500);
  appendLines(app, seqs, 100);
}

/** Permissions removed, new lines written meanwhile, permissions restored. */
async function permissions(endpoint, logs, seqs, holdMillis) {
  const [p1, p2, p3] = ['p1.log', 'p2.log', 'p3.log'].map((name) => join(logs, name));
  appendLines(p1, seqs, 200);
  await delivered(endpoint, STREAMS.perm, seqs);
  chmodSync(p1, 0o000);
  appendLines(p1, seqs, 200);
  appendLines(p2, seqs, 200);
  chmodSync(p2, 0o600);
  await sleep(holdMillis / 2);
  chmodSync(logs, 0o000);
  appendLines(p3, seqs, 200);
  appendLines(p1, seqs, 100);
  await sleep(holdMillis / 2);
  chmodSync(logs, 0o755);
  for (const file of [p1, p2, p3]) chmodSync(file, 0o644);
  await sleep(500);
  for (const file of [p1, p2, p3]) appendLines(file, seqs, 100);
}

/** A line of `bytes` bytes (its `\n` included), written in 1 MiB pieces, with lines around it. */
async function runawayLine(logs, seqs, bytes) {
  const file = join(logs, 'huge.log');
  const line = Buffer.alloc(bytes, 'abcdefghijklmnopqrstuvwxyz0123456789');
  line.write('HUGE ', 0, 'latin1');
  line[bytes - 1] = 0x0a;
  appendLines(file, seqs, 100);
  for (let at = 0; at < bytes; at += MIB) {
    appendFileSync(file, line.subarray(at, Math.min(bytes, at + MIB)));
    await sleep(5);
  }
  appendLines(file, seqs, 100);
  await sleep(500);
  appendLines(file, seqs, 100);
  return line;
}

/**
 * Random bytes in lines (each chunk ends with `\n`, written in two pieces so that lines straddle
 * reads), numbered lines between chunks. Returns the garbage lines' SHA-1 → count.
 */
async function binaryGarbage(logs, seqs, bytes, random) {
  const file = join(logs, 'garbage.log');
  const expected = new Map();
  const add = (line) => {
    const sha1 = createHash('sha1').update(line).digest('hex');
    expected.set(sha1, (expected.get(sha1) ?? 0) + 1);
  };
  // Named troublemakers first: NUL, 0xFF, a lone continuation, an overlong form, a UTF-16 surrogate in UTF-8, CR.
  const crafted = Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x0d, 0x00, 0x0a, 0x0d, 0x0a, 0x0a]);
  let written = 0;
  let lines = 0;
  const chunks = [crafted];
  while (written < bytes) {
    const chunk = Buffer.concat([randomBytes(1 + Math.floor(random() * 65536)), Buffer.from('\n')]);
    chunks.push(chunk);
    written += chunk.length;
  }
  for (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      add(chunk.subarray(start, nl + 1));
      lines += 1;
      start = nl + 1;
    }
    const cut = Math.floor(random() * chunk.length);
    appendFileSync(file, chunk.subarray(0, cut), { mode: 0o644 });
    await sleep(2);
    appendFileSync(file, chunk.subarray(cut));
    appendLines(file, seqs, 5);
  }
  return { expected, lines, bytes: written };
}

/** Received garbage records against the expected lines: lost, extra copies, and records nobody wrote. */
function compareGarbage(others, expected) {
  const received = new Map();
  for (const record of others) received.set(record.sha1, (received.get(record.sha1) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  let delivered = 0;
  for (const [sha1, count] of expected) {
    const got = received.get(sha1) ?? 0;
    lost += Math.max(0, count - got);
    duplicated += Math.max(0, got - count);
    delivered += Math.min(count, got);
  }
  const strangers = others.filter((record) => !expected.has(record.sha1));
  return { lost, duplicated, delivered, strangers };
}

/**
 * @param {{ endpoint: any, random: () => number, log: (line: string) => void }} ctx
 * @param {{ hugeLineBytes: number, garbageBytes: number, holdMillis: number }} params
 */
export async function sourceFaults(ctx, params) {
  const { endpoint, random } = ctx;
  const started = Date.now();
  const dir = tempDir('sources');
  let agent;
  let monitor;
  try {
    const dirs = {};
    for (const [key, stream] of Object.entries(STREAMS)) {
      await endpoint.stream(stream);
      dirs[key] = join(dir.path, key);
      mkdirSync(dirs[key], { mode: 0o755 });
    }
    const dataDir = join(dir.path, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    chownSync(dataDir, NOBODY.uid, NOBODY.gid);
    const config = writeAgentConfig(dir.path, endpoint.url, Object.entries(STREAMS).map(([key, stream]) => ({ name: stream, filePattern: join(dirs[key], '*.log'), kinesisStream: stream })));
    agent = spawnAgent({ config, dataDir, asUser: NOBODY });
    monitor = monitorRss(agent.pid);
    await agent.waitForLog(/started with 4 flow/);
    const seqs = Object.fromEntries(Object.keys(STREAMS).map((key) => [key, new SeqSource()]));
    const [, , hugeLine, garbage] = await Promise.all([
      fileToDirectory(endpoint, dirs.dir, seqs.dir, params.holdMillis),
      permissions(endpoint, dirs.perm, seqs.perm, params.holdMillis),
      runawayLine(dirs.huge, seqs.huge, params.hugeLineBytes),
      binaryGarbage(dirs.binary, seqs.binary, params.garbageBytes, random),
    ]);
    const tallies = {};
    for (const [key, stream] of Object.entries(STREAMS)) tallies[key] = await drain(endpoint, stream, seqs[key].expected, { timeoutMillis: 30_000 });
    const garbageSeen = await waitForGarbage(endpoint, garbage);
    const exit = await agent.stop('SIGTERM');
    monitor.stop();
    const peakRssMB = monitor.peakMB;
    const common = exit === 0 ? [] : [`the agent exited ${exit} on SIGTERM`];
    const seconds = (Date.now() - started) / 1000;
    const rows = [];

    rows.push(resultRow({
      scenario: 'a file replaced by a directory (and back)',
      tally: tallies.dir, peakRssMB, seconds, failures: [...common],
      notes: ['renamed away with 2,000 unread lines, a directory created under its name (its inner file does not match), then a file again; one agent runs the four source scenarios as nobody'],
    }));

    const permFailures = [...common];
    const denied = agent.lines.filter((line) => /permission denied/i.test(line));
    if (!denied.some((line) => /p2\.log/.test(line))) permFailures.push('the unreadable p2.log was not reported in the log');
    rows.push(resultRow({
      scenario: 'permissions removed and restored (agent as nobody)',
      tally: tallies.perm, peakRssMB, seconds, failures: permFailures,
      notes: [`a tailed file chmod 000, a new file 0600, the directory 000, all restored; ${denied.length} "permission denied" log lines`],
    }));

    const huge = await checkRunaway(endpoint, agent, hugeLine);
    rows.push(resultRow({
      scenario: `a ${Math.round(params.hugeLineBytes / MIB)} MiB line`,
      tally: tallies.huge, peakRssMB, seconds, failures: [...common, ...huge.failures], notes: huge.notes,
      written: tallies.huge.written + 1, delivered: tallies.huge.delivered + (huge.ok ? 1 : 0), extraLost: huge.ok ? 0 : 1,
    }));

    const binFailures = [...common];
    const compared = compareGarbage(garbageSeen, garbage.expected);
    if (compared.lost > 0) binFailures.push(`${compared.lost} garbage lines did not arrive byte for byte`);
    if (compared.strangers.length > 0) binFailures.push(`${compared.strangers.length} records that are no line of the file arrived (first: ${compared.strangers[0].length} bytes, ${Buffer.from(compared.strangers[0].data ?? []).subarray(0, 32).toString('hex')}…)`);
    if (compared.duplicated > 0) binFailures.push(`${compared.duplicated} garbage lines arrived more than once (no fault was injected)`);
    rows.push(resultRow({
      scenario: 'binary garbage (NULs, invalid UTF-8, CR)',
      tally: tallies.binary, peakRssMB, seconds, failures: binFailures,
      notes: [`${garbage.lines} lines of random bytes (${(garbage.bytes / MIB).toFixed(1)} MiB) between numbered lines, compared byte for byte (SHA-1 of each record): ${compared.delivered} matched`],
      written: tallies.binary.written + garbage.lines, delivered: tallies.binary.delivered + compared.delivered,
      extraLost: compared.lost, extraDuplicated: compared.duplicated,
    }));
    return rows;
  } finally {
    monitor?.stop();
    if (agent !== undefined && agent.exitValue === undefined) await agent.stop('SIGKILL');
    for (const stream of Object.values(STREAMS)) await endpoint.drop(stream);
    chmodSyncQuiet(dir.path);
    dir.cleanup();
  }
}

/** The garbage lines once as many have arrived as were written (or 10 s passed). */
async function waitForGarbage(endpoint, garbage) {
  const deadline = Date.now() + 10_000;
  let others = await endpoint.others(STREAMS.binary);
  while (others.length < garbage.lines && Date.now() < deadline) {
    await sleep(200);
    others = await endpoint.others(STREAMS.binary);
  }
  return others;
}

/** The runaway line must arrive as one record: its first bytes, cut to the limit, ending with `\n`. */
async function checkRunaway(endpoint, agent, line) {
  const others = await endpoint.others(STREAMS.huge);
  const failures = [];
  const counters = agent.progress(STREAMS.huge)?.counters ?? {};
  const notes = [];
  if (others.length !== 1) {
    failures.push(`expected the runaway line as 1 cut record, got ${others.length} records that are not numbered lines`);
    return { ok: false, failures, notes };
  }
  const [record] = others;
  const data = Buffer.from(record.data ?? []);
  const keyBytes = Buffer.byteLength(record.partitionKey ?? '');
  const expected = Buffer.concat([line.subarray(0, data.length - 1), Buffer.from('\n')]);
  if (data.length + keyBytes !== RECORD_LIMIT) failures.push(`the cut record is ${data.length} bytes + a ${keyBytes}-byte key, not the ${RECORD_LIMIT}-byte limit`);
  if (!data.equals(expected)) failures.push('the cut record is not the first bytes of the line followed by truncatedRecordTerminator');
  if ((counters.skipped?.runawayRemainder ?? 0) < 1) failures.push(`the skipped remainder was not counted (skipped: ${JSON.stringify(counters.skipped)})`);
  if ((counters.recordsTruncated ?? 0) < 1) failures.push('the cut record was not counted in recordsTruncated');
  notes.push(`delivered cut, as the README says: its first ${data.length - 1} bytes + "\\n" (record + ${keyBytes}-byte key = 1 MiB); the read buffer's rest and the ${((line.length - 5 * MIB) / MIB).toFixed(0)} MiB beyond it skipped; counted: skipped.runawayRemainder ${counters.skipped?.runawayRemainder}, recordsTruncated ${counters.recordsTruncated}`);
  return { ok: failures.length === 0, failures, notes };
}

function chmodSyncQuiet(root) {
  for (const key of Object.keys(STREAMS)) {
    try {
      chmodSync(join(root, key), 0o755);
    } catch {
      // already gone
    }
  }
}
