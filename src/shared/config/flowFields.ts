import { customField, type Defaulted, booleanField, endpointField, enumField, integerField, regexField, secretField, stringField, ignoredField } from './fields.js';
import { coerceEnum, type Coerced } from './coerce.js';
import {
  FIREHOSE_MAX_RECORD_BYTES,
  KINESIS_MAX_BYTES_PER_REQUEST,
  KINESIS_MAX_LARGE_RECORD_BYTES,
  KINESIS_MAX_RECORDS_PER_REQUEST,
} from './limits.js';

export type PartitionKeyOption = 'RANDOM' | 'DETERMINISTIC' | `FIELD:${string}`;

function coercePartitionKeyOption(raw: unknown): Coerced<PartitionKeyOption> {
  if (typeof raw === 'string' && /^FIELD:[^\s]+$/.test(raw)) return { ok: true, value: raw as PartitionKeyOption };
  const result = coerceEnum(raw, ['RANDOM', 'DETERMINISTIC'] as const);
  return result.ok ? result : { ok: false, message: result.message.replace('(case-sensitive)', 'or FIELD:<jsonField> (case-sensitive)') };
}

export const INITIAL_POSITIONS = ['START_OF_FILE', 'END_OF_FILE'] as const;
export const AGGREGATIONS = ['none', 'kpl'] as const;
export const COMPRESSIONS = ['none', 'gzip'] as const;

const ONE_MINUTE = 60_000;

/**
 * The keys of one flow, in the order the README documents them. Java keys keep the Java agent's
 * names, defaults and ranges (reference §1.3); new keys are marked `origin: 'shardline'`.
 */
export const flowFields = {
  name: stringField({ origin: 'shardline', description: 'A name for the flow, shown in logs, status and the UI. Defaults to the flow id.' }),
  filePattern: stringField({
    origin: 'java',
    nonEmpty: true,
    description: 'Files to tail: a directory and a file-name glob (`/var/log/app/*.log`). Files ending .gz, .bz2 or .zip are ignored.',
  }),
  kinesisStream: stringField({ origin: 'java', nonEmpty: true, appliesTo: 'kinesis', description: 'Kinesis data stream name (not an ARN). Makes this a Streams flow.' }),
  deliveryStream: stringField({ origin: 'java', nonEmpty: true, appliesTo: 'firehose', description: 'Firehose delivery stream name. Makes this a Firehose flow; wins if kinesisStream is also set, as in the Java agent.' }),
  region: stringField({ origin: 'shardline', description: 'AWS region for this flow, overriding kinesis.region / firehose.region.' }),
  endpoint: endpointField({ origin: 'shardline', description: 'Endpoint URL for this flow, overriding kinesis.endpoint / firehose.endpoint. An empty string means unset.' }),
  assumeRoleARN: stringField({ origin: 'shardline', description: 'IAM role to assume for this flow, overriding the global assumeRoleARN.' }),
  assumeRoleExternalId: secretField({ origin: 'shardline', description: 'External id for this flow\'s assumeRoleARN.' }),
  partitionKeyOption: customField('enum', {
    origin: 'java',
    appliesTo: 'kinesis',
    default: 'RANDOM',
    values: ['RANDOM', 'DETERMINISTIC', 'FIELD:<jsonField>'],
    description: 'RANDOM (a random decimal, as the Java agent), DETERMINISTIC (MD5 hex of the record\'s own bytes) or FIELD:<jsonField> (the value of a top-level field of a JSON record).',
  }, coercePartitionKeyOption) as Defaulted<PartitionKeyOption>,
  initialPosition: enumField(INITIAL_POSITIONS, {
    origin: 'java',
    default: 'END_OF_FILE',
    description: 'Where to start in files that exist when a flow first starts with no checkpoint. Files that appear later are always read from the start.',
  }),
  maxBufferAgeMillis: integerField({ origin: 'java', default: ONE_MINUTE, min: 1000, max: 900_000, unit: 'ms', description: 'Send a batch at the latest this long after its first record was added.' }),
  maxBufferSizeBytes: integerField({
    origin: 'java',
    min: 1,
    max: KINESIS_MAX_BYTES_PER_REQUEST,
    unit: 'bytes',
    defaultText: '5242880 (5 MiB) for Streams, 4194304 (4 MiB) for Firehose',
    description: 'Largest batch in bytes (data plus partition keys); at most the service\'s request limit. Shardline sends at most 1 MiB per request (a larger record alone): request bodies are held whole to be signed, and smaller ones cost no throughput.',
  }),
  maxBufferSizeRecords: integerField({ origin: 'java', default: KINESIS_MAX_RECORDS_PER_REQUEST, min: 1, max: KINESIS_MAX_RECORDS_PER_REQUEST, unit: 'records', description: 'Largest batch in records.' }),
  maxRecordSizeBytes: integerField({
    origin: 'shardline',
    min: 1024,
    max: KINESIS_MAX_LARGE_RECORD_BYTES,
    unit: 'bytes',
    defaultText: '1048576 for Streams (up to 10 MiB if the stream allows it), 1024000 for Firehose (fixed)',
    description: 'Largest record including its partition key; longer records are cut and end with truncatedRecordTerminator.',
  }),
  minTimeBetweenFilePollsMillis: integerField({ origin: 'java', default: 100, min: 1, max: 60_000, unit: 'ms', description: 'How often open files are checked for new data when idle.' }),
  maxTimeBetweenFileTrackerRefreshMillis: integerField({ origin: 'java', default: 10_000, min: 100, max: 900_000, unit: 'ms', description: 'Longest time between full rescans of the pattern\'s directory (file events trigger earlier scans).' }),
  retryInitialBackoffMillis: integerField({ origin: 'java', default: 100, min: 1, max: 3_600_000, unit: 'ms', description: 'Base of the full-jitter backoff between retries.' }),
  retryMaxBackoffMillis: integerField({ origin: 'java', default: 10_000, min: 1, max: 3_600_000, unit: 'ms', description: 'Cap of the full-jitter backoff between retries.' }),
  skipHeaderLines: integerField({ origin: 'java', default: 0, min: 0, max: 1_000_000, unit: 'lines', description: 'Lines to skip at the start of every file read from offset 0.' }),
  multiLineStartPattern: regexField({ origin: 'java', description: 'Java regex matching the first line of a multi-line record. An empty string means unset.' }),
  fileFooterPattern: regexField({ origin: 'java', description: 'Java regex of a footer line that ends a file\'s data.' }),
  truncatedRecordTerminator: stringField({ origin: 'java', default: '\n', description: 'Appended to a record cut to the record-size limit.' }),
  aggregatedRecordSizeBytes: integerField({ origin: 'java', appliesTo: 'firehose', default: 0, min: 0, max: FIREHOSE_MAX_RECORD_BYTES, unit: 'bytes', description: 'Firehose only: pack whole lines into records of up to this size (0 = off).' }),
  aggregation: enumField(AGGREGATIONS, { origin: 'shardline', appliesTo: 'kinesis', default: 'none', description: 'kpl: pack records in the KPL aggregated format (Streams only; the KCL and aws-kinesis-agg de-aggregate).' }),
  compression: enumField(COMPRESSIONS, { origin: 'shardline', default: 'none', description: 'gzip: compress each record.' }),
  preserveOrder: booleanField({ origin: 'shardline', default: false, description: 'Keep one request in flight so records of a partition key are never reordered by retries.' }),
  maxInFlightBytes: integerField({ origin: 'shardline', default: 8 * 1024 * 1024, min: 64 * 1024, max: 1024 * 1024 * 1024, unit: 'bytes', description: 'Bytes read but not yet acknowledged, plus the bodies of requests in flight; reading pauses when they are spent (bounds memory). When reading pauses, the open batch is sent at once.' }),
  multiLineFlushMillis: integerField({ origin: 'shardline', default: 1000, min: 10, max: 3_600_000, unit: 'ms', description: 'Quiet period after which a multi-line record is complete without a next start line.' }),
  paused: booleanField({ origin: 'shardline', default: false, description: 'A paused flow reads nothing; its checkpoints are kept.' }),
  'log.emitInternalMetrics': booleanField({ origin: 'java', default: false, description: 'Include the flow\'s internal counters in its progress line.' }),
  publishQueueCapacity: ignoredField({ origin: 'java', default: 100, ignored: 'Shardline bounds memory with maxInFlightBytes instead of a queue of buffers', description: 'Java: queued buffers per flow.' }),
  waitOnFullPublishQueueMillis: integerField({ origin: 'java', default: 60_000, min: 1000, max: 900_000, unit: 'ms', ignored: 'unused by the Java agent too', description: 'Java: accepted and range-checked, no effect.' }),
  waitOnEmptyPublishQueueMillis: integerField({ origin: 'java', default: 60_000, min: 1000, max: 900_000, unit: 'ms', ignored: 'Shardline sends as soon as a batch is full or old enough', description: 'Java: the publisher thread\'s longest wait for a buffer.' }),
  waitOnFullRetryQueueMillis: ignoredField({ origin: 'java', ignored: 'never read by the Java agent either', description: 'Java: a key constant that is never read.' }),
} as const;

export const FLOW_KEYS: ReadonlySet<string> = new Set([...Object.keys(flowFields), 'dataProcessingOptions']);
