import type { Logger } from 'pino';
import { ConfigError } from '../agent/Agent.js';
import { ControlError } from '../control/NodeAgentController.js';
import { DataDirLockedError } from '../lock/DataDirLock.js';
import { AgentRuntime } from '../runtime/AgentRuntime.js';
import { LogRing } from '../util/LogRing.js';
import type { LogLevel } from '../util/logger.js';
import { EXIT_FAILURE, EXIT_LOCKED, EXIT_OK, EXIT_USAGE } from '../../shared/exitCodes.js';
import type { AgentController } from '../../shared/control/controllerApi.js';
import type { IpcError, IpcMethod, IpcReply } from '../../shared/control/ipcContract.js';
import { hostRequestSchema, type HostEvent, type HostStart } from './hostProtocol.js';

/** How the agent process talks to the main process (Electron's parentPort, or Node's IPC channel). */
export interface HostPort {
  post(event: HostEvent): void;
  onMessage(listener: (message: unknown) => void): void;
}

export interface AgentHostDeps {
  port: HostPort;
  rendererDir: string;
  createLogger(level: LogLevel, logFile: string | undefined, ring: LogRing): Logger;
  exit(code: number): void;
  /** Status push period (one a second: the UI's live charts append a point each second). */
  statusPeriodMillis?: number;
}

/**
 * The tray app's agent process: runs the same AgentRuntime as `shardline run` (flows, reloads,
 * control API) and serves the main process's calls. Keeping the pipeline out of the main process
 * keeps the tray and the window responsive whatever the pipeline does (a long regex, a GC pause).
 */
export class AgentHost {
  private runtime: AgentRuntime | undefined;
  private starting: Promise<void> | undefined;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private logger: Logger | undefined;

  constructor(private readonly deps: AgentHostDeps) {
    deps.port.onMessage((message) => void this.receive(message));
  }

  private async receive(message: unknown): Promise<void> {
    const parsed = hostRequestSchema.safeParse(message);
    if (!parsed.success) {
      this.logger?.error(`agent process: ignored a malformed message from the app: ${parsed.error.message}`);
      return;
    }
    const request = parsed.data;
    switch (request.type) {
      case 'start':
        this.starting ??= this.start(request);
        return;
      case 'call':
        this.deps.port.post({ type: 'reply', id: request.id, reply: await this.call(request.method, request.args) });
        return;
      case 'reload':
        await this.runtime?.reload('the app asked to reload');
        return;
      case 'stop':
        await this.stop();
        return;
    }
  }

  private async start(request: HostStart): Promise<void> {
    const ring = new LogRing();
    const logger = this.deps.createLogger(request.logLevel, request.logFile, ring);
    this.logger = logger;
    try {
      const runtime = await AgentRuntime.start({ config: request.config, dataDir: request.dataDir, control: request.control, rendererDir: this.deps.rendererDir, logger, ring });
      this.runtime = runtime;
      if (this.stopping) return;
      this.deps.port.post({
        type: 'started', status: runtime.agent.status(), configPath: runtime.agent.configPath, dataDir: runtime.agent.dataDir, shutdownTimeoutMillis: runtime.agent.config.shutdownTimeoutMillis,
        ...(runtime.control === undefined ? {} : { controlUrl: runtime.control.url }),
      });
      this.timer = setInterval(() => this.deps.port.post({ type: 'status', status: runtime.agent.status() }), this.deps.statusPeriodMillis ?? 1000);
    } catch (error) {
      const failure = startFailure(error);
      logger.error({ problems: failure.problems }, failure.message);
      this.deps.port.post({ type: 'startFailed', ...failure });
      this.deps.exit(failure.exitCode);
    }
  }

  private async call(method: IpcMethod, args: unknown[]): Promise<IpcReply<unknown>> {
    const controller = this.runtime?.controller;
    if (controller === undefined || this.stopping) return { ok: false, error: { code: 'not_running', message: 'the agent is not running' } };
    try {
      const operation = controller[method] as (...a: unknown[]) => Promise<unknown>;
      return { ok: true, value: await operation.apply(controller satisfies AgentController, args) };
    } catch (error) {
      return { ok: false, error: toIpcError(error) };
    }
  }

  /** Drains in-flight sends, writes the final checkpoint, then says so and exits. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.timer);
    await this.starting;
    let exitCode = EXIT_OK;
    try {
      await this.runtime?.stop();
    } catch (error) {
      this.logger?.error({ err: error }, 'error while stopping');
      exitCode = EXIT_FAILURE;
    }
    this.deps.port.post({ type: 'stopped', exitCode });
    this.deps.exit(exitCode);
  }
}

function startFailure(error: unknown): { exitCode: number; message: string; problems: string[] } {
  if (error instanceof ConfigError) return { exitCode: EXIT_USAGE, message: 'invalid configuration; not starting', problems: error.problems };
  if (error instanceof DataDirLockedError) return { exitCode: EXIT_LOCKED, message: error.message, problems: [] };
  return { exitCode: EXIT_FAILURE, message: `cannot start: ${(error as Error).message}`, problems: [] };
}

function toIpcError(error: unknown): IpcError {
  if (error instanceof ControlError) {
    return { code: error.code, message: error.message, status: error.status, ...(error.problems === undefined ? {} : { problems: error.problems }) };
  }
  return { code: 'InternalError', message: (error as Error).message, status: 500 };
}
