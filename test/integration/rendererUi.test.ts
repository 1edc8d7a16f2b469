import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DROP_IN, FAKE_ERROR_MESSAGE, FAKE_MAIN_FILE, startFakeControlServer, type FakeControlServer } from '../support/fakeControlServer.js';
import { tempDir } from '../support/tempDir.js';
import {
  addChainStep,
  buildRenderer,
  chainStepField,
  chainStepNames,
  createFlowViaForm,
  fileRows,
  flowCard,
  flowField,
  flowFieldError,
  gotoRoute,
  launchChromium,
  logRows,
  moveChainStep,
  openUi,
  reviewChanges,
  runPreview,
  saveAndApply,
  screenshot,
  setFlowField,
  shownNumber,
  statValue,
  type UiSession,
} from '../support/uiDriver.js';
import { waitFor } from '../support/waitFor.js';

/**
 * The renderer in real Chromium against the fake control server (DESIGN §6, §10): every view,
 * the editor's validation, chain, diff and save, keyboard use, and the page's hygiene (no console
 * errors, no CSP violations, no request beyond 127.0.0.1). Screenshots go to
 * test-artifacts/screenshots/ for people to look at.
 */
const WEB_ID = 'kinesis:web-logs:/var/log/nginx/access.log*';
const APP_ID = 'fh:app-events:/var/log/app/events-*.json';

describe('renderer UI (Chromium, fake control server)', () => {
  let dist: { path: string; cleanup: () => Promise<void> };
  let server: FakeControlServer;
  let browser: Browser;
  let session: UiSession | undefined;
  const sessions: UiSession[] = [];

  async function open(token: string | null = server.token, options: Parameters<typeof openUi>[3] = {}): Promise<UiSession> {
    session = await openUi(browser, server.url, token ?? undefined, options);
    sessions.push(session);
    return session;
  }

  beforeAll(async () => {
    dist = await tempDir('shardline-renderer-');
    await buildRenderer(dist.path);
    browser = await launchChromium();
  });

  afterEach(async () => {
    // Every page stays clean: nothing logged as an error, nothing blocked by the CSP, nothing
    // fetched from beyond the machine.
    if (session !== undefined) {
      const violations = await session.cspViolations().catch(() => []);
      expect({ console: session.consoleErrors, csp: violations, foreign: session.foreignRequests }).toEqual({ console: [], csp: [], foreign: [] });
      await session.close();
      session = undefined;
    }
    await server?.close();
  });

  afterAll(async () => {
    for (const s of sessions) await s.close().catch(() => undefined);
    await browser?.close();
    await dist?.cleanup();
  });

  const startServer = async () => {
    server = await startFakeControlServer({ rendererDir: dist.path });
  };

  it('without a token explains that `shardline ui` prints the address; a refused token says so', async () => {
    await startServer();
    const { page } = await open(null);
    await expect.poll(() => page.locator('main h1').innerText()).toMatch(/needs the agent.s access token/);
    expect(await page.locator('main').innerText()).toContain('shardline ui');
    expect(server.requests.filter((r) => r.path.startsWith('/api/'))).toEqual([]);
    await screenshot(page, 'no-token');
    await session!.close();
    session = undefined;

    const wrong = await open('not-the-token');
    await expect.poll(() => wrong.page.locator('main h1').innerText()).toMatch(/refused the access token/);
    // The browser logs the 401 itself; that is the expected answer here, not a page error.
    wrong.consoleErrors.splice(0, wrong.consoleErrors.length, ...wrong.consoleErrors.filter((e) => !/401/.test(e)));
    expect(await wrong.page.evaluate(() => sessionStorage.getItem('shardline.token'))).toBeNull();
  });

  it('takes the token from the address, keeps it for the tab and removes it from the address bar', async () => {
    await startServer();
    const { page } = await open(server.token, { route: '/log' });
    expect(page.url()).toBe(`${server.url}/#/log`);
    expect(await page.evaluate(() => sessionStorage.getItem('shardline.token'))).toBe(server.token);
    await page.reload();
    await page.locator('table.log-table').waitFor();
    const api = server.requests.filter((r) => r.path.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((r) => r.authorized)).toBe(true);
  });

  it('overview: every flow with its state, route, live rates and lag; the error message; pause and resume', async () => {
    await startServer();
    const { page } = await open();
    const web = flowCard(page, 'web-access');
    const app = flowCard(page, 'app-events');
    await web.waitFor();
    expect(await web.locator('.badge').innerText()).toContain('Running');
    expect(await web.locator('.route').innerText()).toBe('/var/log/nginx/access.log* → Kinesis stream web-logs');
    expect(await app.locator('.badge').innerText()).toContain('Error');
    expect(await app.getByTestId('flow-error').innerText()).toContain(FAKE_ERROR_MESSAGE);
    // Rates need two snapshots; then the fake reads about 1.2k lines a second.
    await expect.poll(async () => shownNumber(await statValue(web, 'Lines read')), { timeout: 5000 }).toBeGreaterThan(1000);
    expect(await statValue(web, 'Lines read')).toMatch(/^1\.\dk lines\/s$/);
    expect(await statValue(web, 'Records sent')).toMatch(/k records\/s$/);
    expect(await statValue(web, 'Bytes sent')).toMatch(/^\d+ kB\/s$/);
    expect(await statValue(web, 'Lag')).toBe('up to date');
    expect(await statValue(app, 'Records sent')).toBe('0 records/s');
    expect(await statValue(app, 'Failed')).toMatch(/^\d+\/min$/);
    // The error flow falls behind: its lag grows with the counters.
    const lagBefore = shownNumber(await statValue(app, 'Lag'));
    expect(await statValue(app, 'Lag')).toMatch(/^\d+ MB behind$/);
    await expect.poll(async () => shownNumber(await statValue(app, 'Lag')), { timeout: 10_000 }).toBeGreaterThan(lagBefore);
    // One chart per flow, drawn by uPlot into a canvas that stays while points are appended each
    // second: the page updates its numbers, the chart is not rebuilt.
    expect(await page.locator('.chart canvas').count()).toBe(2);
    const canvas = web.locator('.chart canvas');
    await canvas.evaluate((el) => el.setAttribute('data-seen', 'yes'));
    const pixels = () => canvas.evaluate((el: HTMLCanvasElement) => el.toDataURL());
    const before = await pixels();
    await expect.poll(pixels, { timeout: 5000 }).not.toBe(before);
    expect(await canvas.getAttribute('data-seen')).toBe('yes');
    const totals = page.locator('dl.totals');
    expect(await statValue(totals, 'Flows')).toBe('2 · 1 running · ▲ 1 in error');
    await screenshot(page, 'overview');

    await web.getByRole('button', { name: '❚❚ Pause' }).click();
    await expect.poll(() => web.locator('.badge').innerText()).toContain('Paused');
    await web.getByRole('button', { name: '▶ Resume' }).click();
    await expect.poll(() => web.locator('.badge').innerText()).toContain('Running');
    // Pausing is not available to a flow in error.
    expect(await app.getByRole('button', { name: '❚❚ Pause' }).isDisabled()).toBe(true);
  });

  it('overview in the dark theme', async () => {
    await startServer();
    const { page } = await open(server.token, { colorScheme: 'dark' });
    await expect.poll(async () => shownNumber(await statValue(flowCard(page, 'web-access'), 'Lines read')), { timeout: 5000 }).toBeGreaterThan(1000);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(20, 23, 28)');
    await screenshot(page, 'overview-dark');
    await gotoRoute(page, 'flow', WEB_ID);
    await setFlowField(page, 'maxBufferSizeRecords', '0');
    await flowFieldError(page, 'maxBufferSizeRecords').waitFor();
    await screenshot(page, 'editor-dark', page.locator('main'));
  });

  it('editor: inline validation disables saving; chain add and reorder; diff; save keeps untouched values as written', async () => {
    await startServer();
    const { page } = await open();
    await gotoRoute(page, 'flow', WEB_ID);
    await flowField(page, 'maxBufferSizeRecords').waitFor();
    // Values show as written, and the comments warning is there before any save.
    expect(await flowField(page, 'maxBufferSizeRecords').inputValue()).toBe('500');
    expect(await flowField(page, 'log.emitInternalMetrics').inputValue()).toBe('__as_written');
    expect(await page.locator('.message.tone-info').innerText()).toContain('has comments');
    expect(await page.locator('#sec-unknown').locator('xpath=..').innerText()).toContain('teamTag');
    // Keys of the other destination type are not offered.
    expect(await flowField(page, 'aggregatedRecordSizeBytes').count()).toBe(0);
    expect(await flowField(page, 'aggregation').count()).toBe(1);

    await setFlowField(page, 'maxBufferSizeRecords', '900');
    await expect.poll(() => flowFieldError(page, 'maxBufferSizeRecords').innerText()).toContain('must be 1..500, got 900');
    expect(await flowField(page, 'maxBufferSizeRecords').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Review & save…' }).isDisabled()).toBe(true);
    expect(await page.locator('.savebar-status').innerText()).toContain('1 problem to fix');
    await screenshot(page, 'editor-invalid');

    await setFlowField(page, 'maxBufferSizeRecords', '400');
    expect(await flowFieldError(page, 'maxBufferSizeRecords').count()).toBe(0);

    expect(await chainStepNames(page)).toEqual(['LOGTOJSON', 'ADDMETADATA']);
    await addChainStep(page, 'FILTER');
    expect(await chainStepNames(page)).toEqual(['LOGTOJSON', 'ADDMETADATA', 'FILTER']);
    await expect.poll(() => page.locator('li.chain-step').nth(2).locator('.field-error').first().innerText()).toContain('FILTER needs include or exclude');
    expect(await page.getByRole('button', { name: 'Review & save…' }).isDisabled()).toBe(true);
    await chainStepField(page, 2, 'exclude').fill('healthcheck');
    await moveChainStep(page, 2, 'up');
    await moveChainStep(page, 1, 'up');
    expect(await chainStepNames(page)).toEqual(['FILTER', 'LOGTOJSON', 'ADDMETADATA']);
    // Focus follows the moved step.
    expect(await page.evaluate(() => document.activeElement?.closest('li.chain-step')?.getAttribute('data-option'))).toBe('FILTER');
    // JSON that does not parse is refused where it is typed, and blocks saving until fixed.
    await chainStepField(page, 2, 'metadata').fill('{oops');
    await expect.poll(() => page.locator('li.chain-step').nth(2).locator('.field-error').innerText()).toContain('metadata must be valid JSON');
    expect(await page.getByRole('button', { name: 'Review & save…' }).isDisabled()).toBe(true);
    await chainStepField(page, 2, 'metadata').fill('{"env": "prod"}');
    expect(await page.locator('li.chain-step').nth(2).locator('.field-error').count()).toBe(0);

    const diff = await reviewChanges(page);
    expect(diff.map((d) => [d.key, d.change])).toEqual([['maxBufferSizeRecords', 'changed'], ['dataProcessingOptions', 'changed']]);
    expect(diff[0]).toMatchObject({ before: '"500"', after: '400' });
    expect(diff[1]!.after).toContain('"exclude": "healthcheck"');
    await expect.poll(() => page.getByTestId('review').innerText()).toContain('The agent accepts this configuration');
    await screenshot(page, 'editor-review', page.getByTestId('review'));

    const result = await saveAndApply(page);
    expect(result).toContain('Applied');
    expect(result).toContain(`Restarted: ${WEB_ID}`);
    expect(result).toContain(`Saved ${FAKE_MAIN_FILE}`);
    const saved = (server.files[0]!.content['flows'] as Record<string, unknown>[])[0]!;
    expect(saved).toEqual({
      name: 'web-access',
      filePattern: '/var/log/nginx/access.log*',
      kinesisStream: 'web-logs',
      initialPosition: 'START_OF_FILE',
      maxBufferSizeRecords: 400,
      'log.emitInternalMetrics': 'yes',
      dataProcessingOptions: [
        { optionName: 'FILTER', exclude: 'healthcheck' },
        { optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' },
        { optionName: 'ADDMETADATA', metadata: { env: 'prod' }, timestamp: 'true' },
      ],
      teamTag: 'payments',
    });
    // The form starts again from the saved flow.
    await expect.poll(() => page.locator('.savebar-status').innerText()).toContain('No changes');
    await screenshot(page, 'editor-saved');
  });

  it('editor: a flow in a read-only file is shown read-only with the reason', async () => {
    await startServer();
    const { page } = await open();
    await gotoRoute(page, 'flow', APP_ID);
    const banner = page.getByTestId('read-only');
    await banner.waitFor();
    expect(await banner.innerText()).toContain(FAKE_DROP_IN);
    expect(await banner.innerText()).toContain('owned by root with mode 0444');
    expect(await flowField(page, 'filePattern').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Remove flow…' }).count()).toBe(0);
    // Firehose keys are offered, Streams-only ones are not.
    expect(await flowField(page, 'aggregatedRecordSizeBytes').count()).toBe(1);
    expect(await flowField(page, 'partitionKeyOption').count()).toBe(0);
    await screenshot(page, 'editor-read-only');
  });

  it('new flow through the form, then removal after confirmation', async () => {
    await startServer();
    const { page } = await open();
    const created = await createFlowViaForm(page, { name: 'audit', filePattern: '/var/log/audit/audit.log', destination: 'firehose', stream: 'audit-fh', chain: ['SINGLELINE'] });
    expect(created.result).toContain('Applied');
    expect(created.id).toBe('fh:audit-fh:/var/log/audit/audit.log');
    const flows = server.files[0]!.content['flows'] as Record<string, unknown>[];
    expect(flows.at(-1)).toEqual({ name: 'audit', filePattern: '/var/log/audit/audit.log', deliveryStream: 'audit-fh', dataProcessingOptions: [{ optionName: 'SINGLELINE' }] });
    await page.waitForURL(/#\/flows\/fh%3Aaudit-fh/);
    await gotoRoute(page, 'overview');
    await flowCard(page, 'audit').waitFor();

    await gotoRoute(page, 'flow', created.id);
    await page.getByRole('button', { name: 'Remove flow…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Remove this flow?');
    // The safe answer has the focus; Escape cancels.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await screenshot(page, 'editor-remove-confirm');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect((server.files[0]!.content['flows'] as unknown[]).length).toBe(2);
    await page.getByRole('button', { name: 'Remove flow…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove flow' }).click();
    await page.waitForURL(/#\/$/);
    expect(await page.getByTestId('apply-result').innerText()).toContain(`Removed: ${created.id}`);
    expect((server.files[0]!.content['flows'] as unknown[]).length).toBe(1);
  });

  it('preview: each input line beside its record, skipped lines with the reason, invisible characters shown', async () => {
    await startServer();
    const { page } = await open();
    await gotoRoute(page, 'preview', WEB_ID);
    const rows = await runPreview(page, { lines: 20 });
    expect(rows).toHaveLength(4);
    expect(rows[0]!.output).toContain('"host":"203.0.113.7"');
    expect(rows[2]).toEqual({ input: '### log rotated by logrotate ###', output: '⊘ Skipped: LOGTOJSON: the line does not match COMBINEDAPACHELOG', skipped: true });
    // The CR is drawn as the ␍ control picture from its letters (fonts often lack the glyph).
    expect(rows[3]!.input).toContain('bot⇥v2"CR');
    const cr = page.locator('tbody tr').nth(3).locator('td').nth(1).locator('.glyph-control');
    expect([await cr.getAttribute('data-char'), await cr.getAttribute('aria-label')]).toEqual(['␍', 'carriage return (CR)']);
    expect(await page.locator('tbody tr').nth(3).locator('td').nth(1).locator('.glyph-invalid').innerText()).toBe('\ufffd');
    expect(await page.getByTestId('preview-result').innerText()).toContain('from /var/log/nginx/access.log');
    await screenshot(page, 'preview');

    const pasted = await runPreview(page, { sample: ['not an apache line'] });
    expect(pasted).toEqual([{ input: 'not an apache line', output: '⊘ Skipped: LOGTOJSON: the line does not match COMBINEDAPACHELOG', skipped: true }]);
  });

  it('files and log views', async () => {
    await startServer();
    const { page } = await open();
    await gotoRoute(page, 'files', WEB_ID);
    const files = await fileRows(page);
    expect(files).toHaveLength(2);
    expect(files[0]![0]).toBe('/var/log/nginx/access.log');
    expect(files[0]).toContain('2049:1311234');
    expect(files[0]![1]).toContain('reading');
    expect(files[1]![1]).toContain('idle');
    await screenshot(page, 'files');
    await page.getByLabel('Flow').selectOption(APP_ID);
    await page.waitForURL(/#\/files\/fh%3Aapp-events/);
    await expect.poll(async () => (await fileRows(page))[0]?.[0]).toBe('/var/log/app/events-2025-11-22.json');

    await gotoRoute(page, 'log');
    const warnings = await logRows(page);
    expect(warnings.map((r) => r[1])).toEqual(['⚠ warn', '▲ error', '⚠ warn']);
    expect(warnings[0]![3]).toContain('unknown key "teamTag"');
    expect(warnings[1]![2]).toBe('app-events');
    await screenshot(page, 'log');
    await page.getByLabel('Level').selectOption('error');
    await expect.poll(async () => (await logRows(page)).map((r) => r[1])).toEqual(['▲ error']);
    await page.getByLabel('Level').selectOption('debug');
    await page.getByLabel('Flow').selectOption(WEB_ID);
    await expect.poll(async () => (await logRows(page)).map((r) => r[3])).toEqual([expect.stringContaining('throttled by Kinesis')]);
  });

  it('works from the keyboard: navigation, focus on the view heading, form editing', async () => {
    await startServer();
    const { page } = await open();
    await flowCard(page, 'web-access').waitFor();
    const focused = () => page.evaluate(() => `${document.activeElement?.tagName ?? ''}:${(document.activeElement?.textContent ?? '').trim()}`);
    // From the top of the page: the brand, then the views.
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused());
    }
    expect(seen).toEqual(['A:Shardline', 'A:Overview', 'A:Preview', 'A:Files', 'A:Log']);
    const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(focusRing).toBe('solid');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/log$/);
    // Focus moves to the new view's content, so the next Tab is inside it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Tab reaches the filters; a select changes with the arrow keys.
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^SELECT:/);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getByLabel('Level').inputValue()).toBe('error');

    // The editor: type into a field, the error appears, Tab moves on.
    await gotoRoute(page, 'flow', WEB_ID);
    await flowField(page, 'maxBufferAgeMillis').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('500');
    await expect.poll(() => flowFieldError(page, 'maxBufferAgeMillis').innerText()).toContain('must be 1000..900000, got 500');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^(INPUT|SELECT|TEXTAREA):/);
    await screenshot(page, 'keyboard-editor');
  });

  it('every request stays on 127.0.0.1 and carries the token', async () => {
    await startServer();
    const { page } = await open();
    for (const view of ['overview', 'preview', 'files', 'log'] as const) await gotoRoute(page, view);
    await gotoRoute(page, 'flow', WEB_ID);
    await flowField(page, 'filePattern').waitFor();
    await waitFor(() => server.requests.some((r) => r.path === '/api/v1/events'));
    const api = server.requests.filter((r) => r.path.startsWith('/api/'));
    expect(api.every((r) => r.authorized)).toBe(true);
    expect(new Set(api.map((r) => r.path.split('?')[0]))).toContain('/api/v1/config');
    expect(session!.foreignRequests).toEqual([]);
  });
});
