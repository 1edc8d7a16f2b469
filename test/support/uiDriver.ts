import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * Page helpers for the Shardline console, driving Debian's Chromium through playwright-core
 * (DESIGN §6). They know the UI's structure (labels, roles, data attributes) so tests speak in
 * user terms; they work against the fake control server and the real daemon alike.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export interface UiSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors (CSP violations are reported here too). */
  consoleErrors: string[];
  /** Requests to anything but 127.0.0.1; they are aborted as well as recorded. */
  foreignRequests: string[];
  /** `securitypolicyviolation` events seen by the page. */
  cspViolations: () => Promise<string[]>;
  close: () => Promise<void>;
}

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

export interface OpenUiOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Open at this route after the token (e.g. `/log`); default the overview. */
  route?: string;
}

/**
 * Opens the console the way `shardline ui`'s address does (`<base>/#token=<token>`) and waits for
 * it to draw. Without a token it opens the bare page (the "needs a token" screen).
 */
export async function openUi(browser: Browser, baseUrl: string, token: string | undefined, options: OpenUiOptions = {}): Promise<UiSession> {
  const context = await browser.newContext({ colorScheme: options.colorScheme ?? 'light', viewport: options.viewport ?? { width: 1360, height: 900 }, serviceWorkers: 'block' });
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
    foreignRequests.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations?.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  const base = baseUrl.replace(/\/$/, '');
  const fragment = token === undefined ? '' : `#${options.route === undefined ? '' : `${options.route}&`}token=${encodeURIComponent(token)}`;
  await page.goto(`${base}/${fragment}`);
  await page.locator('main h1').first().waitFor();
  return {
    context,
    page,
    consoleErrors,
    foreignRequests,
    cspViolations: () => page.evaluate(() => window.__cspViolations ?? []),
    close: () => context.close(),
  };
}

/** Goes to a view by its fragment (`/log`, `/flows/<id>`); ids are URI-encoded here. */
export async function gotoRoute(page: Page, view: 'overview' | 'preview' | 'files' | 'log' | 'flow' | 'newFlow', id?: string): Promise<void> {
  const path = { overview: '/', preview: '/preview', files: '/files', log: '/log', flow: '/flows', newFlow: '/flows/new' }[view];
  await page.evaluate((hash) => { window.location.hash = hash; }, `#${path}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`);
  await page.locator('main h1').first().waitFor();
}

// Overview -------------------------------------------------------------------------------------

export function flowCard(page: Page, name: string): Locator {
  return page.locator('article.flow-card').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

/** The value shown under a stat label in a card or the totals (`1.2k lines/s`). */
export async function statValue(scope: Locator, label: string): Promise<string> {
  return (await scope.locator('.stat').filter({ has: scope.page().locator('dt', { hasText: label }) }).locator('dd').first().innerText()).trim();
}

/** Parses `1.2k lines/s`, `34 MB behind`, `12/min` into a number of the shown unit. */
export function shownNumber(text: string): number {
  const match = /(-?[\d.]+)\s*([kMGT]?)/.exec(text);
  if (match === null) return Number.NaN;
  const scale = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[match[2] as '' | 'k' | 'M' | 'G' | 'T'];
  return Number(match[1]) * scale;
}

// Flow editor ----------------------------------------------------------------------------------

function controlId(key: string): string {
  return `#flow-${key.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
}

/** The input, select or textarea of a flow key (not of a processing step). */
export function flowField(page: Page, key: string): Locator {
  return page.locator(controlId(key));
}

/** Types into a text field or picks an option (by its value, or its label). */
export async function setFlowField(page: Page, key: string, value: string): Promise<void> {
  const control = flowField(page, key);
  if ((await control.evaluate((el) => el.tagName)) === 'SELECT') await control.selectOption(value);
  else await control.fill(value);
}

export function flowFieldError(page: Page, key: string): Locator {
  return page.locator(`${controlId(key)}-error`);
}

export async function chooseDestination(page: Page, type: 'kinesis' | 'firehose'): Promise<void> {
  await page.getByRole('radio', { name: type === 'kinesis' ? 'Kinesis Data Streams' : 'Firehose' }).check();
}

export function chainSteps(page: Page): Locator {
  return page.locator('li.chain-step');
}

export async function chainStepNames(page: Page): Promise<string[]> {
  return chainSteps(page).evaluateAll((steps) => steps.map((s) => s.getAttribute('data-option') ?? ''));
}

export async function addChainStep(page: Page, optionName: string): Promise<void> {
  await page.getByLabel('Add a step').selectOption(optionName);
  await page.getByRole('button', { name: '+ Add step' }).click();
}

/** Moves step `index` (0-based) up or down with its button. */
export async function moveChainStep(page: Page, index: number, direction: 'up' | 'down'): Promise<void> {
  await chainSteps(page).nth(index).locator(`[data-control="${direction}"]`).click();
}

/** A processing step's field: `step` is 0-based, `key` the option key (`logFormat`). */
export function chainStepField(page: Page, step: number, key: string): Locator {
  return chainSteps(page).nth(step).locator(`[data-field="${key}"]`).locator('input, select, textarea');
}

export interface DiffRow {
  key: string;
  change: string;
  before: string;
  after: string;
}

/** Opens the review and returns the diff rows (key, added/removed/changed, before, after). */
export async function reviewChanges(page: Page): Promise<DiffRow[]> {
  await page.getByRole('button', { name: 'Review & save…' }).click();
  const review = page.getByTestId('review');
  await review.waitFor();
  return review.locator('table.diff tbody tr').evaluateAll((rows) =>
    rows.map((row) => {
      const cells = [...row.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim());
      return { key: cells[0] ?? '', change: (cells[1] ?? '').replace(/^[+~−]\s*/, ''), before: cells[2] ?? '', after: cells[3] ?? '' };
    }),
  );
}

/**
 * Saves from the review, accepting the "comments will be lost" question when it comes, and
 * returns the apply result's text once the agent answered.
 */
export async function saveAndApply(page: Page, options: { acceptCommentLoss?: boolean } = {}): Promise<string> {
  const save = page.getByTestId('review').getByRole('button', { name: 'Save & apply' });
  await save.waitFor();
  await page.waitForFunction(() => {
    const button = [...document.querySelectorAll<HTMLButtonElement>('[data-testid="review"] button')].find((b) => b.textContent === 'Save & apply');
    return button !== undefined && !button.disabled;
  });
  await save.click();
  const dialog = page.getByRole('dialog');
  const result = page.getByTestId('apply-result');
  await Promise.race([dialog.waitFor(), result.waitFor()]);
  if (await dialog.isVisible()) {
    if (options.acceptCommentLoss === false) {
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      return '';
    }
    await dialog.getByRole('button', { name: 'Save & apply' }).click();
  }
  await result.waitFor();
  return result.innerText();
}

export interface NewFlow {
  name?: string;
  filePattern: string;
  destination: 'kinesis' | 'firehose';
  stream: string;
  /** More keys to set, by key: text for text fields, the option value for selects. */
  fields?: Record<string, string>;
  chain?: string[];
}

/** Fills the New flow form, reviews and saves it; returns the apply result's text and the new flow's id. */
export async function createFlowViaForm(page: Page, flow: NewFlow): Promise<{ result: string; id: string | undefined }> {
  await gotoRoute(page, 'newFlow');
  if (flow.name !== undefined) await setFlowField(page, 'name', flow.name);
  await setFlowField(page, 'filePattern', flow.filePattern);
  await chooseDestination(page, flow.destination);
  await setFlowField(page, flow.destination === 'kinesis' ? 'kinesisStream' : 'deliveryStream', flow.stream);
  for (const [key, value] of Object.entries(flow.fields ?? {})) await setFlowField(page, key, value);
  for (const option of flow.chain ?? []) await addChainStep(page, option);
  await reviewChanges(page);
  const result = await saveAndApply(page);
  const added = await page.getByTestId('apply-result').locator('li', { hasText: 'Added:' }).locator('code').first().textContent().catch(() => null);
  return { result, id: added ?? undefined };
}

// Preview, files, log --------------------------------------------------------------------------

export interface PreviewRow {
  input: string;
  output: string;
  skipped: boolean;
}

/** Runs the preview panel on the page (Preview view or the editor's) and returns its rows. */
export async function runPreview(page: Page, options: { lines?: number; sample?: string[] } = {}): Promise<PreviewRow[]> {
  const panel = page.locator('.preview').first();
  if (options.sample !== undefined) {
    await panel.getByRole('radio', { name: 'Lines I paste' }).check();
    await panel.getByLabel('Sample lines, one per line').fill(options.sample.join('\n'));
  } else if (options.lines !== undefined) {
    await panel.getByLabel('Number of lines').fill(String(options.lines));
  }
  const table = panel.getByTestId('preview-result');
  // A result already shown is removed when the run starts: wait for it to go, then for the new one.
  const previous = (await table.count()) > 0 ? await table.elementHandle() : null;
  await panel.getByRole('button', { name: 'Run preview' }).click();
  if (previous !== null) await page.waitForFunction((element) => !element.isConnected, previous);
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => {
      const cells = row.querySelectorAll('td');
      return { input: cells[1]?.textContent ?? '', output: cells[2]?.textContent ?? '', skipped: row.classList.contains('skipped') };
    }),
  );
}

export async function fileRows(page: Page): Promise<string[][]> {
  const table = page.locator('table.files-table');
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((c) => (c.textContent ?? '').trim())));
}

export async function logRows(page: Page): Promise<string[][]> {
  const table = page.locator('table.log-table');
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((c) => (c.textContent ?? '').trim())));
}

/**
 * A screenshot in test-artifacts/screenshots/<name>.png, for people to look at: the full page, or
 * one part of it (fixed bars cover the middle of a full-page capture of a long form).
 */
export async function screenshot(page: Page, name: string, part?: Locator): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  if (part === undefined) await page.screenshot({ path, fullPage: true });
  else await part.screenshot({ path });
  return path;
}

/**
 * Builds the renderer into `outDir` with the project's Vite config, so a UI test always runs the
 * current sources (and never empties renderer/dist under a daemon that serves it).
 */
export async function buildRenderer(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(process.cwd(), 'renderer', 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}
