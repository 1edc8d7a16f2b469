import { createServer, type Server } from 'node:http';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ShardlineApp } from '../../src/electron/main/ShardlineApp.js';
import { APP_ENTRY } from '../../src/electron/main/appProtocol.js';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { StreamReader } from '../../src/node/demo/StreamReader.js';
import { writeAgentConfig } from '../support/agentConfig.js';
import { AGENT_HOST, FakeElectron, ICONS_DIR } from '../support/fakeElectron.js';
import { tempDir } from '../support/tempDir.js';
import { buildRenderer, createFlowViaForm, fileRows, flowCard, gotoRoute, launchChromium, screenshot, shownNumber, statValue } from '../support/uiDriver.js';
import { waitFor } from '../support/waitFor.js';

/**
 * The tray app's window, as far as it can run here: the renderer in Chromium, served by the app's
 * real app:// protocol handler (through a loopback bridge, since Chromium has no app: scheme), with
 * the real preload bridge whose IPC goes to the real main-process handlers, the agent in its own
 * process, and kinesalite. The renderer runs unchanged: it finds `window.shardline` and uses IPC.
 */
describe('tray app window over IPC (Chromium, real main-process handlers, kinesalite)', () => {
  let browser: Browser;
  let shim: string;
  let built: { path: string; cleanup: () => Promise<void> };
  let kinesis: LocalKinesis;
  let dir: { path: string; cleanup: () => Promise<void> };
  let electron: FakeElectron;
  let server: Server | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    const bundled = await build({ entryPoints: ['test/support/preloadShim.ts'], bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'warning' });
    shim = bundled.outputFiles[0]!.text;
    // The current renderer sources (never renderer/dist, which a daemon in another test may serve).
    built = await tempDir();
    await buildRenderer(built.path);
  }, 120_000);
  afterAll(async () => {
    await browser.close();
    await built.cleanup();
  });
  afterEach(async () => {
    server?.close();
    for (const utility of electron.utilities) if (utility.exitCode === undefined) utility.kill();
    await kinesis.close();
    await dir.cleanup();
  });

  it('shows the running flow with rising counters, pauses and resumes it, lists its files, and adds a flow that delivers', async () => {
    kinesis = await startKinesalite();
    dir = await tempDir();
    await kinesis.createStream('desk', 1);
    await kinesis.createStream('second', 1);
    const logs = join(dir.path, 'logs');
    await mkdir(logs);
    const log = join(logs, 'desk.log');
    await writeFile(log, 'hello from the desktop\n');
    const config = await writeAgentConfig(dir.path, kinesis.endpoint, { name: 'desk-logs', filePattern: join(logs, 'desk*.log'), kinesisStream: 'desk' });
    electron = new FakeElectron(dir.path);
    const app = await ShardlineApp.start({
      electron, argv: ['--config', config, '--data-dir', join(dir.path, 'data')],
      paths: { agentHost: AGENT_HOST, preload: '/unused/preload.cjs', rendererDir: built.path, iconsDir: ICONS_DIR },
      env: { ...process.env }, stderr: () => undefined, onSignal: () => undefined, trayAvailable: async () => true,
    });
    const window = electron.window!;

    // app:// → loopback HTTP, answered by the app's own protocol handler (headers included).
    const serve = electron.protocols.get('app')!;
    server = createServer((req, res) => {
      void serve(new Request(`app://shardline${req.url ?? '/'}`)).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, serviceWorkers: 'block' });
    const consoleErrors: string[] = [];
    const foreign: string[] = [];
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith(origin)) return route.continue();
      foreign.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    // The page's IPC reaches the real handlers as if sent by the window's top frame on app://.
    await context.exposeBinding('__shardlineInvoke', (_source, channel: string, args: unknown[]) =>
      electron.invoke(channel, { senderId: window.webContents.id, frame: { url: APP_ENTRY, isMainFrame: true } }, ...args));
    await context.addInitScript({ content: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));\n${shim}` });
    const page = await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
    window.webContents.forward = (channel, payload) => {
      void page.evaluate(([c, p]) => (window as unknown as { __shardlineEmit: (c: string, p: unknown) => void }).__shardlineEmit(c as string, p), [channel, payload] as const).catch(() => undefined);
    };
    await page.goto(`${origin}/index.html`);

    // Overview over IPC: no token screen; the flow runs and its counters rise.
    const card = flowCard(page, 'desk-logs');
    await card.waitFor({ timeout: 30_000 }).catch(async (error: unknown) => { await screenshot(page, 'tray-window-debug'); throw new Error(`${(error as Error).message}\nconsole: ${consoleErrors.join('\n')}\npage: ${await page.locator('body').innerText()}`); });
    await expect.poll(() => card.innerText(), { timeout: 30_000 }).toContain('Running');
    // The card shows rates: keep writing while watching them rise above zero.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        await appendFile(log, Array.from({ length: 50 }, (_, j) => `line ${i}-${j}\n`).join(''));
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    await expect.poll(async () => shownNumber(await statValue(card, 'Records sent')), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => shownNumber(await statValue(card, 'Lines read')), { timeout: 20_000 }).toBeGreaterThan(0);
    writing = false;
    await writer;
    await screenshot(page, 'tray-window-overview');

    // Pause from the window: the agent pauses and the tray follows.
    await card.getByRole('button', { name: /Pause/ }).click();
    await expect.poll(() => card.innerText(), { timeout: 15_000 }).toContain('Paused');
    await waitFor(() => electron.tray!.image.endsWith('tray-warning.png'), 5000);
    await card.getByRole('button', { name: /Resume/ }).click();
    await expect.poll(() => card.innerText(), { timeout: 15_000 }).toContain('Running');
    await waitFor(() => electron.tray!.image.endsWith('tray-ok.png'), 5000);

    // Files over IPC.
    await gotoRoute(page, 'files');
    await expect.poll(async () => (await fileRows(page)).flat().join(' '), { timeout: 10_000 }).toContain('desk.log');

    // A new flow through the form, saved over IPC, delivers.
    await writeFile(join(logs, 'second.log'), 'from the second flow\n');
    const created = await createFlowViaForm(page, { name: 'second-flow', filePattern: join(logs, 'second*.log'), destination: 'kinesis', stream: 'second', fields: { initialPosition: 'START_OF_FILE', maxBufferAgeMillis: '1000' } });
    expect(created.result).toMatch(/Added/);
    const reader = new StreamReader(kinesis.client, 'second');
    const got: string[] = [];
    await waitFor(async () => { got.push(...(await reader.poll()).map((r) => Buffer.from(r).toString())); return got.length > 0; }, 30_000);
    expect(got).toEqual(['from the second flow\n']);
    expect(JSON.parse(await readFile(config, 'utf8')).flows).toHaveLength(2);
    await gotoRoute(page, 'overview');
    await flowCard(page, 'second-flow').waitFor();
    await screenshot(page, 'tray-window-two-flows');

    expect(consoleErrors).toEqual([]);
    expect(foreign).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    await context.close();
    await app.quit();
    expect(await electron.utilities[0]!.exited).toBe(0);
  });
});
