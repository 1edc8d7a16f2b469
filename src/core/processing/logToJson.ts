import type { Converter } from './converter.js';
import { withoutNewline } from './converter.js';
import { writeJacksonJson, type JsonFormat, type JsonValue } from './jacksonJson.js';
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
  return (text) => {
    const match = options.regex.exec(withoutNewline(text));
    if (match === null) return { skip: 'logFormatMismatch' };
    const record = new Map<string, JsonValue>();
    options.fieldNames.forEach((name, i) => {
      let value = match[i + 1] ?? null;
      if (options.dashIsNull && value === '-') value = null;
      if (!options.typed || value === null) record.set(name, value);
      else if (name === options.timeField) record.set(name, isoTimestamp(value, options.year()));
      else record.set(name, typedValue(value));
    });
    return `${writeJacksonJson(record, options.jsonFormat)}\n`;
  };
}
