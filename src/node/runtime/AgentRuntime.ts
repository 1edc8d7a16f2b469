import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DEFAULT_CONTROL } from '../../shared/config/agentFields.js';
import { Agent, ConfigError } from '../agent/Agent.js';
import { ConfigFiles } from '../config/ConfigFiles.js';
import { ControlServer, isLoopback } from '../control/ControlServer.js';
import { loadOrCreateToken, writeControlEndpoint } from '../control/controlToken.js';
import { NodeAgentController } from '../control/NodeAgentController.js';
import type { LogRing } from '../util/LogRing.js';
import { ConfigReloader } from './ConfigReloader.js';
import { watchConfig } from './watchConfig.js';

export interface RuntimeOptions {
  config: string;
  dataDir?: string | undefined;
  /** `HOST:PORT`, true for the config's `control`, false for none. */
  control: string | boolean;
  /** Bind the control server to a non-loopback address (the token is then the only protection). */
  allowRemoteControl?: boolean | undefined;
  /** The built web UI the control server serves. */
  rendererDir: string;
  logger: Logger;
  /** The recent log lines the UI's Log view shows. */
  ring: LogRing;
}

/**
 * One running agent with everything around it, the same for the daemon (`shardline run`) and the
 * tray app's agent process: the agent, its AgentController, the reload on config changes (file
 * watch; SIGHUP calls `reload`), and the control API + web UI on loopback.
 */
export class AgentRuntime {
  private constructor(
    readonly agent: Agent,
    readonly controller: NodeAgentController,
    private readonly reloader: ConfigReloader,
    private readonly watcher: { close(): Promise<void> },
    readonly control: ControlServer | undefined,
  ) {}

  /** Throws ConfigError (bad config or control address), DataDirLockedError, or what stopped the start. */
  static async start(options: RuntimeOptions): Promise<AgentRuntime> {
    const { logger } = options;
    const agent = await Agent.start({ configPath: options.config, dataDir: options.dataDir, logger });
    const reloader = new ConfigReloader(agent, logger);
    const watcher = watchConfig(agent.configPath, () => void reloader.reload('the configuration file changed'));
    const controller = new NodeAgentController({
      agent, files: new ConfigFiles(agent.configPath), logs: options.ring,
      preview: {
        chainDeps: { hostname: hostname(), now: Date.now, ec2Metadata: () => () => undefined, onEc2Unavailable: () => undefined },
        random: Math.random, md5Hex: (data) => createHash('md5').update(data).digest('hex'),
      },
    });
    let control: ControlServer | undefined;
    try {
      control = await startControl(agent, controller, options);
    } catch (error) {
      if (error instanceof ConfigError) {
        await watcher.close();
        await agent.stop();
        throw error;
      }
      logger.error({ error: (error as Error).message }, `control API and web UI not started: ${(error as Error).message}; the agent runs without them`);
    }
    return new AgentRuntime(agent, controller, reloader, watcher, control);
  }

  /** Re-reads the configuration and applies what changed (SIGHUP). */
  reload(why: string): Promise<void> {
    return this.reloader.reload(why);
  }

  /** Stops reading, drains in-flight sends within shutdownTimeoutMillis, writes the final checkpoint. */
  async stop(): Promise<void> {
    await this.watcher.close();
    await this.control?.stop();
    await this.agent.stop();
  }
}

/**
 * The control API and web UI (DESIGN §2): `--control HOST:PORT` or the config's `control`, loopback
 * only unless `--allow-remote-control`; `--no-control` or `"control": false` turn it off. The log
 * names the address without the token; `shardline ui` prints it with the token.
 */
async function startControl(agent: Agent, controller: NodeAgentController, options: RuntimeOptions): Promise<ControlServer | undefined> {
  const { logger } = options;
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
  const server = new ControlServer({ controller, host, port, token, rendererDir: options.rendererDir, publicMetrics: configured.publicMetrics, logger });
  await server.start();
  await writeControlEndpoint(agent.dataDir, { url: server.url, pid: process.pid });
  logger.info({ url: server.url }, `web UI and control API at ${server.url} (token in ${join(agent.dataDir, 'control.token')}; \`shardline ui\` prints the address with it)`);
  return server;
}
