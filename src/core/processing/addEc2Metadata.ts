import type { Converter } from './converter.js';
import { withoutNewline } from './converter.js';
import { parseJsonOrdered, writeJacksonJson, type JsonFormat, type JsonValue } from './jacksonJson.js';

/** Instance metadata in the Java agent's order (reference §2.6), or undefined off EC2. */
export type Ec2Metadata = ReadonlyArray<readonly [string, JsonValue]>;

export interface AddEc2MetadataOptions {
  /** The current snapshot, refreshed in the background every metadataTTL seconds. */
  metadata: () => Ec2Metadata | undefined;
  onUnavailable: () => void;
  jsonFormat: JsonFormat;
}

/**
 * ADDEC2METADATA (reference §2.6): the input must be a JSON object (so this follows LOGTOJSON or
 * CSVTOJSON); the metadata fields are put into it (existing keys keep their place and take the new
 * value, as Java's LinkedHashMap.putAll) and it is written again. Input that is not a JSON object
 * throws, so the chain sends the raw line. Off EC2 the record passes unchanged.
 */
export function addEc2Metadata(options: AddEc2MetadataOptions): Converter {
  return (text) => {
    // As in Java: without metadata the record passes unchanged, before any parsing.
    const metadata = options.metadata();
    if (metadata === undefined) {
      options.onUnavailable();
      return text;
    }
    // Jackson's readValue ignores what follows the root value.
    const parsed = parseJsonOrdered(withoutNewline(text), { allowTrailingContent: true });
    if (!(parsed instanceof Map)) throw new Error('ADDEC2METADATA needs a JSON object (put it after LOGTOJSON or CSVTOJSON)');
    for (const [key, value] of metadata) parsed.set(key, value);
    return `${writeJacksonJson(parsed, options.jsonFormat)}\n`;
  };
}
