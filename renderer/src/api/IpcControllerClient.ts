import type {
  AgentStatus, ApplyResult, ConfigDocument, ConfigView, FlowEdit, LogEvent, LogQuery, PreviewRequest, PreviewResult, TrackedFileView, ValidationResult,
} from '../../../src/shared/control/controllerApi.js';
import type { IpcReply, ShardlineBridge } from '../../../src/shared/control/ipcContract.js';
import type { ControllerClient } from './ControllerClient.js';
import { ControllerError } from './ControllerError.js';

/**
 * The AgentController inside the tray app: the preload's `window.shardline` (Electron IPC). Only
 * the transport differs from HttpControllerClient; replies were already checked by the preload.
 */
export class IpcControllerClient implements ControllerClient {
  readonly transport = 'ipc';

  constructor(private readonly bridge: ShardlineBridge) {}

  status(): Promise<AgentStatus> { return unwrap(this.bridge.status()); }
  getConfig(): Promise<ConfigView> { return unwrap(this.bridge.getConfig()); }
  validateConfig(document: ConfigDocument): Promise<ValidationResult> { return unwrap(this.bridge.validateConfig(document)); }
  applyConfig(document: ConfigDocument): Promise<ApplyResult> { return unwrap(this.bridge.applyConfig(document)); }
  addFlow(edit: FlowEdit): Promise<ApplyResult> { return unwrap(this.bridge.addFlow(edit)); }
  updateFlow(id: string, edit: FlowEdit): Promise<ApplyResult> { return unwrap(this.bridge.updateFlow(id, edit)); }
  removeFlow(id: string): Promise<ApplyResult> { return unwrap(this.bridge.removeFlow(id)); }
  pauseFlow(id: string): Promise<AgentStatus> { return unwrap(this.bridge.pauseFlow(id)); }
  resumeFlow(id: string): Promise<AgentStatus> { return unwrap(this.bridge.resumeFlow(id)); }
  preview(request: PreviewRequest): Promise<PreviewResult> { return unwrap(this.bridge.preview(request)); }
  files(id: string): Promise<TrackedFileView[]> { return unwrap(this.bridge.files(id)); }
  logs(query: LogQuery): Promise<LogEvent[]> { return unwrap(this.bridge.logs(query)); }

  /** The statuses the main process pushes (one a second), until the signal aborts. */
  async *events(signal: AbortSignal): AsyncIterable<AgentStatus> {
    const queue: AgentStatus[] = [];
    let wake: (() => void) | undefined;
    const stop = this.bridge.onStatus((status) => {
      // Only the newest matters to a live view: a slow consumer skips stale snapshots.
      queue.splice(0, queue.length, status);
      wake?.();
    });
    const aborted = () => wake?.();
    signal.addEventListener('abort', aborted);
    try {
      while (!signal.aborted) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => { wake = resolve; });
        wake = undefined;
      }
    } finally {
      stop();
      signal.removeEventListener('abort', aborted);
    }
  }
}

async function unwrap<T>(reply: Promise<IpcReply<T>>): Promise<T> {
  const result = await reply;
  if (result.ok) return result.value;
  // An apply refused for its problems is a value over HTTP (422 with an ApplyResult) and here too.
  throw new ControllerError(result.error.message, result.error.code, result.error.status ?? 0, result.error.problems ?? []);
}
