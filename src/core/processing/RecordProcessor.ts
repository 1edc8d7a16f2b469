import type { PartitionKeyOption } from '../../shared/config/flowFields.js';
import { KINESIS_MAX_PARTITION_KEY_CHARS } from '../../shared/config/limits.js';
import { randomPartitionKey } from '../records/partitionKey.js';
import { truncateRecord } from '../records/truncateRecord.js';
import { identityChain, type Chain } from './compileChain.js';
import type { RecordContext } from './converter.js';
import { javaTrim } from './javaString.js';

export type Processed =
  | { kind: 'skip'; reason: string }
  | {
      kind: 'record';
      data: Uint8Array;
      partitionKey: string;
      truncated: boolean;
      /** The chain threw and the raw line is sent (reference §2.1). */
      fallback?: unknown;
      /** FIELD:<name> found no usable value; a RANDOM key was used. */
      keyFallback: boolean;
    };

export interface RecordProcessorOptions {
  chain: Chain;
  /** fileFooterPattern as a full match of the Java-trimmed record text (MULTILINE). */
  footer?: RegExp | undefined;
  /** Record-size limit including the partition key (1 MiB Streams, 1,024,000 B Firehose). */
  maxRecordBytes: number;
  terminator: Uint8Array;
  partitionKeyOption: PartitionKeyOption;
  /** Firehose records have no partition key (PutRecordBatch); default true. */
  partitionKeys?: boolean;
  random: () => number;
  md5Hex: (data: Uint8Array) => string;
}

const decoder = new TextDecoder('utf-8');

/**
 * One record from framing to the bytes that are sent: footer check, the converter chain, the
 * partition key, and truncation to the record-size limit *after* conversion (reference §3.4).
 */
export class RecordProcessor {
  private readonly field: string | undefined;
  /** Whether the last partitionKey() fell back to a random key (a field, to allocate nothing per record). */
  private keyFallback = false;
  /** No dataProcessingOptions: the chain is not called and the record context is never read. */
  readonly usesContext: boolean;

  constructor(private readonly options: RecordProcessorOptions) {
    this.field = options.partitionKeyOption.startsWith('FIELD:') ? options.partitionKeyOption.slice('FIELD:'.length) : undefined;
    this.usesContext = options.chain !== identityChain;
  }

  // Runs once per line: no object is allocated here beyond the result (issue 8's profile: short-lived
  // per-line objects are what the young generation spends its time on).
  /**
   * `withKey` false: the caller will not use the partition key (a record joining an open KPL
   * aggregate, which is routed by its first member's key); the key is '' and not computed (a
   * DETERMINISTIC key is an MD5 of the record), and the size limit counts no key.
   */
  process(raw: Uint8Array, context: RecordContext, withKey = true): Processed {
    const { footer } = this.options;
    if (footer !== undefined) {
      footer.lastIndex = 0;
      if (footer.test(javaTrim(decoder.decode(raw)))) return { kind: 'skip', reason: 'footer' };
    }
    let converted = raw;
    let failed: { error: unknown } | undefined;
    if (this.usesContext) {
      const outcome = this.options.chain(raw, context);
      if (outcome.kind === 'skip') return outcome;
      converted = outcome.data;
      if (outcome.kind === 'fallback') failed = outcome;
    }
    const key = withKey ? this.partitionKey(converted) : this.noKey();
    // The record-size limit counts the partition key's UTF-8 bytes (PutRecords).
    const data = truncateRecord(converted, this.options.maxRecordBytes - utf8Length(key), this.options.terminator);
    const processed: Extract<Processed, { kind: 'record' }> = { kind: 'record', data, partitionKey: key, truncated: data !== converted, keyFallback: this.keyFallback };
    if (failed !== undefined) processed.fallback = failed.error;
    return processed;
  }

  private noKey(): string {
    this.keyFallback = false;
    return '';
  }

  private partitionKey(data: Uint8Array): string {
    this.keyFallback = false;
    if (this.options.partitionKeys === false) return '';
    const option = this.options.partitionKeyOption;
    if (option === 'DETERMINISTIC') return this.options.md5Hex(data);
    if (this.field !== undefined) {
      const value = fieldValue(data, this.field);
      if (value !== undefined) return value;
      this.keyFallback = true;
    }
    return randomPartitionKey(this.options.random);
  }
}

/**
 * The partition key from a top-level field of a JSON record: a non-empty string, number or boolean,
 * cut to the 256 characters Kinesis allows (PutRecordsRequestEntry.PartitionKey).
 */
function fieldValue(data: Uint8Array, field: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const value = (parsed as Record<string, unknown>)[field];
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const text = String(value);
  return text === '' ? undefined : [...text].slice(0, KINESIS_MAX_PARTITION_KEY_CHARS).join('');
}

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0x7f) return encoder.encode(text).length;
  return text.length;
}
