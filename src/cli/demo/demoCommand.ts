import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { apacheLogLine } from '../../node/demo/apacheLogGenerator.js';
import { startKinesalite } from '../../node/demo/startKinesalite.js';
import { StreamReader } from '../../node/demo/StreamReader.js';
import { EXIT_FAILURE, EXIT_OK } from '../exitCodes.js';

const STREAM = 'shardline-demo';
const BIN = fileURLToPath(new URL('../../../bin/shardline.js', import.meta.url));

export interface DemoOptions {
  duration?: number | undefined;
  linesPerSecond: number;
}

/**
 * `shardline demo` (DESIGN §7): kinesalite on 127.0.0.1, a stream with 2 shards, a generator of
 * Apache combined log lines, the agent as a child process, and a reader that counts the records
 * arriving in the stream. Ctrl-C (or --duration) stops everything cleanly.
 */
export async function demoCommand(options: DemoOptions): Promise<number> {
  const work = await mkdtemp(join(tmpdir(), 'shardline-demo-'));
  const logs = join(work, 'logs');
  await mkdir(logs);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const kinesis = await startKinesalite();
  await kinesis.createStream(STREAM, 2);
  const configPath = join(work, 'agent.json');
  await writeFile(configPath, JSON.stringify(demoConfig(kinesis.endpoint, logs), null, 2));
  say(`Shardline demo — everything on 127.0.0.1, no AWS account needed.`);
  say(`  Kinesis endpoint  ${kinesis.endpoint} (kinesalite), stream "${STREAM}" with 2 shards`);
  say(`  log file          ${join(logs, 'access.log')} (${options.linesPerSecond} Apache lines/s)`);
  say(`  agent config      ${configPath}`);
  say(`  agent log         ${join(work, 'agent.log')}`);
  say(`Press Ctrl-C to stop.\n`);

  const agent = startAgent(configPath, join(work, 'data'), join(work, 'agent.log'));
  void Promise.race([agent.uiUrl, new Promise<undefined>((r) => { setTimeout(() => r(undefined), 10_000).unref(); })]).then(async (url) => {
    if (url === undefined) return;
    const token = (await readFile(join(work, 'data', 'control.token'), 'utf8')).trim();
    say(`  web UI            ${url}#token=${token}  (open it in a browser)\n`);
  }).catch(() => undefined);
  const reader = new StreamReader(kinesis.client, STREAM);
  let written = 0;
  let readBack = 0;
  let last = '';
  const started = Date.now();
  const generator = setInterval(() => {
    const count = Math.max(1, Math.round(options.linesPerSecond / 10));
    const lines = Array.from({ length: count }, () => apacheLogLine(++written, new Date()));
    void appendFile(join(logs, 'access.log'), lines.join(''));
  }, 100);

  const stopRequested = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('Ctrl-C'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    if (options.duration !== undefined) setTimeout(() => resolve(`${options.duration} s elapsed`), options.duration * 1000).unref();
  });
  const report = async () => {
    const records = await reader.poll();
    readBack += records.length;
    const latest = records.at(-1);
    if (latest !== undefined) last = Buffer.from(latest).toString('utf8').trimEnd();
    const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(3);
    say(`[${seconds}s] lines written ${String(written).padStart(7)} | records sent ${String(agent.sent).padStart(7)} | records read back from the stream ${String(readBack).padStart(7)}`);
    if (latest !== undefined) say(`       latest record: ${last.slice(0, 110)}${last.length > 110 ? '…' : ''}`);
  };
  const ticker = setInterval(() => void report().catch((error: unknown) => say(`reader: ${(error as Error).message}`)), 2000);

  const reason = await Promise.race([stopRequested, agent.exited.then((code) => `the agent exited (${code})`)]);
  clearInterval(generator);
  clearInterval(ticker);
  say(`\nStopping (${reason}): waiting for the last records…`);
  const deadline = Date.now() + 15_000;
  while (readBack < written && Date.now() < deadline && agent.running()) {
    await new Promise((r) => setTimeout(r, 500));
    readBack += (await reader.poll()).length;
  }
  const agentCode = await agent.stop();
  await kinesis.close();
  say(`Lines written ${written}, records read back ${readBack}: ${readBack >= written ? 'every line arrived.' : 'some lines did not arrive in time.'}`);
  say(`Agent exited with code ${agentCode}. Work files: ${work}`);
  if (readBack >= written && agentCode === 0) {
    await rm(work, { recursive: true, force: true });
    return EXIT_OK;
  }
  return EXIT_FAILURE;
}

function demoConfig(endpoint: string, logs: string) {
  return {
    'kinesis.endpoint': endpoint,
    'kinesis.region': 'us-east-1',
    awsAccessKeyId: 'demo',
    awsSecretAccessKey: 'demo',
    'cloudwatch.emitMetrics': false,
    'log.statusReportingPeriodSeconds': 1,
    // The web UI on a free loopback port (printed with its token once the agent is up).
    control: { host: '127.0.0.1', port: 0 },
    flows: [{ name: 'demo-access-log', filePattern: `${logs}/access*.log`, kinesisStream: STREAM, initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000 }],
  };
}

/** The agent as a child process; its JSON logs go to a file, its progress lines feed the counter. */
function startAgent(configPath: string, dataDir: string, logFile: string) {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'run', '-c', configPath, '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    detached: process.platform !== 'win32', // Ctrl-C reaches the demo, which then stops the agent itself
  });
  const log = createWriteStream(logFile);
  const state = { sent: 0, exitCode: undefined as number | undefined };
  let announceUi: (url: string) => void = () => undefined;
  const uiUrl = new Promise<string>((resolve) => { announceUi = resolve; });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => { state.exitCode = code ?? 1; resolve(state.exitCode); }));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    log.write(`${line}\n`);
    const ui = /web UI and control API at (http:\/\/\S+?\/) /.exec(line);
    if (ui?.[1] !== undefined) announceUi(ui[1]);
    if (!line.includes('Tailer Progress')) return;
    try {
      state.sent = (JSON.parse(line) as { counters: { recordsSent: number } }).counters.recordsSent;
    } catch {
      // not a JSON line
    }
  });
  return {
    uiUrl,
    get sent() { return state.sent; },
    exited,
    running: () => state.exitCode === undefined,
    async stop(): Promise<number> {
      if (state.exitCode === undefined) child.kill('SIGTERM');
      const code = await exited;
      log.end();
      return code;
    },
  };
}
