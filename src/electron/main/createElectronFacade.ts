import type * as Electron from 'electron';
import type { ElectronFacade, MenuItemSpec, WindowHandle } from './ElectronFacade.js';

/**
 * The real Electron behind the facade. Kept to one-line adaptations: everything with a decision in
 * it lives in the app's modules, which the tests run against a fake. Type-checked against
 * electron.d.ts (npm run typecheck).
 */
export function createElectronFacade(electron: typeof Electron): ElectronFacade {
  const { app, BrowserWindow, Menu, Notification, Tray, ipcMain, nativeImage, protocol, session, utilityProcess, dialog } = electron;
  const toTemplate = (items: MenuItemSpec[]): Electron.MenuItemConstructorOptions[] => items.map((item) => ({
    ...(item.id === undefined ? {} : { id: item.id }),
    ...(item.label === undefined ? {} : { label: item.label }),
    ...(item.type === undefined ? {} : { type: item.type }),
    ...(item.enabled === undefined ? {} : { enabled: item.enabled }),
    ...(item.checked === undefined ? {} : { checked: item.checked }),
    ...(item.toolTip === undefined ? {} : { toolTip: item.toolTip }),
    ...(item.click === undefined ? {} : { click: item.click }),
    ...(item.submenu === undefined ? {} : { submenu: toTemplate(item.submenu) }),
  }));
  return {
    platform: process.platform,
    isPackaged: app.isPackaged,
    execPath: process.execPath,
    requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
    onSecondInstance: (listener) => { app.on('second-instance', (_event, argv) => listener(argv)); },
    whenReady: () => app.whenReady(),
    onWindowAllClosed: (listener) => { app.on('window-all-closed', listener); },
    onBeforeQuit: (listener) => { app.on('before-quit', (event) => listener(event)); },
    quit: () => app.quit(),
    exit: (code) => app.exit(code),
    getPath: (name) => app.getPath(name),
    loginItem: {
      // macOS/Windows report openAtLogin only for the same args the item was registered with.
      get: (args) => app.getLoginItemSettings({ args }).openAtLogin,
      set: (openAtLogin, args) => app.setLoginItemSettings({ openAtLogin, args }),
    },
    registerAppScheme: (scheme) => protocol.registerSchemesAsPrivileged([{ scheme, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } }]),
    handleProtocol: (scheme, handler) => protocol.handle(scheme, handler),
    denyAllPermissions: () => {
      session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
      session.defaultSession.setPermissionCheckHandler(() => false);
    },
    createTray: (iconPath) => {
      const tray = new Tray(nativeImage.createFromPath(iconPath));
      return {
        setImage: (path) => tray.setImage(nativeImage.createFromPath(path)),
        setToolTip: (text) => tray.setToolTip(text),
        setContextMenu: (menu) => tray.setContextMenu(Menu.buildFromTemplate(toTemplate(menu))),
        onClick: (listener) => { tray.on('click', listener); },
        destroy: () => tray.destroy(),
      };
    },
    createWindow: (options): WindowHandle => {
      const window = new BrowserWindow(options);
      const contents = window.webContents;
      return {
        webContents: {
          id: contents.id,
          send: (channel, payload) => { if (!contents.isDestroyed()) contents.send(channel, payload); },
          getURL: () => contents.getURL(),
          setWindowOpenHandler: (handler) => contents.setWindowOpenHandler(handler),
          onWillNavigate: (listener) => { contents.on('will-navigate', (event, url) => listener(event, url)); },
          onWillRedirect: (listener) => { contents.on('will-redirect', (event, url) => listener(event, url)); },
          onWillAttachWebview: (listener) => { contents.on('will-attach-webview', (event) => listener(event)); },
        },
        loadURL: (url) => window.loadURL(url),
        show: () => window.show(),
        focus: () => window.focus(),
        isMinimized: () => window.isMinimized(),
        restore: () => window.restore(),
        isDestroyed: () => window.isDestroyed(),
        close: () => window.close(),
        onClosed: (listener) => { window.on('closed', listener); },
      };
    },
    handleIpc: (channel, handler) => ipcMain.handle(channel, (event, ...args) => handler({
      senderId: event.sender.id,
      frame: event.senderFrame === null ? null : { url: event.senderFrame.url, isMainFrame: event.senderFrame.parent === null },
    }, ...args)),
    forkUtility: (modulePath, args, options) => {
      const child = utilityProcess.fork(modulePath, args, { serviceName: options.serviceName, env: options.env, stdio: 'inherit' });
      return {
        postMessage: (message) => child.postMessage(message),
        onMessage: (listener) => { child.on('message', listener); },
        onExit: (listener) => { child.on('exit', listener); },
        kill: () => child.kill(),
      };
    },
    showErrorBox: (title, content) => dialog.showErrorBox(title, content),
    notify: (title, body) => { if (Notification.isSupported()) new Notification({ title, body }).show(); },
  };
}
