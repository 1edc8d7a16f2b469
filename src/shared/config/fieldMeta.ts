import { z } from 'zod';

/** What a config key is, for the README's configuration reference and the UI's generated forms. */
export interface FieldMeta {
  description: string;
  kind: 'integer' | 'boolean' | 'string' | 'enum' | 'endpoint' | 'regex' | 'secret' | 'json' | 'list' | 'object';
  /** The default as a value (absent when there is none or it is computed, see defaultText). */
  default?: unknown;
  /** The default in words when it depends on something (flow type, CPU count, dataDir). */
  defaultText?: string;
  min?: number;
  max?: number;
  unit?: 'ms' | 's' | 'bytes' | 'records' | 'days' | 'lines' | 'files' | 'threads';
  values?: readonly string[];
  /** `java` keys mean what they mean in the Amazon Kinesis Agent; `shardline` keys are new. */
  origin: 'java' | 'shardline';
  /** Destination types the key applies to. */
  appliesTo?: 'kinesis' | 'firehose';
  /** Accepted for compatibility but has no effect in Shardline, with the reason. */
  ignored?: string;
}

/** Every config key's metadata, keyed by its zod schema. */
export const configRegistry = z.registry<FieldMeta>();
