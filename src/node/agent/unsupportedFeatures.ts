import type { AgentConfig } from '../../shared/config/agentConfigSchema.js';
import type { ConfigProblem, FlowOrigin } from '../../core/config/configFile.js';

/**
 * Valid agent.json settings this version cannot honour yet. Running them anyway would send records
 * other than the ones asked for, so `run` refuses them with a clear message instead.
 */
export function unsupportedFeatures(config: AgentConfig, origins: FlowOrigin[], mainFile: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const notYet = (file: string, path: string, what: string) => problems.push({ file, path, message: `${what} is not supported by this version of Shardline yet` });
  config.flows.forEach((flow, i) => {
    const { file, index } = origins[i] ?? { file: mainFile, index: i };
    const at = (key: string) => `flows[${index}].${key}`;
    if (flow.type === 'firehose') notYet(file, at('deliveryStream'), 'a Firehose destination');
    if (flow.aggregation !== 'none') notYet(file, at('aggregation'), 'KPL aggregation');
    if (flow.compression !== 'none') notYet(file, at('compression'), 'gzip compression');
    if (flow.assumeRoleARN !== undefined) notYet(file, at('assumeRoleARN'), 'assumeRoleARN');
  });
  if (config.assumeRoleARN !== undefined) notYet(mainFile, 'assumeRoleARN', 'assumeRoleARN');
  return problems;
}
