import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { watch } from 'chokidar';
import type { Logger } from 'pino';
import { Agent, ConfigError } from '../node/agent/Agent.js';
import { formatProblem } from '../core/config/configFile.js';
import { ConfigFiles } from '../node/config/ConfigFiles.js';
import { ControlServer, isLoopback } from '../node/control/ControlServer.js';
import { loadOrCreateToken, writeControlEndpoint } from '../node/control/controlToken.js';
import { NodeAgentController } from '../node/control/NodeAgentController.js';
import { LogRing } from '../node/util/LogRing.js';
import { DEFAULT_CONTROL } from '../shared/config/agentFields.js';
import { DataDirLockedError } from '../node/lock/DataDirLock.js';
import { loadConfig } from '../node/config/loadConfig.js';
import { dirname, join } from 'node:path';
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

/** The built web UI, next to dist/ in the package. */
const RENDERER_DIR = fileURLToPath(new URL('../../renderer/dist/', import.meta.url));

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
  let agent: Agent;
  try {
    agent = await Agent.start({ configPath: options.config, dataDir: options.dataDir, logger });
  } catch (error) {
    return startFailure(error, logger);
  }
  const reloader = new ConfigReloader(agent, logger);
  reload = () => reloader.reload('SIGHUP');
  const watcher = watchConfig(agent.configPath, () => reloader.reload('the configuration file changed'));
  let control: ControlServer | undefined;
  try {
    control = await startControl(agent, options, ring, logger);
  } catch (error) {
    if (error instanceof ConfigError) {
      await watcher.close();
      await agent.stop();
      return startFailure(error, logger);
    }
    logger.error({ error: (error as Error).message }, `control API and web UI not started: ${(error as Error).message}; the agent runs without them`);
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
      void watcher.close();
      void control?.stop();
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

/**
 * Applies the configuration on disk to the running agent (SIGHUP, or the file changed): an invalid
 * file leaves the running flows as they are and says why; reloads never overlap.
 */
class ConfigReloader {
  private running: Promise<void> = Promise.resolve();
  private lastDigest: string | undefined;

  constructor(
    private readonly agent: Agent,
    private readonly logger: Logger,
  ) {}

  reload(why: string): void {
    this.running = this.running.then(() => this.apply(why)).catch((error: unknown) => {
      this.logger.error({ error: (error as Error).message }, `${why}: cannot apply the configuration: ${(error as Error).message}`);
    });
  }

  private async apply(why: string): Promise<void> {
    const loaded = await loadConfig(this.agent.configPath);
    if (!loaded.ok || loaded.config === undefined) {
      const problems = loaded.problems.map((p) => formatProblem(p, this.agent.configPath));
      this.logger.error({ problems }, `${why}: the configuration on disk is invalid; the running flows are unchanged: ${problems.join('; ')}`);
      return;
    }
    const digest = createHash('sha256').update(JSON.stringify(loaded.config)).digest('hex');
    if (why !== 'SIGHUP' && digest === this.lastDigest) return;
    this.lastDigest = digest;
    this.logger.info(`${why}: applying the configuration`);
    await this.agent.apply(loaded.config, loaded.origins);
  }
}

/** Watches agent.json and agent.d/ (debounced: editors write in several steps). */
function watchConfig(configPath: string, onChange: () => void): { close(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch([configPath, join(dirname(configPath), 'agent.d')], { ignoreInitial: true, persistent: false, depth: 0 });
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, 500);
  });
  watcher.on('error', () => undefined);
  return { close: async () => { clearTimeout(timer); await watcher.close(); } };
}

/**
 * The control API and web UI (DESIGN §2): `--control HOST:PORT` or the config's `control`, loopback
 * only unless `--allow-remote-control`; `--no-control` or `"control": false` turn it off. The log
 * names the address without the token; `shardline ui` prints it with the token.
 */
async function startControl(agent: Agent, options: RunOptions, ring: LogRing, logger: Logger): Promise<ControlServer | undefined> {
  if (options.control === false || agent.config.control === false) return undefined;
  const configured = agent.config.control;
  const [host, port] = typeof options.control === 'string'
    ? [options.control.slice(0, options.control.lastIndexOf(':')), Number(options.control.slice(options.control.lastIndexOf(':') + 1))]
    : [configured.host, configured.port];
  if (!isLoopback(host)) {
    if (options.allowRemoteControl !== true) {
      throw new ConfigError([`control: ${host} is not a loopback address; pass --allow-remote-control to bind it (anyone who can reach it and holds the token controls the agent), or use an SSH tunnel to 127.0.0.1:${DEFAULT_CONTROL.port}`]);
    }
    logger.warn({ host, port }, `the control API listens on ${host}, beyond loopback: protect it with a firewall; the token is its only protection`);
  }
  const token = await loadOrCreateToken(agent.dataDir);
  const controller = new NodeAgentController({
    agent, files: new ConfigFiles(agent.configPath), logs: ring,
    preview: {
      chainDeps: { hostname: hostname(), now: Date.now, ec2Metadata: () => () => undefined, onEc2Unavailable: () => undefined },
      random: Math.random, md5Hex: (data) => createHash('md5').update(data).digest('hex'),
    },
  });
  const server = new ControlServer({ controller, host, port, token, rendererDir: RENDERER_DIR, publicMetrics: configured.publicMetrics, logger });
  await server.start();
  await writeControlEndpoint(agent.dataDir, { url: server.url, pid: process.pid });
  logger.info({ url: server.url }, `web UI and control API at ${server.url} (token in ${join(agent.dataDir, 'control.token')}; \`shardline ui\` prints the address with it)`);
  return server;
}
