import { describe, expect, it } from 'vitest';
import { APP_ENTRY } from '../../../src/electron/main/appProtocol.js';
import { isAppUrl, MainWindow, secureWindowOptions } from '../../../src/electron/main/MainWindow.js';
import { FakeElectron, type FakeWindow } from '../../support/fakeElectron.js';

const PRELOAD = '/opt/Shardline/resources/app.asar/dist-electron/preload.cjs';
const ICON = '/opt/Shardline/resources/icons/icon.png';

describe('secureWindowOptions', () => {
  it('turns on every isolation flag and gives the page only the preload', () => {
    const options = secureWindowOptions(PRELOAD, ICON);
    expect(options.webPreferences).toEqual({
      preload: PRELOAD,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    });
  });

  it('is hidden until loaded, titled, with a minimum size and the icon when there is one', () => {
    expect(secureWindowOptions(PRELOAD, ICON)).toMatchObject({ show: false, title: 'Shardline', icon: ICON, autoHideMenuBar: true, minWidth: 720, minHeight: 480 });
    const noIcon = secureWindowOptions(PRELOAD, undefined);
    expect('icon' in noIcon).toBe(false);
    expect(noIcon.show).toBe(false);
  });

  it('returns a fresh object each call (one window cannot change the next one\'s options)', () => {
    const first = secureWindowOptions(PRELOAD, ICON);
    first.webPreferences!.sandbox = false;
    expect(secureWindowOptions(PRELOAD, ICON).webPreferences!.sandbox).toBe(true);
  });
});

describe('isAppUrl', () => {
  it.each([
    ['app://shardline/index.html', true],
    ['app://shardline/', true],
    ['app://shardline', true],
    ['app://shardline/index.html#/flows/kinesis%3Aapp', true],
    ['app://shardline/index.html?x=1', true],
    ['app://shardline/assets/../index.html', true],
    ['APP://shardline/index.html', true],
    ['app://other/index.html', false],
    ['app://shardline.evil.example/index.html', false],
    ['app://evil.example/shardline/index.html', false],
    ['app://shardline@evil.example/index.html', false],
    ['app://shardline:8080/index.html', false],
    ['app:shardline/index.html', false],
    ['app:///index.html', false],
    ['https://shardline/index.html', false],
    ['http://127.0.0.1:8080/', false],
    ['https://example.com/?next=app://shardline/', false],
    ['file:///opt/Shardline/resources/renderer/index.html', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['about:blank', false],
    ['', false],
    ['not a url', false],
    ['//shardline/index.html', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('MainWindow', () => {
  function setup() {
    const electron = new FakeElectron('/nonexistent');
    return { electron, window: new MainWindow(electron, PRELOAD, ICON) };
  }

  it('show() creates one window with the secure options and loads the app entry, then shows it', async () => {
    const { electron, window } = setup();
    expect(window.handle).toBeUndefined();
    await window.show();
    expect(electron.windows).toHaveLength(1);
    const created = electron.windows[0]!;
    expect(created.options).toEqual(secureWindowOptions(PRELOAD, ICON));
    expect(created.webContents.url).toBe(APP_ENTRY);
    expect(created.shown).toBe(true);
    expect(window.handle).toBe(created);
  });

  it('show() twice creates one window; the second brings it back (restored when minimized)', async () => {
    const { electron, window } = setup();
    await window.show();
    const created = electron.windows[0]!;
    created.shown = false;
    let minimized = true;
    const calls: string[] = [];
    created.isMinimized = () => minimized;
    created.restore = () => { minimized = false; calls.push('restore'); };
    created.focus = () => { calls.push('focus'); };
    await window.show();
    expect(electron.windows).toHaveLength(1);
    expect(created.shown).toBe(true);
    expect(calls).toEqual(['restore', 'focus']);
    await window.show();
    expect(calls).toEqual(['restore', 'focus', 'focus']);
    expect(electron.windows).toHaveLength(1);
  });

  it('concurrent show() calls while the first is loading still create one window', async () => {
    const { electron, window } = setup();
    await Promise.all([window.show(), window.show(), window.show()]);
    expect(electron.windows).toHaveLength(1);
  });

  it('after the window is closed, show() creates a new one; send and close go to the open one only', async () => {
    const { electron, window } = setup();
    await window.show();
    const first = electron.windows[0]!;
    window.send('shardline:status-event', { n: 1 });
    window.close();
    expect(first.destroyed).toBe(true);
    expect(window.handle).toBeUndefined();
    window.send('shardline:status-event', { n: 2 });
    window.close();
    await window.show();
    expect(electron.windows).toHaveLength(2);
    const second = electron.windows[1]!;
    window.send('shardline:status-event', { n: 3 });
    expect(first.webContents.sent).toEqual([{ channel: 'shardline:status-event', payload: { n: 1 } }]);
    expect(second.webContents.sent).toEqual([{ channel: 'shardline:status-event', payload: { n: 3 } }]);
    expect(window.handle).toBe(second);
  });

  it('a window destroyed without its closed event is not reused', async () => {
    const { electron, window } = setup();
    await window.show();
    electron.windows[0]!.destroyed = true;
    expect(window.handle).toBeUndefined();
    await window.show();
    expect(electron.windows).toHaveLength(2);
  });

  describe('the page cannot leave the app', () => {
    async function opened(): Promise<FakeWindow> {
      const { electron, window } = setup();
      await window.show();
      return electron.windows[0]!;
    }

    it.each(['https://example.com/', 'app://shardline/index.html', 'app://other/', 'file:///etc/passwd', 'about:blank'])('window.open(%s) is denied', async (url) => {
      const win = await opened();
      expect(win.webContents.openHandler).toBeDefined();
      expect(win.webContents.openHandler!({ url })).toEqual({ action: 'deny' });
    });

    it.each([
      ['app://shardline/index.html#/flows', true],
      ['app://shardline/index.html', true],
      ['https://example.com/', false],
      ['http://127.0.0.1:4567/', false],
      ['file:///etc/passwd', false],
      ['app://other/index.html', false],
      ['javascript:alert(1)', false],
      ['data:text/html,hi', false],
    ])('navigation to %s allowed: %s', async (url, allowed) => {
      const win = await opened();
      expect(win.webContents.navigate).toHaveLength(1);
      expect(win.webContents.allowsNavigation(url)).toBe(allowed);
    });

    it.each([
      ['app://shardline/index.html', true],
      ['https://example.com/', false],
      ['http://127.0.0.1:1/', false],
      ['app://evil/', false],
    ])('redirect to %s allowed: %s', async (url, allowed) => {
      const win = await opened();
      expect(win.webContents.redirect).toHaveLength(1);
      expect(win.webContents.allowsRedirect(url)).toBe(allowed);
    });

    it('attaching a <webview> is always refused', async () => {
      const win = await opened();
      expect(win.webContents.attachWebview).toHaveLength(1);
      expect(win.webContents.allowsWebview()).toBe(false);
    });
  });
});
