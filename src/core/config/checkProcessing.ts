import type { AgentConfig } from '../../shared/config/agentConfigSchema.js';
import { compileConverter, ProcessingConfigError, type ChainDeps } from '../processing/compileChain.js';
import { lookingAtRegex, translateJavaRegex } from '../processing/javaRegex.js';
import type { ConfigProblem, FlowOrigin } from './configFile.js';

/** Dependencies that compiling needs but validating never calls. */
const NO_DEPS: ChainDeps = { hostname: '', now: () => 0, ec2Metadata: () => () => undefined, onEc2Unavailable: () => undefined };

/**
 * Compiles every flow's processing options and patterns as `run` would, so `validate` reports a
 * Java regex construct that cannot be translated, or field names that do not fit the pattern, with
 * the JSON path of the key at fault.
 */
export function checkProcessing(config: AgentConfig, origins: FlowOrigin[], mainFile: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  config.flows.forEach((flow, i) => {
    const { file, index } = origins[i] ?? { file: mainFile, index: i };
    const at = `flows[${index}]`;
    flow.dataProcessingOptions.forEach((option, j) => {
      try {
        compileConverter(option, NO_DEPS);
      } catch (error) {
        if (!(error instanceof ProcessingConfigError)) throw error;
        problems.push({ file, path: `${at}.dataProcessingOptions[${j}].${error.key}`, message: error.message });
      }
    });
    if (flow.multiLineStartPattern !== undefined) {
      const compiled = lookingAtRegex(flow.multiLineStartPattern);
      if (!compiled.ok) problems.push({ file, path: `${at}.multiLineStartPattern`, message: compiled.message });
    }
    if (flow.fileFooterPattern !== undefined) {
      const compiled = translateJavaRegex(flow.fileFooterPattern, { multiline: true });
      if (!compiled.ok) problems.push({ file, path: `${at}.fileFooterPattern`, message: compiled.message });
    }
  });
  return problems;
}
