import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { formatProblem } from '../../core/config/configFile.js';
import type { Agent } from '../agent/Agent.js';
import { loadConfig } from '../config/loadConfig.js';

/**
 * Applies the configuration on disk to the running agent (SIGHUP, or the file changed): an invalid
 * file leaves the running flows as they are and says why; reloads never overlap.
 */
export class ConfigReloader {
  private running: Promise<void> = Promise.resolve();
  private lastDigest: string | undefined;

  constructor(
    private readonly agent: Agent,
    private readonly logger: Logger,
  ) {}

  reload(why: string): Promise<void> {
    this.running = this.running.then(() => this.apply(why)).catch((error: unknown) => {
      this.logger.error({ error: (error as Error).message }, `${why}: cannot apply the configuration: ${(error as Error).message}`);
    });
    return this.running;
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
