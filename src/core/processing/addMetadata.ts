import type { Converter, RecordContext } from './converter.js';
import { withoutNewline } from './converter.js';
import { writeJacksonJson, type JsonFormat, type JsonValue } from './jacksonJson.js';

export interface AddMetadataOptions {
  metadata: JsonValue;
  /** The Java agent's `"timestamp": "true"`: `ts`, the conversion time in UTC with milliseconds. */
  timestamp: boolean;
  /** Shardline options: the host name, the file's path, and a stable record id. */
  hostname?: string | undefined;
  filePath: boolean;
  recordId: boolean;
  now: () => number;
  jsonFormat: JsonFormat;
}

/**
 * ADDMETADATA (reference §2.5): `{"ts"?, "metadata", "data"}` with the record text (one "\n"
 * removed) as a string. Shardline can add `hostname`, `file` and `recordId` after them; the id,
 * `<file fingerprint>:<byte offset>`, is the same whenever the record is sent again (after a crash
 * or a retry), so consumers can drop the duplicates at-least-once delivery allows.
 */
export function addMetadata(options: AddMetadataOptions): Converter {
  return (text: string, context: RecordContext) => {
    const record = new Map<string, JsonValue>();
    if (options.timestamp) record.set('ts', new Date(options.now()).toISOString());
    record.set('metadata', options.metadata);
    record.set('data', withoutNewline(text));
    if (options.hostname !== undefined) record.set('hostname', options.hostname);
    if (options.filePath) record.set('file', context.path);
    if (options.recordId) record.set('recordId', recordId(context));
    return `${writeJacksonJson(record, options.jsonFormat)}\n`;
  };
}

export function recordId(context: RecordContext): string {
  return `${context.fingerprint}:${context.offset}`;
}

/** A config value as ordered JSON (objects from the config parser keep their written order). */
export function toJsonValue(value: unknown): JsonValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJsonValue(v)]));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
