// The window's preload as Chromium runs it in the tray-app UI test: the real createBridge over an
// ipcRenderer stand-in whose invoke goes (through a Playwright binding) to the main process's real
// IPC handlers, and whose status channel is fed by the main process's webContents.send.
import '../../src/electron/preload/jitlessZod.js';
import { createBridge, type IpcRendererLike } from '../../src/electron/preload/createBridge.js';

type Listener = (event: unknown, ...args: unknown[]) => void;
interface ShimWindow {
  __shardlineInvoke(channel: string, args: unknown[]): Promise<unknown>;
  __shardlineEmit?: (channel: string, payload: unknown) => void;
  shardline?: unknown;
}

const shimWindow = window as unknown as ShimWindow;
const listeners = new Map<string, Set<Listener>>();
const ipc: IpcRendererLike = {
  invoke: (channel, ...args) => shimWindow.__shardlineInvoke(channel, args),
  on: (channel, listener) => { listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)); },
  removeListener: (channel, listener) => { listeners.get(channel)?.delete(listener); },
};
shimWindow.__shardlineEmit = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener({}, payload);
};
// contextBridge freezes what it exposes; so does this.
Object.defineProperty(window, 'shardline', { value: createBridge(ipc), writable: false, configurable: false });
