import type { ProcessingOption } from '../../shared/config/processingOptionSchema.js';
import { addBrackets } from './addBrackets.js';
import { apacheAccessLogJson } from './apacheAccessLogJson.js';
import { addEc2Metadata, type Ec2Metadata } from './addEc2Metadata.js';
import { addMetadata, toJsonValue } from './addMetadata.js';
import { isSkip, type Converter, type RecordContext } from './converter.js';
import { csvToJson } from './csvToJson.js';
import { encodeUtf8 } from './encodeUtf8.js';
import { slabFor, takeSlab } from './recordSlab.js';
import type { RecordWriter } from './RecordWriter.js';
import { filter } from './filter.js';
import type { JsonFormat } from './jacksonJson.js';
import { fullMatchRegex, translateJavaRegex } from './javaRegex.js';
import { jsonParse } from './jsonParse.js';
import { LOG_FORMAT_SPECS } from './logFormats.js';
import { compactKeyPrefixes, logToJson } from './logToJson.js';
import { singleLine } from './singleLine.js';

/** A processing option that cannot work, with the key at fault (relative to the option). */
export class ProcessingConfigError extends Error {
  constructor(readonly key: string, message: string) {
    super(message);
    this.name = 'ProcessingConfigError';
  }
}

export interface ChainDeps {
  hostname: string;
  now: () => number;
  /** Instance metadata for ADDEC2METADATA, refreshed every `ttlSeconds` (undefined off EC2). */
  ec2Metadata: (ttlSeconds: number) => () => Ec2Metadata | undefined;
  onEc2Unavailable: () => void;
}

export type ChainOutcome =
  | { kind: 'record'; data: Uint8Array }
  | { kind: 'skip'; reason: string }
  /** A converter threw: the original bytes are sent instead (Java: TotalDataProcessingErrors). */
  | { kind: 'fallback'; data: Uint8Array; error: unknown };

export type Chain = (data: Uint8Array, context: RecordContext) => ChainOutcome;

const decoder = new TextDecoder('utf-8');

/**
 * The `dataProcessingOptions` chain, compiled once per flow (reference §2.1): options run in order
 * on the record's text (UTF-8, malformed bytes as U+FFFD, as Java's `new String(bytes, UTF_8)`); a
 * skip stops the chain; an exception sends the raw line. Without options the bytes go untouched.
 */
/** The chain of a flow without dataProcessingOptions: the line is the record (RecordProcessor skips the call). */
export const identityChain: Chain = (data) => ({ kind: 'record', data });

export function compileChain(options: readonly ProcessingOption[], deps: ChainDeps): Chain {
  const converters = options.map((option) => compileConverter(option, deps));
  if (converters.length === 0) return identityChain;
  const chain: Chain = (data, context) => {
    let text = decoder.decode(data);
    try {
      for (const convert of converters) {
        const result = convert(text, context);
        if (isSkip(result)) return { kind: 'skip', reason: result.skip };
        text = result;
      }
    } catch (error) {
      return { kind: 'fallback', data, error };
    }
    return { kind: 'record', data: encodeUtf8(text) };
  };
  const writer = compileRecordWriter(options);
  if (writer === undefined) return chain;
  // A line the writer declines goes the string way (see RecordWriter).
  return (data, context) => {
    const worst = writer.worst(data.length);
    const room = slabFor(worst);
    const out = room?.slab ?? new Uint8Array(worst);
    const length = writer.write(data, 0, data.length, out, room?.at ?? 0);
    if (length < 0) return chain(data, context);
    return { kind: 'record', data: room === undefined ? out.subarray(0, length) : takeSlab(length) };
  };
}

/**
 * The chain as a RecordWriter, where there is one that gives its bytes: LOGTOJSON of the Apache
 * access formats alone, with the built-in pattern, untyped COMPACT output and distinct field names
 * (repeated custom names keep the last value, which only the Map path does).
 */
export function compileRecordWriter(options: readonly ProcessingOption[]): RecordWriter | undefined {
  const option = options[0];
  if (options.length !== 1 || option?.optionName !== 'LOGTOJSON') return undefined;
  const o = option as Record<string, unknown>;
  const format = o['logFormat'];
  if (format !== 'COMBINEDAPACHELOG' && format !== 'COMMONAPACHELOG') return undefined;
  if (o['matchPattern'] !== undefined || o['typedFields'] === true || (o['jsonFormat'] ?? 'COMPACT') !== 'COMPACT') return undefined;
  const fieldNames = (o['customFieldNames'] as string[] | undefined) ?? LOG_FORMAT_SPECS[format].fields;
  if (new Set(fieldNames).size !== fieldNames.length) return undefined;
  const encoder = new TextEncoder();
  return apacheAccessLogJson({ combined: format === 'COMBINEDAPACHELOG', keyPrefixes: compactKeyPrefixes(fieldNames).map((prefix) => encoder.encode(prefix)) });
}

export function compileConverter(option: ProcessingOption, deps: ChainDeps): Converter {
  const o = option as Record<string, unknown>;
  const jsonFormat = (o['jsonFormat'] ?? 'COMPACT') as JsonFormat;
  switch (option.optionName) {
    case 'SINGLELINE':
      return singleLine((o['parseOptions'] as string[] | undefined) ?? []);
    case 'CSVTOJSON':
      return compileCsv(o, jsonFormat);
    case 'LOGTOJSON':
      return compileLogToJson(o, jsonFormat, deps);
    case 'ADDMETADATA':
      return addMetadata({
        metadata: toJsonValue(o['metadata']),
        timestamp: typeof o['timestamp'] === 'string' && o['timestamp'].toLowerCase() === 'true',
        hostname: o['hostname'] === true ? deps.hostname : undefined,
        filePath: o['filePath'] === true,
        recordId: o['recordId'] === true,
        now: deps.now,
        jsonFormat,
      });
    case 'ADDEC2METADATA':
      return addEc2Metadata({ metadata: deps.ec2Metadata(Number(o['metadataTTL'] ?? 3600)), onUnavailable: deps.onEc2Unavailable, jsonFormat });
    case 'ADDBRACKETS':
      return addBrackets();
    case 'JSONPARSE':
      return jsonParse(o['onInvalid'] === 'wrap' ? 'wrap' : 'skip');
    case 'FILTER':
      return filter(optionalRegex(o, 'include'), optionalRegex(o, 'exclude'));
  }
}

function compileCsv(o: Record<string, unknown>, jsonFormat: JsonFormat): Converter {
  const delimiter = String(o['delimiter'] ?? ',');
  const translated = translateJavaRegex(delimiter);
  if (!translated.ok) throw new ProcessingConfigError('delimiter', translated.message);
  const quotes = o['quotes'] === true;
  const delimiterChar = quotes ? literalChar(delimiter) : undefined;
  if (quotes && delimiterChar === undefined) throw new ProcessingConfigError('delimiter', `with quotes, the delimiter must be one character (such as "," or "\\\\t"), got ${JSON.stringify(delimiter)}`);
  return csvToJson({ fieldNames: (o['customFieldNames'] as string[] | undefined) ?? [], delimiter: translated.regex, quoteChar: quotes ? '"' : undefined, delimiterChar, typed: o['typedFields'] === true, jsonFormat });
}

/** The one character a Java regex like `,` `\t` or `\|` stands for. */
function literalChar(regex: string): string | undefined {
  if (regex.length === 1 && !'.[]()*+?{}^$|\\'.includes(regex)) return regex;
  const escapes: Record<string, string> = { t: '\t', '|': '|', '.': '.', ';': ';', ',': ',', ' ': ' ' };
  return regex.length === 2 && regex[0] === '\\' ? escapes[regex[1] ?? ''] : undefined;
}

function compileLogToJson(o: Record<string, unknown>, jsonFormat: JsonFormat, deps: ChainDeps): Converter {
  const spec = LOG_FORMAT_SPECS[o['logFormat'] as keyof typeof LOG_FORMAT_SPECS];
  const custom = o['customFieldNames'] as string[] | undefined;
  const matchPattern = o['matchPattern'] as string | undefined;
  const compiled = fullMatchRegex(matchPattern ?? spec.pattern);
  if (!compiled.ok) throw new ProcessingConfigError(matchPattern === undefined ? 'logFormat' : 'matchPattern', compiled.message);
  const fieldNames = custom ?? spec.fields;
  if (matchPattern !== undefined && compiled.groupCount !== fieldNames.length) {
    throw new ProcessingConfigError('customFieldNames', `names ${fieldNames.length} field(s) but matchPattern has ${compiled.groupCount} capturing group(s): every line would be skipped`);
  }
  if (matchPattern === undefined && custom !== undefined && custom.length !== spec.fields.length) {
    throw new ProcessingConfigError('customFieldNames', `must rename all ${spec.fields.length} fields of ${String(o['logFormat'])} (${spec.fields.join(', ')}), got ${custom.length}`);
  }
  const year = () => new Date(deps.now()).getUTCFullYear();
  return logToJson({ regex: compiled.regex, fieldNames, dashIsNull: spec.dashIsNull, typed: o['typedFields'] === true, timeField: matchPattern === undefined ? spec.timeField : undefined, year, jsonFormat });
}

function optionalRegex(o: Record<string, unknown>, key: string): RegExp | undefined {
  const pattern = o[key];
  if (typeof pattern !== 'string') return undefined;
  const translated = translateJavaRegex(pattern);
  if (!translated.ok) throw new ProcessingConfigError(key, translated.message);
  return translated.regex;
}
