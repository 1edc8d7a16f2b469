import { Agent, ConfigError } from '../node/agent/Agent.js';
import { DataDirLockedError } from '../node/lock/DataDirLock.js';
import { loadConfig } from '../node/config/loadConfig.js';
import { createLogger, type LogLevel } from '../node/util/logger.js';
import { EXIT_FAILURE, EXIT_LOCKED, EXIT_OK, EXIT_USAGE } from './exitCodes.js';

export interface RunOptions {
  config: string;
  dataDir?: string | undefined;
  logLevel: LogLevel;
  control: string | boolean;
}

/**
 * `shardline run`: runs until SIGTERM/SIGINT, then stops reading, drains in-flight sends within
 * shutdownTimeoutMillis, writes the final checkpoint and exits 0 (DESIGN §2).
 */
export async function runCommand(options: RunOptions): Promise<number> {
  const logger = createLogger(options.logLevel);
  if (options.control !== true && options.control !== false) logger.info(`--control ${options.control}: the control server arrives in a later version; ignored`);
  // Signal handlers come first: a SIGTERM that arrives while the agent starts still stops it cleanly.
  let requested: string | undefined;
  let onSignal: (signal: string) => void = (signal) => { requested ??= signal; };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGHUP', () => void reportReload(options.config, logger));
  let agent: Agent;
  try {
    agent = await Agent.start({ configPath: options.config, dataDir: options.dataDir, logger });
  } catch (error) {
    return startFailure(error, logger);
  }
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
      agent.stop().then(
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

/** SIGHUP: hot apply comes with the control plane; until then, check the file and say what to do. */
async function reportReload(configPath: string, logger: ReturnType<typeof createLogger>): Promise<void> {
  const loaded = await loadConfig(configPath);
  if (loaded.ok) logger.warn('SIGHUP: the configuration is valid; this version applies changes at restart (systemctl restart shardline)');
  else logger.error({ problems: loaded.problems }, 'SIGHUP: the configuration on disk is invalid; the running flows are unchanged');
}
