import { ConfigError } from '../node/agent/Agent.js';
import { DataDirLockedError } from '../node/lock/DataDirLock.js';
import { AgentRuntime } from '../node/runtime/AgentRuntime.js';
import { LogRing } from '../node/util/LogRing.js';
import { rendererDir } from '../node/util/rendererDir.js';
import { createLogger, type LogLevel } from '../node/util/logger.js';
import { EXIT_FAILURE, EXIT_LOCKED, EXIT_OK, EXIT_USAGE } from './exitCodes.js';

export interface RunOptions {
  config: string;
  dataDir?: string | undefined;
  logLevel: LogLevel;
  control: string | boolean;
  /** Bind the control server to a non-loopback address (the token is then the only protection). */
  allowRemoteControl?: boolean;
}

/** The built web UI: renderer/dist in the package, renderer/ beside the single-file bundle. */
const RENDERER_DIR = rendererDir();

/**
 * `shardline run`: runs until SIGTERM/SIGINT, then stops reading, drains in-flight sends within
 * shutdownTimeoutMillis, writes the final checkpoint and exits 0 (DESIGN §2).
 */
export async function runCommand(options: RunOptions): Promise<number> {
  const ring = new LogRing();
  const logger = createLogger(options.logLevel, 1, ring);
  // Signal handlers come first: a SIGTERM that arrives while the agent starts still stops it cleanly.
  let requested: string | undefined;
  let onSignal: (signal: string) => void = (signal) => { requested ??= signal; };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  let reload: () => void = () => logger.warn('SIGHUP before the agent started: ignored');
  process.on('SIGHUP', () => reload());
  let runtime: AgentRuntime;
  try {
    runtime = await AgentRuntime.start({ ...options, rendererDir: RENDERER_DIR, logger, ring });
  } catch (error) {
    return startFailure(error, logger);
  }
  reload = () => void runtime.reload('SIGHUP');
  return new Promise<number>((resolve) => {
    let stopping = false;
    onSignal = (signal: string) => {
      if (stopping) {
        logger.warn(`${signal} again: exiting without waiting for in-flight sends`);
        resolve(EXIT_FAILURE);
        return;
      }
      stopping = true;
      logger.info(`${signal} received: stopping`);
      runtime.stop().then(
        () => resolve(EXIT_OK),
        (error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          resolve(EXIT_FAILURE);
        },
      );
    };
    if (requested !== undefined) onSignal(requested);
  });
}

function startFailure(error: unknown, logger: ReturnType<typeof createLogger>): number {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) process.stderr.write(`${problem}\n`);
    logger.error({ problems: error.problems }, 'invalid configuration; not starting');
    return EXIT_USAGE;
  }
  if (error instanceof DataDirLockedError) {
    process.stderr.write(`${error.message}\n`);
    logger.error({ pid: error.pid, lock: error.lockFile }, error.message);
    return EXIT_LOCKED;
  }
  const message = `cannot start: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  logger.fatal({ err: error }, message);
  return EXIT_FAILURE;
}
