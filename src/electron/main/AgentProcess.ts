import { hostEventSchema, type HostEvent, type HostStart } from '../../node/host/hostProtocol.js';
import type { AgentStatus } from '../../shared/control/controllerApi.js';
import type { IpcMethod, IpcReply } from '../../shared/control/ipcContract.js';
import type { ElectronFacade, UtilityHandle } from './ElectronFacade.js';

export type AgentProcessState =
  | { phase: 'starting' }
  | { phase: 'running'; status: AgentStatus; configPath: string; dataDir: string; shutdownTimeoutMillis: number; controlUrl?: string }
  /** `crashed`: the process ended on its own (not a refused start): worth starting again. */
  | { phase: 'failed'; exitCode: number; message: string; problems: string[]; crashed: boolean }
  | { phase: 'stopping'; status?: AgentStatus }
  | { phase: 'stopped'; exitCode: number };

/**
 * The agent's own process, seen from the main process: started with the config, called with the
 * controller's operations, pushing a status each second, stopped with a drain. Calls while it is
 * not running answer an error reply (never hang); an agent process that dies answers every pending
 * call and reports why.
 */
export class AgentProcess {
  private child: UtilityHandle | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: IpcReply<unknown>) => void>();
  private readonly listeners = new Set<(state: AgentProcessState) => void>();
  private stopped: Promise<number> | undefined;
  private resolveStopped: ((code: number) => void) | undefined;
  state: AgentProcessState = { phase: 'starting' };

  constructor(
    private readonly electron: ElectronFacade,
    private readonly modulePath: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Starts the agent process; the state says how it went. */
  start(options: Omit<HostStart, 'type'>): void {
    this.stopped = new Promise((resolve) => { this.resolveStopped = resolve; });
    this.update({ phase: 'starting' });
    const child = this.electron.forkUtility(this.modulePath, [], { serviceName: 'Shardline agent', env: this.env });
    this.child = child;
    child.onMessage((message) => {
      const event = hostEventSchema.safeParse(message);
      if (event.success) this.receive(event.data, options);
    });
    child.onExit((code) => this.exited(child, code));
  }

  onState(listener: (state: AgentProcessState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One controller operation, answered by the agent process. */
  call(method: IpcMethod, args: unknown[]): Promise<IpcReply<unknown>> {
    const child = this.child;
    if (child === undefined || this.state.phase !== 'running') {
      return Promise.resolve({ ok: false, error: { code: 'not_running', message: this.notRunningMessage() } });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.postMessage({ type: 'call', id, method, args });
    });
  }

  /** Re-reads the configuration file and applies what changed (the tray's "Reload"). */
  reload(): void {
    this.child?.postMessage({ type: 'reload' });
  }

  /**
   * Stops reading, drains in-flight sends and writes the final checkpoint; resolves with the agent
   * process's exit code. After `timeoutMillis` (a little above shutdownTimeoutMillis) it is killed.
   */
  async stop(timeoutMillis: number): Promise<number> {
    const child = this.child;
    if (child === undefined || this.stopped === undefined) return 0;
    if (this.state.phase !== 'stopped' && this.state.phase !== 'failed') {
      if (this.state.phase !== 'stopping') this.update({ phase: 'stopping', ...(this.state.phase === 'running' ? { status: this.state.status } : {}) });
      child.postMessage({ type: 'stop' });
    }
    const timer = setTimeout(() => child.kill(), timeoutMillis);
    try {
      return await this.stopped;
    } finally {
      clearTimeout(timer);
    }
  }

  private receive(event: HostEvent, options: Omit<HostStart, 'type'>): void {
    switch (event.type) {
      case 'ready':
        // Asked to stop before the process was up: it gets only the stop.
        if (this.state.phase === 'starting') this.child?.postMessage({ type: 'start', ...options });
        return;
      case 'started':
        if (this.state.phase === 'stopping') {
          this.update({ phase: 'stopping', status: event.status });
          return;
        }
        this.update({ phase: 'running', status: event.status, configPath: event.configPath, dataDir: event.dataDir, shutdownTimeoutMillis: event.shutdownTimeoutMillis, ...(event.controlUrl === undefined ? {} : { controlUrl: event.controlUrl }) });
        return;
      case 'status':
        if (this.state.phase === 'running') this.update({ ...this.state, status: event.status });
        else if (this.state.phase === 'stopping') this.update({ phase: 'stopping', status: event.status });
        return;
      case 'startFailed':
        this.update({ phase: 'failed', exitCode: event.exitCode, message: event.message, problems: event.problems, crashed: false });
        return;
      case 'reply':
        this.pending.get(event.id)?.(event.reply);
        this.pending.delete(event.id);
        return;
      case 'stopped':
        return;
    }
  }

  private exited(child: UtilityHandle, code: number): void {
    if (child !== this.child) return;
    for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'not_running', message: 'the agent process ended' } });
    this.pending.clear();
    if (this.state.phase === 'failed') {
      // Already said why; keep that message.
    } else if (this.state.phase === 'stopping') {
      this.update({ phase: 'stopped', exitCode: code });
    } else {
      this.update({ phase: 'failed', exitCode: code === 0 ? 1 : code, message: `the agent process ended unexpectedly (exit code ${code})`, problems: [], crashed: true });
    }
    this.resolveStopped?.(code);
  }

  private notRunningMessage(): string {
    switch (this.state.phase) {
      case 'starting': return 'the agent is starting';
      case 'failed': return `the agent is not running: ${this.state.message}`;
      default: return 'the agent is not running';
    }
  }

  private update(state: AgentProcessState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
