import { IPC_METHOD_NAMES, ipcChannel, parseIpcArgs, parseIpcReply, type IpcMethod, type IpcReply } from '../../shared/control/ipcContract.js';
import { isAppUrl } from './MainWindow.js';
import type { ElectronFacade, IpcInvokeEvent } from './ElectronFacade.js';

export interface IpcTarget {
  call(method: IpcMethod, args: unknown[]): Promise<IpcReply<unknown>>;
}

/**
 * The controller's IPC channels in the main process. A message counts only when it comes from the
 * top frame of the app's own window showing an app:// page (not an iframe, not a page it navigated
 * to); its arguments are checked against the shared schemas before the agent sees them, and the
 * agent's reply before the page does.
 */
export function registerIpcHandlers(electron: ElectronFacade, target: IpcTarget, windowId: () => number | undefined, onRefused: (why: string) => void): void {
  for (const method of IPC_METHOD_NAMES) {
    electron.handleIpc(ipcChannel(method), async (event, ...args) => {
      const refusal = senderRefusal(event, windowId());
      if (refusal !== undefined) {
        onRefused(`IPC ${method} refused: ${refusal}`);
        return { ok: false, error: { code: 'forbidden', message: `refused: ${refusal}`, status: 403 } };
      }
      const checked = parseIpcArgs(method, args);
      if (!checked.ok) return checked;
      return parseIpcReply(method, await target.call(method, checked.args as unknown[]));
    });
  }
}

function senderRefusal(event: IpcInvokeEvent, windowId: number | undefined): string | undefined {
  if (windowId === undefined || event.senderId !== windowId) return 'the sender is not the Shardline window';
  if (event.frame === null) return 'the sending frame is gone';
  if (!event.frame.isMainFrame) return 'the sender is a sub-frame';
  if (!isAppUrl(event.frame.url)) return `the sender shows ${originOf(event.frame.url)}, not the app`;
  return undefined;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an unknown page';
  }
}
