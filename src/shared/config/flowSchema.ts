import { z } from 'zod';
import { show } from './coerce.js';
import { flowFields, type PartitionKeyOption } from './flowFields.js';
import {
  FIREHOSE_MAX_BYTES_PER_REQUEST,
  FIREHOSE_MAX_RECORD_BYTES,
  FIREHOSE_READ_BUFFER_BYTES,
  KINESIS_MAX_BYTES_PER_REQUEST,
  KINESIS_MAX_RECORD_BYTES,
  KINESIS_READ_BUFFER_BYTES,
} from './limits.js';
import { processingOptionSchema, type ProcessingOption } from './processingOptionSchema.js';

export type DestinationType = 'kinesis' | 'firehose';

const flowObject = z.object({
  ...flowFields,
  dataProcessingOptions: z.unknown().optional().transform((raw, ctx): ProcessingOption[] => {
    if (raw === undefined) return [];
    // The Java agent silently ignores a dataProcessingOptions that is not a list (#22); that
    // surprises everyone who wrote a single object, so Shardline refuses it.
    if (!Array.isArray(raw)) {
      ctx.addIssue({ code: 'custom', message: `must be a list of options ([{...}]), got ${show(raw)}`, input: raw });
      return z.NEVER;
    }
    const result = z.array(processingOptionSchema).safeParse(raw);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue, code: 'custom', input: undefined });
    return z.NEVER;
  }),
});

type FlowFieldsOut = z.output<typeof flowObject>;

/** A flow after validation: every key has its value or default, and the destination is known. */
export type FlowConfig = Omit<FlowFieldsOut, 'maxBufferSizeBytes' | 'maxRecordSizeBytes' | 'partitionKeyOption'> & {
  filePattern: string;
  type: DestinationType;
  streamName: string;
  maxBufferSizeBytes: number;
  maxRecordSizeBytes: number;
  /** Bytes of one line the reader holds at most; the rest of a longer line is skipped. */
  readBufferBytes: number;
  partitionKeyOption: PartitionKeyOption;
  /** The Java agent's flow id, `kinesis:<stream>:<pattern>` or `fh:<stream>:<pattern>`. */
  id: string;
  /** The checkpoint key: the flow id plus the flow's own region and endpoint when set. */
  key: string;
  dataProcessingOptions: ProcessingOption[];
};

function destinationOf(flow: Record<string, unknown>): { type: DestinationType; streamName: string } | undefined {
  const { deliveryStream, kinesisStream } = flow;
  if (typeof deliveryStream === 'string' && deliveryStream !== '') return { type: 'firehose', streamName: deliveryStream };
  if (typeof kinesisStream === 'string' && kinesisStream !== '') return { type: 'kinesis', streamName: kinesisStream };
  return undefined;
}

/** Splits `dir/glob` the way the Java agent's SourceFile does: the last `/` separates them. */
export function splitFilePattern(pattern: string): { dir: string; glob: string } | undefined {
  const cut = pattern.lastIndexOf('/');
  if (cut < 0 || cut === pattern.length - 1) return undefined;
  return { dir: cut === 0 ? '/' : pattern.slice(0, cut), glob: pattern.slice(cut + 1) };
}

function checkFlow(flow: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const add = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message, input: undefined });
  const destination = destinationOf(flow);
  if (destination === undefined && flow['kinesisStream'] === undefined && flow['deliveryStream'] === undefined) {
    add([], 'could not recognize flow type: set kinesisStream (Kinesis Data Streams) or deliveryStream (Firehose)');
  }
  if (flow['filePattern'] === undefined) add(['filePattern'], 'is required');
  if (typeof flow['filePattern'] === 'string' && flow['filePattern'] !== '' && splitFilePattern(flow['filePattern']) === undefined) {
    add(['filePattern'], `must be a directory and a file-name glob such as /var/log/app/*.log, got ${show(flow['filePattern'])}`);
  }
  if (destination?.type !== 'firehose') return;
  const bytes = flow['maxBufferSizeBytes'];
  if (typeof bytes === 'number' && bytes > FIREHOSE_MAX_BYTES_PER_REQUEST) {
    add(['maxBufferSizeBytes'], `must be 1..${FIREHOSE_MAX_BYTES_PER_REQUEST} for a Firehose flow, got ${bytes}`);
  }
  if (flow['aggregation'] === 'kpl') {
    add(['aggregation'], 'kpl aggregation is for Kinesis Data Streams only: Firehose Direct PUT does not de-aggregate KPL records');
  }
  const record = flow['maxRecordSizeBytes'];
  if (typeof record === 'number' && record > FIREHOSE_MAX_RECORD_BYTES) {
    add(['maxRecordSizeBytes'], `must be at most ${FIREHOSE_MAX_RECORD_BYTES} for a Firehose flow (a fixed service limit), got ${record}`);
  }
}

function checkTerminator(flow: FlowConfig, ctx: z.RefinementCtx): void {
  const terminatorBytes = new TextEncoder().encode(flow.truncatedRecordTerminator).length;
  if (terminatorBytes >= flow.maxRecordSizeBytes) {
    ctx.addIssue({ code: 'custom', path: ['truncatedRecordTerminator'], message: `must be shorter than the record-size limit (${flow.maxRecordSizeBytes} bytes)`, input: undefined });
  }
  if (flow.retryMaxBackoffMillis < flow.retryInitialBackoffMillis) {
    ctx.addIssue({ code: 'custom', path: ['retryMaxBackoffMillis'], message: `must be at least retryInitialBackoffMillis (${flow.retryInitialBackoffMillis}), got ${flow.retryMaxBackoffMillis}`, input: undefined });
  }
}

function resolveFlow(flow: FlowFieldsOut): FlowConfig {
  const destination = destinationOf(flow) ?? { type: 'kinesis', streamName: '' };
  const firehose = destination.type === 'firehose';
  const filePattern = flow.filePattern ?? '';
  const id = `${firehose ? 'fh' : 'kinesis'}:${destination.streamName}:${filePattern}`;
  const suffix = [flow.region === undefined ? '' : `|region=${flow.region}`, flow.endpoint === undefined ? '' : `|endpoint=${flow.endpoint}`].join('');
  return {
    ...flow,
    ...destination,
    filePattern,
    maxBufferSizeBytes: flow.maxBufferSizeBytes ?? (firehose ? FIREHOSE_MAX_BYTES_PER_REQUEST : KINESIS_MAX_BYTES_PER_REQUEST),
    maxRecordSizeBytes: flow.maxRecordSizeBytes ?? (firehose ? FIREHOSE_MAX_RECORD_BYTES : KINESIS_MAX_RECORD_BYTES),
    readBufferBytes: firehose ? FIREHOSE_READ_BUFFER_BYTES : KINESIS_READ_BUFFER_BYTES,
    partitionKeyOption: flow.partitionKeyOption,
    id,
    key: id + suffix,
    name: flow.name ?? id,
  };
}

/** One flow of agent.json: Java keys with Java semantics, new keys with their defaults. */
export const flowSchema = z
  .unknown()
  .superRefine((raw, ctx) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      ctx.addIssue({ code: 'custom', message: `must be an object, got ${show(raw)}`, input: raw });
    }
  })
  .pipe(flowObject.superRefine((flow, ctx) => checkFlow(flow, ctx), { when: () => true }))
  .transform(resolveFlow)
  .superRefine(checkTerminator);
