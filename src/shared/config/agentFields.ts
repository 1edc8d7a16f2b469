import type { z } from 'zod';
import { show, type Coerced } from './coerce.js';
import { booleanField, customField, endpointField, ignoredField, integerField, secretField, stringField, type Optional } from './fields.js';

export interface ControlOption {
  host: string;
  port: number;
  publicMetrics: boolean;
}

export const DEFAULT_CONTROL: ControlOption = { host: '127.0.0.1', port: 7387, publicMetrics: false };

function coerceControl(raw: unknown): Coerced<ControlOption | false> {
  if (raw === false) return { ok: true as const, value: false };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false as const, message: `must be false or {"host":"127.0.0.1","port":7387}, got ${show(raw)}` };
  }
  const { host = DEFAULT_CONTROL.host, port = DEFAULT_CONTROL.port, publicMetrics = false } = raw as Record<string, unknown>;
  const portNumber = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (typeof host !== 'string' || host === '') return { ok: false as const, message: `host must be a host name or address, got ${show(host)}` };
  if (typeof portNumber !== 'number' || !Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) {
    return { ok: false as const, message: `port must be 0..65535, got ${show(port)}` };
  }
  if (typeof publicMetrics !== 'boolean') return { ok: false as const, message: `publicMetrics must be true or false, got ${show(publicMetrics)}` };
  return { ok: true as const, value: { host, port: portNumber, publicMetrics } };
}

const legacyLogKey = (key: string) =>
  ignoredField({ origin: 'java', ignored: 'legacy logging key (ignored by the Java agent since 2018); use --log-level', description: `Legacy Java key ${key}.` });

/** The top-level keys of agent.json except `flows` (reference §1.2 and DESIGN §2). */
export const agentFields = {
  dataDir: stringField({ origin: 'shardline', nonEmpty: true, defaultText: '/var/lib/shardline as root on Linux, else the user\'s state directory', description: 'Where checkpoints, the lock, the control token and the dead-letter files live.' }),
  checkpointFile: stringField({ origin: 'java', nonEmpty: true, defaultText: '<dataDir>/checkpoints.json', description: 'Checkpoint file (JSON). If it names the Java agent\'s SQLite database, Shardline never writes it and keeps its own file in dataDir.' }),
  checkpointTimeToLiveDays: integerField({ origin: 'java', default: 7, min: 1, max: 36500, unit: 'days', description: 'Checkpoints of files gone this long are removed.' }),
  checkpointIntervalMillis: integerField({ origin: 'shardline', default: 1000, min: 100, max: 600_000, unit: 'ms', description: 'Checkpoints are written at most this often when they changed, and at shutdown.' }),
  'checkpoints.queryTimeoutSeconds': integerField({ origin: 'java', default: 30, min: 1, max: 3600, unit: 's', ignored: 'SQLite-specific', description: 'Java: SQLite query timeout.' }),
  'checkpoints.connectionTimeoutSeconds': integerField({ origin: 'java', default: 5, min: 1, max: 3600, unit: 's', ignored: 'SQLite-specific (unused by the Java agent too)', description: 'Java: SQLite connection timeout.' }),
  'cloudwatch.emitMetrics': booleanField({ origin: 'java', default: true, description: 'Publish the Java agent\'s CloudWatch metrics (namespace AWSKinesisAgent).' }),
  'cloudwatch.endpoint': endpointField({ origin: 'java', description: 'CloudWatch endpoint URL. An empty string means unset.' }),
  'cloudwatch.region': stringField({ origin: 'shardline', defaultText: 'the region of cloudwatch.endpoint, else us-east-1 (as the Java agent)', description: 'Region the CloudWatch metrics are published in.' }),
  'cloudwatch.namespace': stringField({ origin: 'java', default: 'AWSKinesisAgent', description: 'CloudWatch namespace.' }),
  'cloudwatch.tagInstance': booleanField({ origin: 'java', default: false, description: 'Add the Instance dimension (EC2 instance id, else the host name).' }),
  'cloudwatch.metricsBufferTimeMillis': integerField({ origin: 'java', default: 30_000, min: 1000, max: 3_600_000, unit: 'ms', description: 'CloudWatch flush interval.' }),
  'cloudwatch.metricsQueueSize': integerField({ origin: 'java', default: 10_000, min: 1, max: 1_000_000, description: 'Most distinct metric data queued.' }),
  'kinesis.endpoint': endpointField({ origin: 'java', description: 'Kinesis Data Streams endpoint URL, with or without scheme. An empty string means unset.' }),
  'kinesis.region': stringField({ origin: 'java', description: 'Kinesis Data Streams region; else the SDK\'s region chain.' }),
  'firehose.endpoint': endpointField({ origin: 'java', description: 'Firehose endpoint URL, with or without scheme. An empty string means unset.' }),
  'firehose.region': stringField({ origin: 'shardline', defaultText: 'the SDK\'s region chain, else us-east-1 (as the Java agent)', description: 'Firehose region.' }),
  'sts.endpoint': endpointField({ origin: 'java', description: 'STS endpoint for assumeRoleARN. An empty string means unset.' }),
  awsAccessKeyId: secretField({ origin: 'java', description: 'Static access key id; else the SDK\'s default credential chain.' }),
  awsSecretAccessKey: secretField({ origin: 'java', description: 'Static secret access key.' }),
  assumeRoleARN: stringField({ origin: 'java', description: 'IAM role assumed on top of the credential chain (session AWSKinesisAgent, 3600 s).' }),
  assumeRoleExternalId: secretField({ origin: 'java', description: 'External id for assumeRoleARN.' }),
  'userDefinedCredentialsProvider.classname': ignoredField({ origin: 'java', ignored: 'a Java class cannot run in Shardline; use the SDK credential chain (credential_process in a profile works)', description: 'Java: custom credentials provider class.' }),
  'userDefinedCredentialsProvider.location': ignoredField({ origin: 'java', ignored: 'a Java class cannot run in Shardline', description: 'Java: JAR of the custom provider.' }),
  maxSendingThreads: integerField({ origin: 'java', min: 1, max: 1000, unit: 'threads', defaultText: 'max(2, maxSendingThreadsPerCore × CPUs)', description: 'Most requests in flight across all flows.' }),
  maxSendingThreadsPerCore: integerField({ origin: 'java', default: 12, min: 1, max: 1000, unit: 'threads', description: 'Used for the maxSendingThreads default.' }),
  sendingThreadsKeepAliveMillis: integerField({ origin: 'java', default: 60_000, min: 0, max: 3_600_000, unit: 'ms', ignored: 'Shardline has no thread pool', description: 'Java: idle sender thread lifetime.' }),
  sendingThreadsMaxQueueSize: integerField({ origin: 'java', default: 100, min: 1, max: 1_000_000, ignored: 'Shardline has no thread pool', description: 'Java: sender executor queue.' }),
  maxConnections: integerField({ origin: 'java', min: 1, max: 10_000, defaultText: 'max(50, maxSendingThreads)', description: 'HTTP connections per endpoint.' }),
  connectionTimeoutMillis: integerField({ origin: 'java', default: 10_000, min: 1, max: 600_000, unit: 'ms', description: 'TCP connect timeout.' }),
  socketTimeoutMillis: integerField({ origin: 'java', default: 50_000, min: 1, max: 3_600_000, unit: 'ms', description: 'Request timeout.' }),
  connectionTTLMillis: integerField({ origin: 'java', default: -1, min: -1, max: 86_400_000, unit: 'ms', ignored: 'Node keeps connections while they are used', description: 'Java: connection lifetime (-1 = infinite).' }),
  useTcpKeepAlive: booleanField({ origin: 'java', default: false, description: 'TCP keep-alive probes on connections.' }),
  useHttpGzip: booleanField({ origin: 'java', default: false, ignored: 'response compression only; use a flow\'s compression to compress records', description: 'Java: gzip HTTP responses.' }),
  userAgent: stringField({ origin: 'java', description: 'Prefix of the User-Agent header.' }),
  userAgentOverride: stringField({ origin: 'java', description: 'Replaces the User-Agent header.' }),
  shutdownTimeoutMillis: integerField({ origin: 'java', default: 10_000, min: 0, max: 600_000, unit: 'ms', description: 'On SIGTERM, how long in-flight sends may take before the final checkpoint.' }),
  'log.emitMetrics': booleanField({ origin: 'java', default: false, description: 'Log metrics at debug level.' }),
  'log.emitInternalMetrics': booleanField({ origin: 'java', default: false, description: 'Include internal counters in the progress lines.' }),
  'log.statusReportingPeriodSeconds': integerField({ origin: 'java', default: 30, min: 1, max: 86_400, unit: 's', description: 'Period of the progress lines.' }),
  'log.level': legacyLogKey('log.level'),
  'log.file': legacyLogKey('log.file'),
  'log.maxBackupIndex': legacyLogKey('log.maxBackupIndex'),
  'log.maxFileSize': legacyLogKey('log.maxFileSize'),
  control: customField('object', { origin: 'shardline', default: DEFAULT_CONTROL, description: 'Control API and web UI address ({"host","port","publicMetrics"}) on loopback, or false to turn it off.' }, coerceControl) as z.ZodType<ControlOption | false, unknown>,
  maxOpenFiles: integerField({ origin: 'shardline', default: 256, min: 1, max: 100_000, unit: 'files', description: 'Most descriptors open on log files at once (one per flow is kept for identity checks); files read to their end are closed first and reopened by identity.' }),
  maxHeldFileBytes: integerField({ origin: 'shardline', default: 2 * 1024 ** 3, min: 1024 * 1024, max: Number.MAX_SAFE_INTEGER, unit: 'bytes', description: 'Unsent bytes of rotated or deleted files kept open during an outage; past it the oldest is released (loud, counted).' }),
  keepSkippedRecords: booleanField({ origin: 'shardline', default: false, description: 'Write records dropped by processing (non-matching lines, footers) to the dead-letter file.' }),
  fatalRetryMaxMillis: integerField({ origin: 'shardline', default: 15_000, min: 1000, max: 3_600_000, unit: 'ms', description: 'A flow in error (stream missing, access denied, bad credentials, KMS key disabled) probes its destination with one record; the interval grows from retryInitialBackoffMillis up to this.' }),
} as const;

export type SecretKey = 'awsAccessKeyId' | 'awsSecretAccessKey' | 'assumeRoleExternalId';
export type OptionalField<T> = Optional<T>;
