import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The part of Electron the main process uses, as small interfaces. The app's modules are written
 * against this facade only: `createElectronFacade` adapts the real `electron` module (and is
 * type-checked against electron.d.ts), and the tests drive the real app modules under plain Node
 * with a fake implementing it (the Electron binary cannot run everywhere the tests run).
 */

/** An Electron menu item as the app builds it (Menu.buildFromTemplate's subset). */
export interface MenuItemSpec {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  toolTip?: string;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

export interface TrayHandle {
  setImage(iconPath: string): void;
  setToolTip(text: string): void;
  setContextMenu(menu: MenuItemSpec[]): void;
  onClick(listener: () => void): void;
  destroy(): void;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsHandle {
  readonly id: number;
  send(channel: string, payload: unknown): void;
  getURL(): string;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  onWillNavigate(listener: (event: PreventableEvent, url: string) => void): void;
  onWillRedirect(listener: (event: PreventableEvent, url: string) => void): void;
  onWillAttachWebview(listener: (event: PreventableEvent) => void): void;
}

export interface WindowHandle {
  readonly webContents: WebContentsHandle;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  isMinimized(): boolean;
  restore(): void;
  isDestroyed(): boolean;
  close(): void;
  onClosed(listener: () => void): void;
}

/** The frame an IPC message came from: its URL and whether it is a top-level frame. */
export interface SenderFrame {
  readonly url: string;
  readonly isMainFrame: boolean;
}

export interface IpcInvokeEvent {
  /** The webContents id of the sender. */
  readonly senderId: number;
  /** null when the frame navigated away or was destroyed before the message was handled. */
  readonly frame: SenderFrame | null;
}

/** The agent process (Electron utilityProcess). */
export interface UtilityHandle {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): boolean;
}

export type LoginItemPlatformApi = {
  get(args: string[]): boolean;
  set(openAtLogin: boolean, args: string[]): void;
};

export interface ElectronFacade {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  /** The app's executable (for autostart entries). */
  readonly execPath: string;
  requestSingleInstanceLock(): boolean;
  onSecondInstance(listener: (argv: string[]) => void): void;
  whenReady(): Promise<void>;
  onWindowAllClosed(listener: () => void): void;
  onBeforeQuit(listener: (event: PreventableEvent) => void): void;
  quit(): void;
  exit(code: number): void;
  getPath(name: 'userData' | 'home' | 'logs'): string;
  /** Open at login on macOS and Windows (Linux uses an XDG autostart file, see LoginItem). */
  readonly loginItem: LoginItemPlatformApi;
  /** protocol.registerSchemesAsPrivileged: must run before the app is ready. */
  registerAppScheme(scheme: string): void;
  handleProtocol(scheme: string, handler: (request: Request) => Promise<Response>): void;
  /** No permission (camera, notifications, …) is ever granted to a page. */
  denyAllPermissions(): void;
  createTray(iconPath: string): TrayHandle;
  createWindow(options: BrowserWindowConstructorOptions): WindowHandle;
  handleIpc(channel: string, handler: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  forkUtility(modulePath: string, args: string[], options: { serviceName: string; env: NodeJS.ProcessEnv }): UtilityHandle;
  showErrorBox(title: string, content: string): void;
  /** A desktop notification, where the desktop supports them (silently nothing otherwise). */
  notify(title: string, body: string): void;
}
