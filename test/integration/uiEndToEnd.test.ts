import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKinesalite, type LocalKinesis } from '../../src/node/demo/startKinesalite.js';
import { StreamReader } from '../../src/node/demo/StreamReader.js';
import { BIN, spawnShardline, type AgentProcess } from '../support/agentProcess.js';
import { readRecords } from '../support/streamRecords.js';
import { tempDir } from '../support/tempDir.js';
import {
  addChainStep, chainStepField, chooseDestination, flowCard, flowField, flowFieldError, gotoRoute, launchChromium, logRows, openUi,
  fileRows, reviewChanges, runPreview, saveAndApply, screenshot, setFlowField, shownNumber, statValue, type UiSession,
} from '../support/uiDriver.js';

const APACHE = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326';

/**
 * The web UI against the real daemon and kinesalite (issue 6 acceptance), in Debian's Chromium:
 * live counters, a new flow through the form (refused while invalid, previewed, saved, delivering),
 * pause and resume, and an edit of a flow from agent.d/ landing in that file with its unknown keys.
 * Screenshots of each view go to test-artifacts/screenshots/e2e-*.png.
 */
describe('web UI end to end (real daemon, kinesalite, Chromium)', () => {
  let browser: Browser;
  let kinesis: LocalKinesis;
  let dir: { path: string; cleanup: () => Promise<void> };
  let agent: AgentProcess | undefined;
  let ui: UiSession | undefined;
  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => { await browser.close(); });
  afterEach(async () => {
    await ui?.close();
    await agent?.stop().catch(() => undefined);
    await kinesis.close();
    await dir.cleanup();
  });

  it('counters rise, a flow is created through the form and delivers, a flow is paused and resumed, an agent.d flow is edited in its file', async () => {
    kinesis = await startKinesalite();
    dir = await tempDir();
    for (const stream of ['web', 'app', 'json']) await kinesis.createStream(stream, 1);
    const logs = join(dir.path, 'logs');
    await mkdir(logs);
    await mkdir(join(dir.path, 'agent.d'));
    await writeFile(join(dir.path, 'agent.json'), `{
  // the operator's own file, with a comment
  "kinesis.endpoint": "${kinesis.endpoint}", "kinesis.region": "us-east-1",
  "awsAccessKeyId": "AKIDEXAMPLE", "awsSecretAccessKey": "s3cr3t-value",
  "cloudwatch.emitMetrics": false, "control": { "host": "127.0.0.1", "port": 0 },
  "flows": [{ "name": "web-access", "filePattern": "${logs}/web*.log", "kinesisStream": "web", "initialPosition": "START_OF_FILE", "maxBufferAgeMillis": 1000 }]
}`);
    const dropIn = join(dir.path, 'agent.d', '20-app.json');
    await writeFile(dropIn, JSON.stringify({ flows: [{ name: 'app-events', filePattern: `${logs}/app*.log`, kinesisStream: 'app', initialPosition: 'START_OF_FILE', maxBufferAgeMillis: '1000', ownerTeam: 'payments' }] }, null, 2));
    agent = spawnShardline(['run', '-c', join(dir.path, 'agent.json'), '--data-dir', join(dir.path, 'data')]);
    await agent.waitForLog(/web UI and control API at/);
    const address = execFileSync(process.execPath, [BIN, 'ui', '-c', join(dir.path, 'agent.json'), '--data-dir', join(dir.path, 'data')], { encoding: 'utf8' }).trim();
    const [base, token] = address.split('#token=') as [string, string];
    ui = await openUi(browser, base, token);
    const { page } = ui;

    // Overview: the running flow's counters rise as lines are written.
    const web = flowCard(page, 'web-access');
    await web.waitFor();
    expect(await web.innerText()).toContain('Running');
    for (let i = 0; i < 5; i++) {
      await appendFile(join(logs, 'web1.log'), Array.from({ length: 200 }, (_, j) => `web ${i}-${j}\n`).join(''));
      await new Promise((r) => setTimeout(r, 400));
    }
    await expect.poll(async () => shownNumber(await statValue(web, 'Records sent')), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.content()).not.toContain('s3cr3t-value');
    await screenshot(page, 'e2e-overview');

    // A new flow through the form: a bad value shows an error and saving is refused.
    await gotoRoute(page, 'newFlow');
    await setFlowField(page, 'name', 'json-access');
    await setFlowField(page, 'filePattern', `${logs}/json*.log`);
    await chooseDestination(page, 'kinesis');
    await setFlowField(page, 'kinesisStream', 'json');
    await setFlowField(page, 'initialPosition', 'START_OF_FILE');
    await setFlowField(page, 'maxBufferSizeRecords', '900');
    await expect.poll(() => flowFieldError(page, 'maxBufferSizeRecords').innerText()).toContain('must be 1..500, got 900');
    expect(await page.getByRole('button', { name: 'Review & save…' }).isDisabled()).toBe(true);
    await screenshot(page, 'e2e-editor-invalid');
    await setFlowField(page, 'maxBufferSizeRecords', '100');
    await setFlowField(page, 'maxBufferAgeMillis', '1000');
    await addChainStep(page, 'LOGTOJSON');
    await chainStepField(page, 0, 'logFormat').selectOption('COMMONAPACHELOG');
    // Preview the chain on sample lines before saving.
    await page.getByText('Preview this draft').click();
    const rows = await runPreview(page, { sample: [APACHE, 'not an access log line'] });
    expect(rows[0]?.output).toContain('"authuser":"frank"');
    expect(rows[1]?.skipped).toBe(true);
    await screenshot(page, 'e2e-preview');
    const diff = await reviewChanges(page);
    expect(diff.map((row) => row.key)).toEqual(expect.arrayContaining(['filePattern', 'kinesisStream', 'dataProcessingOptions']));
    const result = await saveAndApply(page, { acceptCommentLoss: true });
    expect(result).toContain('Applied');
    await screenshot(page, 'e2e-editor-saved');
    await appendFile(join(logs, 'json1.log'), `${APACHE}\n`);
    const delivered = await readRecords(kinesis, 'json', 1, 20_000);
    expect(delivered.map(String)).toEqual(['{"host":"127.0.0.1","ident":null,"authuser":"frank","datetime":"10/Oct/2000:13:55:36 -0700","request":"GET /apache_pb.gif HTTP/1.0","response":"200","bytes":"2326"}\n']);
    const main = JSON.parse(await readFile(join(dir.path, 'agent.json'), 'utf8')) as { awsSecretAccessKey: string; flows: unknown[] };
    expect(main.awsSecretAccessKey).toBe('s3cr3t-value');
    expect(main.flows).toHaveLength(2);

    // Pause and resume from the overview.
    await gotoRoute(page, 'overview');
    await web.getByRole('button', { name: /Pause/ }).click();
    await expect.poll(() => web.innerText()).toContain('Paused');
    const webReader = new StreamReader(kinesis.client, 'web');
    let seen = 0;
    await expect.poll(async () => (seen += (await webReader.poll()).length), { timeout: 15_000 }).toBe(1000);
    await appendFile(join(logs, 'web1.log'), 'while paused\n');
    await new Promise((r) => setTimeout(r, 2500));
    expect(await webReader.poll()).toEqual([]);
    await screenshot(page, 'e2e-overview-paused');
    await web.getByRole('button', { name: /Resume/ }).click();
    await expect.poll(() => web.innerText()).toContain('Running');
    const resumed: string[] = [];
    await expect.poll(async () => { resumed.push(...(await webReader.poll()).map((r) => Buffer.from(r).toString())); return resumed; }, { timeout: 20_000 }).toEqual(['while paused\n']);

    // Edit the flow that came from agent.d/: the change lands in that file, unknown keys intact.
    await gotoRoute(page, 'flow', `kinesis:app:${logs}/app*.log`);
    await flowField(page, 'maxBufferSizeRecords').waitFor();
    await setFlowField(page, 'maxBufferSizeRecords', '250');
    await reviewChanges(page);
    expect(await saveAndApply(page)).toContain('Applied');
    const edited = JSON.parse(await readFile(dropIn, 'utf8')) as { flows: Record<string, unknown>[] };
    expect(edited.flows[0]).toEqual({ name: 'app-events', filePattern: `${logs}/app*.log`, kinesisStream: 'app', initialPosition: 'START_OF_FILE', maxBufferAgeMillis: '1000', ownerTeam: 'payments', maxBufferSizeRecords: 250 });

    // Files and log views of the real agent.
    await gotoRoute(page, 'files', `kinesis:web:${logs}/web*.log`);
    expect((await fileRows(page)).flat().join(' ')).toContain(join(logs, 'web1.log'));
    await screenshot(page, 'e2e-files');
    await gotoRoute(page, 'log');
    expect((await logRows(page)).length).toBeGreaterThan(0);
    await screenshot(page, 'e2e-log');

    expect(ui.consoleErrors).toEqual([]);
    expect(await ui.cspViolations()).toEqual([]);
    expect(ui.foreignRequests).toEqual([]);
  }, 120_000);
});
