import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShardlineApp } from '../../src/electron/main/ShardlineApp.js';
import { APP_ENTRY } from '../../src/electron/main/appProtocol.js';
import { LoginItem } from '../../src/electron/main/LoginItem.js';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { StreamReader } from '../../src/node/demo/StreamReader.js';
import { ipcChannel } from '../../src/shared/control/ipcContract.js';
import type { AgentStatus } from '../../src/shared/control/controllerApi.js';
import { writeAgentConfig } from '../support/agentConfig.js';
import { AGENT_HOST, FakeElectron, ICONS_DIR, RENDERER_DIR } from '../support/fakeElectron.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

/**
 * The tray app's real main-process modules under Node, against a fake Electron (the binary cannot
 * run here), with the real agent core in a real child process and kinesalite (issue 7).
 */
describe('tray app main process (fake Electron, real agent process, kinesalite)', () => {
  let kinesis: LocalKinesis;
  let dir: { path: string; cleanup: () => Promise<void> };
  let electron: FakeElectron;
  let app: ShardlineApp | undefined;
  const signals = new Map<string, () => void>();
  const stderr: string[] = [];

  beforeEach(async () => {
    kinesis = await startKinesalite();
    dir = await tempDir();
    electron = new FakeElectron(dir.path);
    signals.clear();
    stderr.length = 0;
  });
  afterEach(async () => {
    for (const utility of electron.utilities) if (utility.exitCode === undefined) utility.kill();
    app = undefined;
    await kinesis.close();
    await dir.cleanup();
  });

  async function setup(stream = 'app'): Promise<{ config: string; log: string }> {
    await kinesis.createStream(stream, 1);
    const logs = join(dir.path, 'logs');
    await mkdir(logs, { recursive: true });
    const log = join(logs, 'app.log');
    await writeFile(log, 'first line\nsecond line\n');
    const config = await writeAgentConfig(dir.path, kinesis.endpoint, { filePattern: join(logs, '*.log'), kinesisStream: stream });
    return { config, log };
  }

  function start(argv: string[], extra: { trayAvailable?: boolean } = {}): Promise<ShardlineApp> {
    return ShardlineApp.start({
      electron,
      argv,
      paths: { agentHost: AGENT_HOST, preload: '/app/dist-electron/preload.cjs', rendererDir: RENDERER_DIR, iconsDir: ICONS_DIR },
      env: { ...process.env, XDG_CONFIG_HOME: join(dir.path, 'xdg') },
      stderr: (line) => stderr.push(line),
      onSignal: (signal, handler) => { signals.set(signal, handler); },
      trayAvailable: async () => extra.trayAvailable ?? true,
      loginItem: new LoginItem('linux', electron.loginItem, { XDG_CONFIG_HOME: join(dir.path, 'xdg') }, dir.path, electron.execPath),
    });
  }

  const windowEvent = () => ({ senderId: electron.window!.webContents.id, frame: { url: APP_ENTRY, isMainFrame: true } });
  const call = async (method: string, ...args: unknown[]) => electron.invoke(ipcChannel(method as never), windowEvent(), ...args) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  const status = async () => ((await call('status')).value ?? { flows: [] }) as AgentStatus;
  const records = async (reader: StreamReader, into: string[]) => { into.push(...(await reader.poll()).map((r) => Buffer.from(r).toString('utf8').replace(/\n$/, ''))); return into; };

  it('desktop: one tray whose icon and menu follow the agent; a secure window on app://; IPC checks its sender and arguments', async () => {
    const { config, log } = await setup();
    app = await start(['--config', config, '--data-dir', join(dir.path, 'data')]);
    const tray = electron.tray!;
    expect(electron.trays).toHaveLength(1);
    expect(electron.schemes).toEqual(['app']);
    expect(electron.permissionsDenied).toBe(true);
    await waitFor(() => tray.image.endsWith('tray-ok.png'), 30_000, () => `tray stayed ${tray.image} (${tray.tooltip}); agent output:\n${electron.utilities[0]?.output}`);
    expect(tray.tooltip).toBe('Shardline: 1 flow: 1 running');
    expect(tray.labels()).toEqual([
      'Open Shardline', '---', '1 flow: 1 running', `kinesis:app:${join(dir.path, 'logs', '*.log')} — running`, '  Pause', '---', 'Pause all', 'Resume all', '---', 'Start at login', '---', 'Quit Shardline',
    ]);
    expect(tray.item('Resume all')?.enabled).toBe(false);

    // The window: shown at start (not --hidden), secure options, app:// entry, navigation refused.
    const window = electron.window!;
    expect(window.shown).toBe(true);
    expect(window.webContents.url).toBe('app://shardline/index.html');
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false, preload: '/app/dist-electron/preload.cjs' });
    expect(window.options.show).toBe(false);
    expect(window.webContents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(window.webContents.allowsNavigation('https://example.com/')).toBe(false);
    expect(window.webContents.allowsNavigation('file:///etc/passwd')).toBe(false);
    expect(window.webContents.allowsNavigation('app://shardline/index.html#/flows')).toBe(true);
    expect(window.webContents.allowsRedirect('http://127.0.0.1:1/')).toBe(false);
    expect(window.webContents.allowsWebview()).toBe(false);

    // IPC from the window's top frame works and its replies are checked.
    const reader = new StreamReader(kinesis.client, 'app');
    await waitFor(async () => (await records(reader, [])).length > 0 || (await status()).flows[0]!.counters.recordsSent >= 2, 30_000);
    const ok = await call('status');
    expect(ok.ok).toBe(true);
    expect((ok.value as AgentStatus).flows[0]!.counters.linesRead).toBeGreaterThanOrEqual(2);
    // Refused: another webContents, a sub-frame, a page that is not the app, a frame gone.
    const refusals = [
      { senderId: window.webContents.id + 1, frame: { url: APP_ENTRY, isMainFrame: true } },
      { senderId: window.webContents.id, frame: { url: APP_ENTRY, isMainFrame: false } },
      { senderId: window.webContents.id, frame: { url: 'https://evil.example/', isMainFrame: true } },
      { senderId: window.webContents.id, frame: null },
    ];
    for (const event of refusals) {
      const reply = await electron.invoke(ipcChannel('pauseFlow'), event, (ok.value as AgentStatus).flows[0]!.id) as { ok: boolean; error: { code: string } };
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect((await status()).flows[0]!.state).toBe('running');
    // Invalid arguments never reach the agent.
    for (const args of [[42], [], [{ id: 'x' }], ['']]) {
      expect(await call('pauseFlow', ...args)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    }
    expect(await call('preview', { flow: {}, lines: 5000 })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect((await status()).flows[0]!.state).toBe('running');
    // A controller error keeps its code and status (the UI handles 404 as over HTTP).
    expect(await call('pauseFlow', 'kinesis:nope:/x')).toMatchObject({ ok: false, error: { code: 'NotFound', status: 404 } });
    // Status is pushed to the window each second.
    await waitFor(() => window.webContents.sent.some((m) => m.channel === 'shardline:status-event'), 5000);

    // The protocol serves the renderer with the app's CSP, and nothing outside it.
    const serve = electron.protocols.get('app')!;
    const index = await serve(new Request('app://shardline/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("connect-src 'none'");
    expect(await index.text()).toContain('<div id="app">');
    for (const url of ['app://shardline/../../../etc/passwd', 'app://shardline/%2e%2e/%2e%2e/etc/passwd', 'app://other/index.html', 'app://shardline/%00']) {
      expect((await serve(new Request(url))).status, url).toBe(404);
    }

    // Menu actions act on the real agent: pause all stops delivery, resume all delivers what waited.
    tray.item('Pause all')!.click!();
    await waitFor(async () => (await status()).flows.every((f) => f.state === 'paused'), 15_000);
    await waitFor(() => tray.image.endsWith('tray-warning.png') && tray.item('Resume all')?.enabled === true, 5000);
    expect(tray.tooltip).toBe('Shardline: 1 flow: 1 paused');
    const before = (await status()).flows[0]!.counters.linesRead;
    await appendFile(log, 'written while paused\n');
    await new Promise((r) => setTimeout(r, 2500));
    expect((await status()).flows[0]!.counters.linesRead).toBe(before);
    tray.item('Resume all')!.click!();
    await waitFor(async () => (await status()).flows[0]!.counters.recordsSent >= 3, 30_000);
    await waitFor(() => tray.image.endsWith('tray-ok.png'), 5000);

    // Start at login writes an XDG autostart entry, and unticking removes it.
    tray.item('Start at login')!.click!();
    await waitFor(() => tray.item('Start at login')?.checked === true, 5000);
    const desktop = await readFile(join(dir.path, 'xdg', 'autostart', 'shardline.desktop'), 'utf8');
    expect(desktop).toContain('Exec=/opt/Shardline/shardline --hidden');
    tray.item('Start at login')!.click!();
    await waitFor(() => tray.item('Start at login')?.checked === false, 5000);

    // A second launch shows the existing window instead of starting another app.
    window.shown = false;
    electron.startSecondInstance();
    await waitFor(() => window.shown, 2000);

    // Quit drains and checkpoints: a line read but still buffered (maxBufferAgeMillis 1 s) is sent,
    // then the final checkpoint is written and the agent process exits 0.
    const read = (await status()).flows[0]!.counters.linesRead;
    await appendFile(log, 'last line before quit\n');
    await waitFor(async () => (await status()).flows[0]!.counters.linesRead === read + 1, 10_000);
    tray.item('Quit Shardline')!.click!();
    await waitFor(() => tray.item(/^Quitting/) !== undefined, 2000);
    expect(window.destroyed).toBe(true);
    await electron.ended;
    expect(electron.quitCount).toBe(1);
    expect(await electron.utilities[0]!.exited).toBe(0);
    expect(tray.destroyed).toBe(true);
    const size = (await readFile(log)).length;
    const checkpoints = JSON.parse(await readFile(join(dir.path, 'data', 'checkpoints.json'), 'utf8')) as { flows: Record<string, { files: Record<string, { offset: number }> }> };
    const offsets = Object.values(checkpoints.flows).flatMap((f) => Object.values(f.files).map((file) => file.offset));
    expect(offsets).toEqual([size]);
    const all = await records(new StreamReader(kinesis.client, 'app'), []);
    for (const line of ['first line', 'second line', 'written while paused', 'last line before quit']) expect(all.filter((r) => r === line)).toHaveLength(1);
  });

  it('--headless: no tray, no window; ships records; SIGTERM drains, checkpoints and exits 0', async () => {
    const { config, log } = await setup('headless');
    app = await start(['--headless', '--config', config, '--data-dir', join(dir.path, 'data')]);
    const reader = new StreamReader(kinesis.client, 'headless');
    const got: string[] = [];
    await waitFor(async () => (await records(reader, got)).length >= 2, 30_000, () => `records: ${got.length}; agent output:\n${electron.utilities[0]?.output}`);
    await appendFile(log, 'third line\n');
    await waitFor(async () => (await records(reader, got)).length >= 3, 30_000);
    expect(got).toEqual(['first line', 'second line', 'third line']);
    expect(electron.trays).toHaveLength(0);
    expect(electron.windows).toHaveLength(0);
    expect(electron.ipcHandlers.size).toBe(0);
    expect(electron.protocols.size).toBe(0);
    signals.get('SIGTERM')!();
    await electron.ended;
    expect(electron.exitCode).toBe(0);
    expect(await electron.utilities[0]!.exited).toBe(0);
    const checkpoints = JSON.parse(await readFile(join(dir.path, 'data', 'checkpoints.json'), 'utf8')) as { flows: Record<string, { files: Record<string, { offset: number }> }> };
    expect(Object.values(checkpoints.flows).flatMap((f) => Object.values(f.files).map((file) => file.offset))).toEqual([(await readFile(log)).length]);
  });

  it('--headless with a bad config exits 2 with the problem on stderr, like `shardline run`', async () => {
    const config = join(dir.path, 'agent.json');
    await writeFile(config, JSON.stringify({ flows: [{ filePattern: '/tmp/x.log', kinesisStream: 's', maxBufferSizeRecords: 900 }] }));
    app = await start(['--headless', '-c', config, '--data-dir', join(dir.path, 'data')]);
    await electron.ended;
    expect(electron.exitCode).toBe(2);
    expect(stderr.join('\n')).toMatch(/maxBufferSizeRecords/);
    expect(electron.trays).toHaveLength(0);
  });

  it('--smoke-test (npm run electron:smoke): opens the window, waits for the agent, reports and quits cleanly', async () => {
    const { config } = await setup('smoke');
    app = await start(['--smoke-test', '--config', config, '--data-dir', join(dir.path, 'data')]);
    await electron.ended;
    expect(stderr.join('\n')).toMatch(/^smoke test: ok: window open, tray shown, agent running 1 flow\(s\)$/m);
    expect(electron.quitCount).toBe(1);
    expect(await electron.utilities[0]!.exited).toBe(0);
  });

  it('a crashed agent process (kill -9) is started again and goes on from its checkpoints', async () => {
    const { config, log } = await setup('crash');
    app = await start(['--config', config, '--data-dir', join(dir.path, 'data')]);
    const tray = electron.tray!;
    await waitFor(async () => (await status()).flows[0]?.counters.recordsSent === 2, 30_000, () => electron.utilities[0]?.output ?? '');
    await new Promise((r) => setTimeout(r, 600)); // a checkpoint interval (200 ms) or two
    electron.utilities[0]!.child.kill('SIGKILL');
    await waitFor(() => tray.image.endsWith('tray-error.png'), 5000);
    expect(tray.tooltip).toMatch(/not running: the agent process ended unexpectedly/);
    expect(electron.notifications).toEqual([{ title: 'Shardline is not running', body: expect.stringMatching(/ended unexpectedly/) as string }]);
    await waitFor(() => electron.utilities.length === 2 && tray.image.endsWith('tray-ok.png'), 15_000, () => `${tray.tooltip}\n${electron.utilities[1]?.output}`);
    expect(stderr.join('\n')).toMatch(/starting it again in 1 s/);
    await appendFile(log, 'after the crash\n');
    const got = await records(new StreamReader(kinesis.client, 'crash'), []);
    await waitFor(async () => (await records(new StreamReader(kinesis.client, 'crash'), [])).includes('after the crash'), 30_000);
    expect(got.filter((line) => line === 'first line')).toHaveLength(1);
    await app.quit();
    expect(await electron.utilities[1]!.exited).toBe(0);
  });

  it('a second instance quits at once and starts no agent', async () => {
    electron.singleInstance = false;
    app = await start([]);
    expect(electron.quitCount).toBe(1);
    expect(electron.utilities).toHaveLength(0);
    expect(electron.trays).toHaveLength(0);
  });

  it('without a tray (stock GNOME) the window opens even with --hidden, and closing it quits after draining', async () => {
    const { config } = await setup('notray');
    app = await start(['--hidden', '--config', config, '--data-dir', join(dir.path, 'data')], { trayAvailable: false });
    expect(electron.trays).toHaveLength(0);
    expect(electron.window?.shown).toBe(true);
    await waitFor(async () => (await status()).flows[0]?.counters.recordsSent === 2, 30_000, () => electron.utilities[0]?.output ?? '');
    electron.window!.close();
    await electron.ended;
    expect(electron.quitCount).toBe(1);
    expect(await electron.utilities[0]!.exited).toBe(0);
  });

  it('first run: a starter config with a paused example flow in userData; a bad config shows why in the tray and can be retried', async () => {
    app = await start(['--hidden', '--data-dir', join(dir.path, 'data')]);
    const starter = JSON.parse(await readFile(join(dir.path, 'electron-userData', 'agent.json'), 'utf8')) as { flows: { paused: boolean }[] };
    expect(starter.flows).toEqual([expect.objectContaining({ paused: true, kinesisStream: 'my-stream' })]);
    expect(electron.window).toBeUndefined();
    const tray = electron.tray!;
    await waitFor(() => tray.tooltip === 'Shardline: 1 flow: 1 paused', 30_000, () => `${tray.tooltip}\n${electron.utilities[0]?.output}`);
    expect(tray.image).toMatch(/tray-warning\.png$/);
    await app.quit();

    // A broken file: the agent process cannot start; the tray says why and offers a retry.
    const broken = new FakeElectron(dir.path);
    electron = broken;
    await writeFile(join(dir.path, 'electron-userData', 'agent.json'), '{ "flows": [ { "kinesisStream": "s" } ] }');
    app = await start(['--hidden', '--data-dir', join(dir.path, 'data')]);
    await waitFor(() => broken.tray!.image.endsWith('tray-error.png'), 30_000);
    expect(broken.tray!.tooltip).toMatch(/^Shardline: not running: .*filePattern/);
    expect(broken.notifications).toEqual([{ title: 'Shardline is not running', body: expect.stringMatching(/filePattern/) as string }]);
    expect(broken.tray!.item('Start the agent again')).toBeDefined();
    expect(broken.tray!.item('Pause all')?.enabled).toBe(false);
    const reply = await broken.invoke(ipcChannel('status'), { senderId: -1, frame: null });
    expect(reply).toMatchObject({ ok: false });
    await writeFile(join(dir.path, 'electron-userData', 'agent.json'), JSON.stringify(starter));
    broken.tray!.item('Start the agent again')!.click!();
    await waitFor(() => broken.tray!.image.endsWith('tray-warning.png'), 30_000);
    await app.quit();
  });
});
