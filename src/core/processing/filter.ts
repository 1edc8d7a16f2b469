import type { Converter } from './converter.js';
import { withoutNewline } from './converter.js';

/**
 * FILTER (a Shardline option): keeps lines in which `include` is found and `exclude` is not (Java
 * `Matcher.find()` semantics: anywhere in the line); the rest are skipped, counted as `filter`.
 */
export function filter(include: RegExp | undefined, exclude: RegExp | undefined): Converter {
  return (text) => {
    const line = withoutNewline(text);
    if (include !== undefined && !include.test(line)) return { skip: 'filter' };
    if (exclude !== undefined && exclude.test(line)) return { skip: 'filter' };
    return text;
  };
}
