import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { writeAgentConfig } from '../support/agentConfig.js';
import { multiset, readRecords } from '../support/streamRecords.js';
import { tempDir } from '../support/tempDir.js';
import { STOCK_JAVA_AGENT_JSON_URL, waitFor } from '../support/waitFor.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
// No NODE_PATH, and a working directory with no node_modules above it: only what is in the file runs.
const ENV = { ...process.env, NODE_PATH: '', AWS_EC2_METADATA_DISABLED: 'true' };

/**
 * The single-file bundle (`npm run bundle`), built into a temporary directory outside the repository
 * and run from there: it needs no node_modules, no dist/ and no package.json (DESIGN: servers need no
 * Electron and no npm).
 */
describe('single-file bundle: node shardline.mjs, away from the repository', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let app: string;
  let bundle: string;
  let kinesis: LocalKinesis;

  const shardline = (args: string[]) => {
    const result = spawnSync(process.execPath, [bundle, ...args], { cwd: app, env: ENV, encoding: 'utf8' });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    dir = await tempDir('shardline-bundle-');
    app = join(dir.path, 'app');
    const built = spawnSync(process.execPath, [join(REPO, 'scripts', 'bundle.mjs'), '--outdir', app], { cwd: REPO, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`npm run bundle failed: ${built.stderr}${built.stdout}`);
    bundle = join(app, 'shardline.mjs');
    kinesis = await startKinesalite();
  }, 60_000);
  afterAll(async () => {
    await kinesis?.close();
    await dir?.cleanup();
  });

  it('is one JavaScript file with the web UI beside it, somewhere no node_modules can be found', () => {
    for (let at = app; ; at = dirname(at)) {
      expect(existsSync(join(at, 'node_modules')), `${at}/node_modules`).toBe(false);
      if (dirname(at) === at) break;
    }
    const files = readdirSync(app, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(app, f)).isFile());
    expect(files.filter((f) => /\.(m?js|cjs)$/.test(f) && !f.startsWith('renderer/'))).toEqual(['shardline.mjs']);
    expect(files).toContain('renderer/index.html');
    expect(files).toContain('sql-wasm.wasm'); // sql.js reads the Java agent's checkpoints
  });

  it('--version prints the package version', () => {
    expect(shardline(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('validate reads the stock Java agent.json', () => {
    const { code, stdout } = shardline(['validate', '-c', fileURLToPath(STOCK_JAVA_AGENT_JSON_URL)]);
    expect(code).toBe(0);
    expect(stdout).toContain('valid, 2 flow(s)');
  });

  it('migrate --dry-run reads a Java agent checkpoint database (sql.js finds its .wasm beside the bundle)', async () => {
    const base = join(dir.path, 'migrate');
    await mkdir(join(base, 'logs'), { recursive: true });
    const log = join(base, 'logs', 'app.log');
    await writeFile(log, 'sent\nnot yet\n');
    const stats = statSync(log, { bigint: true });
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('create table FILE_CHECKPOINTS(flow text, path text, fileId text, lastModifiedTime bigint, size bigint, offset bigint, lastUpdated datetime, primary key (flow, path))');
    db.run('insert into FILE_CHECKPOINTS values(?,?,?,?,?,?,?)', [`kinesis:s:${join(base, 'logs', '*.log')}`, log, `(dev=${stats.dev.toString(16)},ino=${stats.ino})`, Math.floor(Number(stats.mtimeMs)), 13, 5, '2026-01-01 00:00:00.000']);
    await writeFile(join(base, 'java.db'), db.export());
    db.close();
    const config = await writeAgentConfig(base, 'http://127.0.0.1:9', { filePattern: join(base, 'logs', '*.log'), kinesisStream: 's' }, { checkpointFile: join(base, 'java.db') });
    const { code, stdout, stderr } = shardline(['migrate', '--dry-run', '-c', config, '--data-dir', join(base, 'data')]);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toContain(`resume: ${log} at offset 5 of 13 bytes`);
  });

  it('run ships lines to Kinesis from its worker thread, serves the web UI, and stops on SIGTERM with exit 0', async () => {
    const base = join(dir.path, 'run');
    await mkdir(join(base, 'logs'), { recursive: true });
    const log = join(base, 'logs', 'app.log');
    const lines = Array.from({ length: 300 }, (_, i) => Buffer.from(`bundle line ${i} ${'x'.repeat(i % 40)}\n`));
    await writeFile(log, Buffer.concat(lines));
    await kinesis.createStream('bundle', 1);
    const config = await writeAgentConfig(base, kinesis.endpoint, { filePattern: join(base, 'logs', '*.log'), kinesisStream: 'bundle' });
    const child = spawn(process.execPath, [bundle, 'run', '-c', config, '--data-dir', join(base, 'data')], { cwd: app, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: string[] = [];
    const stderr: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
    createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
    const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    try {
      const records = await readRecords(kinesis, 'bundle', lines.length, 30_000);
      expect(multiset(records)).toEqual(multiset(lines));

      const uiUrl = () => stdout.map((l) => (JSON.parse(l) as { url?: string }).url).find((u) => u !== undefined);
      await waitFor(() => uiUrl() !== undefined, 10_000, () => `the web UI address in the log; stderr: ${stderr.join('\n')}`);
      const page = await fetch(uiUrl()!);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, stderr.join('\n')).toBe(0);
  });
});
