import { z } from 'zod';

/**
 * The status and stats model (DESIGN §5): one shape for the CLI's progress line, the control API,
 * the UI and /metrics.
 */
export const FLOW_STATES = ['starting', 'running', 'paused', 'error', 'stopping', 'stopped'] as const;
export type FlowState = (typeof FLOW_STATES)[number];

const count = z.number().int().nonnegative();

export const flowCountersSchema = z.object({
  linesRead: count.describe('Lines (records before processing) read from files'),
  bytesRead: count.describe('Bytes read from files'),
  recordsSent: count.describe('Records acknowledged by the destination'),
  bytesSent: count.describe('Data bytes of acknowledged records (without partition keys)'),
  recordsSkipped: count.describe('Records dropped on purpose, all reasons'),
  skipped: z.record(z.string(), count).describe('Skipped records by reason (runaway remainder, header, …)'),
  recordsTruncated: count.describe('Records cut to the record-size limit'),
  recordsProcessed: count.describe('Records converted by the dataProcessingOptions chain'),
  processingErrors: count.describe('Records a converter failed on, sent raw instead (as the Java agent)'),
  partitionKeyFallbacks: count.describe('Records without the FIELD partition key, sent with a random key'),
  recordsFailed: count.describe('Per-record failures returned by the destination (each retried)'),
  failed: z.record(z.string(), count).describe('Failures by error code'),
  throttled: count.describe('Records or requests throttled by the destination'),
  retries: count.describe('Requests sent again (whole or only their failed records)'),
  requests: count.describe('PutRecords / PutRecordBatch requests made'),
  requestErrors: count.describe('Requests that failed as a whole'),
  deadLettered: count.describe('Records the destination rejected permanently, written to the dead-letter file'),
  recordsCompressed: count.describe('Records gzip-compressed (compression: gzip)'),
  bytesBeforeCompression: count.describe('Bytes of those records before compression'),
  bytesAfterCompression: count.describe('Bytes of those records after compression'),
  filesOpened: count.describe('Files opened for tailing'),
  filesReleased: count.describe('Files released after being read to their end (rotated away, deleted)'),
  rotationsFollowed: count.describe('copytruncate copies continued in place of their original'),
  truncations: count.describe('Files truncated in place and restarted at 0'),
  bytesAbandoned: count.describe('Unread bytes of rotated files released because maxHeldFileBytes was exceeded (data loss)'),
});

export const flowGaugesSchema = z.object({
  lagBytes: count.describe('Bytes in tracked files not yet acknowledged'),
  filesTracked: count.describe('Files the flow follows'),
  filesOpen: count.describe('Files with an open descriptor (the rest are parked under maxOpenFiles)'),
  heldBytes: count.describe('Unsent bytes of rotated or deleted files kept open'),
  inFlightBytes: count.describe('Bytes read and not yet acknowledged'),
  inFlightRecords: count.describe('Records read and not yet acknowledged'),
  concurrency: count.describe('Requests allowed in flight'),
});

export const latencySchema = z.object({
  /** Upper bounds in milliseconds of the histogram buckets; the last bucket is +Inf. */
  boundsMillis: z.array(z.number()),
  counts: z.array(count),
  sumMillis: z.number().nonnegative(),
  count,
});

export const flowStatusSchema = z.object({
  key: z.string(),
  id: z.string(),
  name: z.string(),
  type: z.enum(['kinesis', 'firehose']),
  streamName: z.string(),
  filePattern: z.string(),
  state: z.enum(FLOW_STATES),
  message: z.string().optional(),
  /** Problems that do not stop the flow: a missing directory, an unreadable file, checkpoints not written. */
  warnings: z.array(z.string()),
  counters: flowCountersSchema,
  gauges: flowGaugesSchema,
  putLatency: latencySchema,
});

export type FlowCounters = z.infer<typeof flowCountersSchema>;
export type FlowGauges = z.infer<typeof flowGaugesSchema>;
export type Latency = z.infer<typeof latencySchema>;
export type FlowStatus = z.infer<typeof flowStatusSchema>;

export const agentStatusSchema = z.object({
  version: z.string(),
  pid: z.number().int(),
  startedAt: z.string(),
  uptimeMillis: count,
  flows: z.array(flowStatusSchema),
});
export type AgentStatus = z.infer<typeof agentStatusSchema>;
