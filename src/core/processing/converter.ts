/** What a record came from: for ADDMETADATA's file path and stable record id. */
export interface RecordContext {
  /** The file's path when the record was read. */
  path: string;
  /** The file's fingerprint (`<length>:<sha1>` of its first KiB): with the offset, a stable id. */
  fingerprint: string;
  /** Byte offset of the record's first byte in the file. */
  offset: number;
}

/** A converter's verdict that the record is dropped on purpose, with why (counted per reason). */
export interface Skip {
  skip: string;
}

/**
 * One `dataProcessingOptions` entry, compiled once per flow. It takes the record's text and returns
 * the new text, or a Skip (the chain stops, as a Java converter returning null). Throwing makes the
 * chain send the original line instead (reference §2.1).
 */
export type Converter = (text: string, context: RecordContext) => string | Skip;

export function isSkip(value: string | Skip): value is Skip {
  return typeof value !== 'string';
}

/** Removes exactly one trailing "\n" (the converters' input includes it; CR is kept). */
export function withoutNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
