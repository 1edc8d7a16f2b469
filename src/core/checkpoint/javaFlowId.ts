import type { DestinationType } from '../../shared/config/flowSchema.js';

/**
 * The flow id the Java agent keys its checkpoint rows by: `kinesis:<stream>:<source>` or
 * `fh:<deliveryStream>:<source>`, where `<source>` is Java's `SourceFile.toString()`, i.e.
 * `directory + "/" + fileName` of the `filePattern` parsed as a `java.nio.file.Path`. A Path drops
 * repeated and trailing slashes, and a file in `/` prints as `//name`; Shardline's own flow id keeps
 * the pattern as written, so the two differ for such patterns and rows are looked up by this one.
 */
export function javaFlowId(type: DestinationType, streamName: string, filePattern: string): string {
  return `${type === 'firehose' ? 'fh' : 'kinesis'}:${streamName}:${javaSourceFile(filePattern)}`;
}

function javaSourceFile(pattern: string): string {
  const normalized = pattern.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
  const cut = normalized.lastIndexOf('/');
  if (cut < 0) return normalized;
  const dir = cut === 0 ? '/' : normalized.slice(0, cut);
  return `${dir}/${normalized.slice(cut + 1)}`;
}
