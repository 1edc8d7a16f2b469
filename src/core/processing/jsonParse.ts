import type { Converter } from './converter.js';
import { withoutNewline } from './converter.js';
import { writeJacksonJson } from './jacksonJson.js';

/**
 * JSONPARSE (a Shardline option): lines that are JSON stay as they are (so pretty-printed or
 * compact JSON logs are shipped as JSON, not mangled); a line that is not JSON is skipped (counted
 * as `invalidJson`) or, with `onInvalid: "wrap"`, wrapped as `{"raw": "<line>"}`.
 */
export function jsonParse(onInvalid: 'skip' | 'wrap'): Converter {
  return (text) => {
    const line = withoutNewline(text);
    try {
      JSON.parse(line);
      return `${line}\n`;
    } catch {
      if (onInvalid === 'skip') return { skip: 'invalidJson' };
      return `${writeJacksonJson(new Map([['raw', line]]), 'COMPACT')}\n`;
    }
  };
}
