import type { Converter } from './converter.js';
import { withoutNewline } from './converter.js';
import { writeJacksonJson, type JsonFormat, type JsonValue } from './jacksonJson.js';
import { javaSplit } from './javaString.js';
import { typedValue } from './typedValue.js';

export interface CsvOptions {
  fieldNames: readonly string[];
  /** The translated Java-regex delimiter (Java `String.split` semantics). */
  delimiter: RegExp;
  /** RFC 4180 quoting (a Shardline option): the delimiter is then one literal character. */
  quoteChar?: string | undefined;
  delimiterChar?: string | undefined;
  typed: boolean;
  jsonFormat: JsonFormat;
}

/**
 * CSVTOJSON (reference §2.3): one trailing "\n" stripped, the line split on the delimiter with Java
 * split semantics (no quote handling, values never trimmed, a CR from CRLF kept), field i = column i,
 * missing columns null, extra columns ignored. With `quotes`, fields follow RFC 4180 instead.
 */
export function csvToJson(options: CsvOptions): Converter {
  const split = options.quoteChar === undefined ? (line: string) => javaSplit(line, options.delimiter) : (line: string) => splitQuoted(line, options.delimiterChar ?? ',', options.quoteChar ?? '"');
  return (text) => {
    const columns = split(withoutNewline(text));
    const record = new Map<string, JsonValue>();
    options.fieldNames.forEach((name, i) => {
      const value = columns[i] ?? null;
      record.set(name, options.typed ? typedValue(value) : value);
    });
    return `${writeJacksonJson(record, options.jsonFormat)}\n`;
  };
}

/** RFC 4180: fields may be quoted; a doubled quote inside a quoted field is one quote. */
export function splitQuoted(line: string, delimiter: string, quote: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === quote && line[i + 1] === quote) {
        field += quote;
        i += 1;
      } else if (c === quote) {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === quote && field === '') {
      quoted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}
