import {
  IPC_METHOD_NAMES,
  IPC_STATUS_CHANNEL,
  ipcChannel,
  parseIpcArgs,
  parseIpcReply,
  type IpcMethod,
  type IpcReply,
  type ShardlineBridge,
} from '../../shared/control/ipcContract.js';
import { agentStatusSchema, type AgentStatus } from '../../shared/control/controllerApi.js';

/** The part of Electron's ipcRenderer the bridge uses (a shim in the Chromium tests). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * `window.shardline`: the typed AgentController for the renderer. Arguments are checked against the
 * shared schemas before they leave the page and replies after they arrive, so neither side trusts
 * the other's shapes; only these channels are reachable (no generic `invoke`).
 */
export function createBridge(ipc: IpcRendererLike): ShardlineBridge {
  const call = async (method: IpcMethod, args: unknown[]): Promise<IpcReply<unknown>> => {
    const checked = parseIpcArgs(method, args);
    if (!checked.ok) return checked;
    let reply: unknown;
    try {
      reply = await ipc.invoke(ipcChannel(method), ...(checked.args as unknown[]));
    } catch (error) {
      return { ok: false, error: { code: 'ipc_failed', message: `the agent did not answer ${method}: ${(error as Error).message}` } };
    }
    return parseIpcReply(method, reply);
  };
  const methods = Object.fromEntries(IPC_METHOD_NAMES.map((method) => [method, (...args: unknown[]) => call(method, args)]));
  const onStatus = (listener: (status: AgentStatus) => void): (() => void) => {
    const receive = (_event: unknown, payload: unknown): void => {
      const status = agentStatusSchema.safeParse(payload);
      if (status.success) listener(status.data);
    };
    ipc.on(IPC_STATUS_CHANNEL, receive);
    return () => { ipc.removeListener(IPC_STATUS_CHANNEL, receive); };
  };
  return Object.freeze({ ...methods, onStatus }) as unknown as ShardlineBridge;
}
