import type { Converter } from './converter.js';
import { withoutNewline } from './converter.js';
import { quoteJacksonString, writeJacksonJson, type JsonFormat, type JsonValue } from './jacksonJson.js';
import { isoTimestamp, typedValue } from './typedValue.js';

export interface LogToJsonOptions {
  /** A full-match RegExp (Java `Matcher.matches()`). */
  regex: RegExp;
  fieldNames: readonly string[];
  dashIsNull: boolean;
  typed: boolean;
  /** With `typed`, the field converted to ISO-8601, and the year for logs that omit it. */
  timeField?: string | undefined;
  year: () => number;
  jsonFormat: JsonFormat;
}

/**
 * LOGTOJSON (reference §2.4): one trailing "\n" stripped (a CR is not), a full match or the record
 * is skipped, field i = group i+1 (an unmatched optional group is null), "-" → null in the Apache
 * parsers only; JSON values are strings (or typed, as an option) and the output ends with "\n".
 */
export function logToJson(options: LogToJsonOptions): Converter {
  const { fieldNames } = options;
  const value = (name: string, group: string | undefined): JsonValue => {
    let text = group ?? null;
    if (options.dashIsNull && text === '-') text = null;
    if (!options.typed || text === null) return text;
    return name === options.timeField ? isoTimestamp(text, options.year()) : typedValue(text);
  };
  // COMPACT with distinct names (every built-in format): the JSON is written directly, each key
  // quoted once here rather than a Map built and walked per line. Same bytes as the Map path
  // (Jackson's LinkedHashMap order); repeated names (custom ones) keep the Map's last-wins rule.
  if (options.jsonFormat === 'COMPACT' && new Set(fieldNames).size === fieldNames.length && fieldNames.length > 0) {
    const prefixes = compactKeyPrefixes(fieldNames);
    return (text) => {
      const match = options.regex.exec(withoutNewline(text));
      if (match === null) return { skip: 'logFormatMismatch' };
      let json = '';
      for (let i = 0; i < fieldNames.length; i++) {
        const field = value(fieldNames[i] as string, match[i + 1]);
        json += prefixes[i] + (typeof field === 'string' ? quoteJacksonString(field) : writeJacksonJson(field, 'COMPACT'));
      }
      return `${json}}\n`;
    };
  }
  return (text) => {
    const match = options.regex.exec(withoutNewline(text));
    if (match === null) return { skip: 'logFormatMismatch' };
    const record = new Map<string, JsonValue>();
    fieldNames.forEach((name, i) => record.set(name, value(name, match[i + 1])));
    return `${writeJacksonJson(record, options.jsonFormat)}\n`;
  };
}

/** Each field's key in COMPACT JSON with what comes before it: `{"host":`, `,"ident":`, … */
export function compactKeyPrefixes(fieldNames: readonly string[]): string[] {
  return fieldNames.map((name, i) => `${i === 0 ? '{' : ','}${quoteJacksonString(name)}:`);
}
