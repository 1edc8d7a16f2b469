#!/usr/bin/env node
// `npm run electron:smoke`: launches the REAL tray app (Electron binary) twice against kinesalite on
// 127.0.0.1 — once `--headless` (ships a line, stops on SIGTERM with exit 0) and once with its window
// (`--smoke-test`: window loaded, agent running, quits by itself). It needs the Electron binary, which
// Electron ≥ 42 downloads on first use (internet), and a display for the window run (on a headless
// Linux box: `xvfb-run -a npm run electron:smoke`). Where there is no binary it says so and exits 2.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKinesalite } from '../dist/node/demo/startKinesalite.js';
import { StreamReader } from '../dist/node/demo/StreamReader.js';

const require = createRequire(import.meta.url);
let electronPath;
try {
  electronPath = require('electron'); // the binary's path; Electron ≥ 42 fetches it here the first time
} catch (error) {
  process.stderr.write(`electron:smoke: the Electron binary is not available here (${error.message}).\nRun it on a machine with internet access once (Electron downloads itself on first use).\n`);
  process.exit(2);
}

const main = 'dist-electron/main.mjs';
const dir = mkdtempSync(join(tmpdir(), 'shardline-smoke-'));
const kinesis = await startKinesalite();
const failures = [];
try {
  await kinesis.createStream('smoke', 1);
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'logs', 'smoke.log'), 'hello from the real Electron\n');
  const config = join(dir, 'agent.json');
  writeFileSync(config, JSON.stringify({
    'kinesis.endpoint': kinesis.endpoint, 'kinesis.region': 'us-east-1', awsAccessKeyId: 'smoke', awsSecretAccessKey: 'smoke',
    'cloudwatch.emitMetrics': false, control: { host: '127.0.0.1', port: 0 },
    flows: [{ filePattern: join(dir, 'logs', '*.log'), kinesisStream: 'smoke', initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000 }],
  }));
  const env = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', ELECTRON_ENABLE_LOGGING: '1' };

  // 1. --headless: no window, ships the line, SIGTERM → exit 0.
  const headless = spawn(electronPath, [main, '--headless', '--config', config, '--data-dir', join(dir, 'data-headless')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const headlessExit = new Promise((resolve) => headless.on('exit', (code) => resolve(code)));
  const reader = new StreamReader(kinesis.client, 'smoke');
  const got = [];
  for (let i = 0; i < 120 && got.length === 0; i++) {
    got.push(...(await reader.poll()).map((r) => Buffer.from(r).toString()));
    await new Promise((r) => setTimeout(r, 500));
  }
  headless.kill('SIGTERM');
  const code = await headlessExit;
  if (got[0] !== 'hello from the real Electron\n') failures.push(`--headless shipped ${JSON.stringify(got)}`);
  if (code !== 0) failures.push(`--headless exited ${code}`);
  process.stdout.write(`headless: ${got.length} record(s), exit ${code}\n`);

  // 2. The desktop app: window + tray + agent, then quits by itself.
  const desktop = spawn(electronPath, [main, '--smoke-test', '--config', config, '--data-dir', join(dir, 'data-desktop')], { env, stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  desktop.stderr.on('data', (chunk) => { stderr += chunk; process.stderr.write(chunk); });
  const timer = setTimeout(() => desktop.kill('SIGKILL'), 60_000);
  const desktopCode = await new Promise((resolve) => desktop.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (desktopCode !== 0 || !/smoke test: ok/.test(stderr)) failures.push(`desktop run exited ${desktopCode}`);
  process.stdout.write(`desktop: exit ${desktopCode}\n`);
} finally {
  await kinesis.close();
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(failures.length === 0 ? 'electron:smoke: ok\n' : `electron:smoke: FAILED\n${failures.join('\n')}\n`);
process.exit(failures.length === 0 ? 0 : 1);
