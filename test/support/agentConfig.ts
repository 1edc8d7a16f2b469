import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes an agent.json for one Streams flow against a local endpoint; returns its path. */
export async function writeAgentConfig(dir: string, endpoint: string, flow: Record<string, unknown>, global: Record<string, unknown> = {}): Promise<string> {
  const path = join(dir, 'agent.json');
  const config = {
    'kinesis.endpoint': endpoint,
    'kinesis.region': 'us-east-1',
    awsAccessKeyId: 'test',
    awsSecretAccessKey: 'test',
    'cloudwatch.emitMetrics': false,
    checkpointIntervalMillis: 200,
    'log.statusReportingPeriodSeconds': 1,
    // An ephemeral port: agents of parallel tests never compete for 7387.
    control: { host: '127.0.0.1', port: 0 },
    ...global,
    flows: [{ initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000, ...flow }],
  };
  await writeFile(path, JSON.stringify(config, null, 2));
  return path;
}
