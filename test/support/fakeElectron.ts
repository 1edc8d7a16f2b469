import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindowConstructorOptions } from 'electron';
import type {
  ElectronFacade, IpcInvokeEvent, MenuItemSpec, PreventableEvent, TrayHandle, UtilityHandle, WebContentsHandle, WindowHandle,
} from '../../src/electron/main/ElectronFacade.js';

/** The agent process's entry as built by `npm run build` (tsc): the same module the app bundles. */
export const AGENT_HOST = fileURLToPath(new URL('../../dist/node/host/agentHostMain.js', import.meta.url));
export const RENDERER_DIR = fileURLToPath(new URL('../../renderer/dist/', import.meta.url));
export const ICONS_DIR = fileURLToPath(new URL('../../assets/icons/', import.meta.url));

class Preventable implements PreventableEvent {
  prevented = false;
  preventDefault(): void { this.prevented = true; }
}

export class FakeTray implements TrayHandle {
  image: string;
  tooltip = '';
  menu: MenuItemSpec[] = [];
  destroyed = false;
  private clickListeners: (() => void)[] = [];
  constructor(image: string) { this.image = image; }
  setImage(path: string): void { this.image = path; }
  setToolTip(text: string): void { this.tooltip = text; }
  setContextMenu(menu: MenuItemSpec[]): void { this.menu = menu; }
  onClick(listener: () => void): void { this.clickListeners.push(listener); }
  destroy(): void { this.destroyed = true; }
  click(): void { for (const l of this.clickListeners) l(); }
  /** The menu item with this label (a prefix), searched through submenus. */
  item(label: string | RegExp, items: MenuItemSpec[] = this.menu): MenuItemSpec | undefined {
    for (const item of items) {
      const text = item.label ?? '';
      if (typeof label === 'string' ? text.startsWith(label) : label.test(text)) return item;
      const inner = item.submenu === undefined ? undefined : this.item(label, item.submenu);
      if (inner !== undefined) return inner;
    }
    return undefined;
  }
  labels(items: MenuItemSpec[] = this.menu): string[] {
    return items.flatMap((item) => [item.type === 'separator' ? '---' : item.label ?? '', ...(item.submenu === undefined ? [] : this.labels(item.submenu).map((l) => `  ${l}`))]);
  }
}

let nextContentsId = 100;

export class FakeWebContents implements WebContentsHandle {
  readonly id = nextContentsId++;
  url = '';
  readonly sent: { channel: string; payload: unknown }[] = [];
  openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  readonly navigate: ((event: PreventableEvent, url: string) => void)[] = [];
  readonly redirect: ((event: PreventableEvent, url: string) => void)[] = [];
  readonly attachWebview: ((event: PreventableEvent) => void)[] = [];
  /** Where `send` goes besides the record (the Chromium test forwards it to the page). */
  forward: ((channel: string, payload: unknown) => void) | undefined;
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
    this.forward?.(channel, payload);
  }
  getURL(): string { return this.url; }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void { this.openHandler = handler; }
  onWillNavigate(listener: (event: PreventableEvent, url: string) => void): void { this.navigate.push(listener); }
  onWillRedirect(listener: (event: PreventableEvent, url: string) => void): void { this.redirect.push(listener); }
  onWillAttachWebview(listener: (event: PreventableEvent) => void): void { this.attachWebview.push(listener); }
  /** Whether the app lets the page navigate to `url`. */
  allowsNavigation(url: string): boolean {
    const event = new Preventable();
    for (const l of this.navigate) l(event, url);
    return !event.prevented;
  }
  allowsRedirect(url: string): boolean {
    const event = new Preventable();
    for (const l of this.redirect) l(event, url);
    return !event.prevented;
  }
  allowsWebview(): boolean {
    const event = new Preventable();
    for (const l of this.attachWebview) l(event);
    return !event.prevented && this.attachWebview.length > 0;
  }
}

export class FakeWindow implements WindowHandle {
  readonly webContents = new FakeWebContents();
  shown = false;
  destroyed = false;
  private closedListeners: (() => void)[] = [];
  constructor(readonly options: BrowserWindowConstructorOptions, private readonly onAllClosed: () => void) {}
  async loadURL(url: string): Promise<void> { this.webContents.url = url; }
  show(): void { this.shown = true; }
  focus(): void {}
  isMinimized(): boolean { return false; }
  restore(): void {}
  isDestroyed(): boolean { return this.destroyed; }
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const l of this.closedListeners) l();
    this.onAllClosed();
  }
  onClosed(listener: () => void): void { this.closedListeners.push(listener); }
}

export class FakeUtility implements UtilityHandle {
  readonly child: ChildProcess;
  output = '';
  exitCode: number | undefined;
  readonly exited: Promise<number>;
  private exitListeners: ((code: number) => void)[] = [];
  constructor(modulePath: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = fork(modulePath, args, { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child.stdout?.on('data', (chunk: Buffer) => { this.output += chunk.toString('utf8'); });
    this.child.stderr?.on('data', (chunk: Buffer) => { this.output += chunk.toString('utf8'); });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal === null ? 1 : 128);
        for (const l of this.exitListeners) l(this.exitCode);
        resolve(this.exitCode);
      });
    });
  }
  postMessage(message: unknown): void { if (this.child.connected) this.child.send(message as object); }
  onMessage(listener: (message: unknown) => void): void { this.child.on('message', listener); }
  onExit(listener: (code: number) => void): void { this.exitListeners.push(listener); }
  kill(): boolean { return this.child.kill('SIGKILL'); }
}

/**
 * Electron as the app sees it, under plain Node: records trays, windows, IPC handlers, protocol
 * handlers and quit/exit, and runs the agent process as a real Node child process (Electron's
 * utilityProcess gives it `process.parentPort`; a Node child has `process.send`; the host takes both).
 */
export class FakeElectron implements ElectronFacade {
  readonly platform: NodeJS.Platform = 'linux';
  readonly isPackaged = true;
  readonly execPath = '/opt/Shardline/shardline';
  singleInstance = true;
  readonly trays: FakeTray[] = [];
  readonly windows: FakeWindow[] = [];
  readonly utilities: FakeUtility[] = [];
  readonly ipcHandlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  readonly schemes: string[] = [];
  readonly protocols = new Map<string, (request: Request) => Promise<Response>>();
  readonly errors: string[] = [];
  permissionsDenied = false;
  quitCount = 0;
  exitCode: number | undefined;
  login = false;
  readonly loginItem = { get: () => this.login, set: (open: boolean) => { this.login = open; } };
  private secondInstance: ((argv: string[]) => void)[] = [];
  private beforeQuit: ((event: PreventableEvent) => void)[] = [];
  private allClosed: (() => void)[] = [];
  private resolveEnded: (() => void) | undefined;
  /** Resolves when the app quits (quit not prevented) or exits. */
  readonly ended = new Promise<void>((resolve) => { this.resolveEnded = resolve; });

  constructor(private readonly dir: string) {}

  requestSingleInstanceLock(): boolean { return this.singleInstance; }
  onSecondInstance(listener: (argv: string[]) => void): void { this.secondInstance.push(listener); }
  whenReady(): Promise<void> { return Promise.resolve(); }
  onWindowAllClosed(listener: () => void): void { this.allClosed.push(listener); }
  onBeforeQuit(listener: (event: PreventableEvent) => void): void { this.beforeQuit.push(listener); }
  /** As Electron: emits before-quit; the app ends unless a listener prevents it. */
  quit(): void {
    const event = new Preventable();
    for (const l of this.beforeQuit) l(event);
    if (event.prevented) return;
    this.quitCount++;
    this.resolveEnded?.();
  }
  exit(code: number): void {
    this.exitCode = code;
    this.resolveEnded?.();
  }
  getPath(name: 'userData' | 'home' | 'logs'): string { return join(this.dir, `electron-${name}`); }
  registerAppScheme(scheme: string): void { this.schemes.push(scheme); }
  handleProtocol(scheme: string, handler: (request: Request) => Promise<Response>): void { this.protocols.set(scheme, handler); }
  denyAllPermissions(): void { this.permissionsDenied = true; }
  createTray(iconPath: string): TrayHandle {
    const tray = new FakeTray(iconPath);
    this.trays.push(tray);
    return tray;
  }
  createWindow(options: BrowserWindowConstructorOptions): WindowHandle {
    const window = new FakeWindow(options, () => {
      if (this.windows.every((w) => w.destroyed)) for (const l of this.allClosed) l();
    });
    this.windows.push(window);
    return window;
  }
  handleIpc(channel: string, handler: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void {
    if (this.ipcHandlers.has(channel)) throw new Error(`a second handler for ${channel}`);
    this.ipcHandlers.set(channel, handler);
  }
  forkUtility(modulePath: string, args: string[], options: { serviceName: string; env: NodeJS.ProcessEnv }): UtilityHandle {
    const utility = new FakeUtility(modulePath, args, options.env);
    this.utilities.push(utility);
    return utility;
  }
  showErrorBox(title: string, content: string): void { this.errors.push(`${title}: ${content}`); }
  readonly notifications: { title: string; body: string }[] = [];
  notify(title: string, body: string): void { this.notifications.push({ title, body }); }

  /** What ipcRenderer.invoke would produce, sent from `event`'s frame. */
  invoke(channel: string, event: IpcInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.ipcHandlers.get(channel);
    if (handler === undefined) throw new Error(`no IPC handler for ${channel}`);
    return handler(event, ...args);
  }
  startSecondInstance(argv: string[] = []): void { for (const l of this.secondInstance) l(argv); }
  get tray(): FakeTray | undefined { return this.trays[0]; }
  get window(): FakeWindow | undefined { return this.windows.find((w) => !w.destroyed); }
}
