import type { BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY, APP_ORIGIN } from './appProtocol.js';
import type { ElectronFacade, WindowHandle } from './ElectronFacade.js';

/**
 * Every window's options (Electron security checklist): sandboxed renderer, context isolation, no
 * Node in the page or its workers and frames, web security on, no <webview>, only the preload's
 * bridge. Shown once loaded, so it never flashes white.
 */
export function secureWindowOptions(preloadPath: string, iconPath: string | undefined): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Shardline',
    autoHideMenuBar: true,
    ...(iconPath === undefined ? {} : { icon: iconPath }),
    webPreferences: {
      preload: preloadPath,
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
    },
  };
}

/** Whether a navigation stays on the app's own page (anything else is refused). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * The one window: created on demand, loaded from app://, new windows and navigation away denied
 * (a link in a log line must not turn the window into a browser).
 */
export class MainWindow {
  private window: WindowHandle | undefined;
  /** The first load of the current window; a show() meanwhile waits for it (no white flash). */
  private loading: Promise<void> | undefined;

  constructor(
    private readonly electron: ElectronFacade,
    private readonly preloadPath: string,
    private readonly iconPath: string | undefined,
  ) {}

  get handle(): WindowHandle | undefined {
    return this.window !== undefined && !this.window.isDestroyed() ? this.window : undefined;
  }

  /** Opens the window, or brings the existing one to the front. */
  async show(): Promise<void> {
    const existing = this.handle;
    if (existing !== undefined && this.loading !== undefined) {
      await this.loading;
      return;
    }
    if (existing !== undefined) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return;
    }
    const window = this.electron.createWindow(secureWindowOptions(this.preloadPath, this.iconPath));
    this.window = window;
    window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    window.webContents.onWillNavigate((event, url) => { if (!isAppUrl(url)) event.preventDefault(); });
    window.webContents.onWillRedirect((event, url) => { if (!isAppUrl(url)) event.preventDefault(); });
    window.webContents.onWillAttachWebview((event) => event.preventDefault());
    window.onClosed(() => { if (this.window === window) this.window = undefined; });
    this.loading = (async () => {
      await window.loadURL(APP_ENTRY);
      if (window.isDestroyed()) return;
      window.show();
      window.focus();
    })();
    try {
      await this.loading;
    } finally {
      this.loading = undefined;
    }
  }

  /** Pushes a message to the page, if the window is open. */
  send(channel: string, payload: unknown): void {
    this.handle?.webContents.send(channel, payload);
  }

  close(): void {
    this.handle?.close();
  }
}
