import { resolve } from 'node:path';
import { formatProblem } from '../core/config/configFile.js';
import { loadConfig } from '../node/config/loadConfig.js';
import { EXIT_OK, EXIT_USAGE } from './exitCodes.js';

/**
 * `shardline validate -c FILE`: every problem on its own line with its JSON path and exit 2, or a
 * one-line summary per flow and exit 0. Warnings (unknown keys, keys without effect) go to stderr.
 */
export async function validateCommand(configFile: string, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const configPath = resolve(configFile);
  const result = await loadConfig(configPath);
  for (const warning of result.warnings) err(`warning: ${formatProblem(warning, configPath)}`);
  if (!result.ok || result.config === undefined) {
    for (const problem of result.problems) out(formatProblem(problem, configPath));
    err(`${configPath}: ${result.problems.length} problem(s)`);
    return EXIT_USAGE;
  }
  const { flows } = result.config;
  out(`${configPath}: valid, ${flows.length} flow(s)${result.origins.some((o) => o.file !== configPath) ? ` (with drop-ins from ${result.dropInDir})` : ''}`);
  for (const flow of flows) {
    const destination = flow.type === 'kinesis' ? `Kinesis stream ${flow.streamName}` : `Firehose ${flow.streamName}`;
    out(`  ${flow.id}: ${flow.filePattern} → ${destination}; ${flow.initialPosition}; batches of ${flow.maxBufferSizeRecords} records / ${flow.maxBufferSizeBytes} bytes / ${flow.maxBufferAgeMillis} ms`);
  }
  return EXIT_OK;
}
