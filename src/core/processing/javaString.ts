/**
 * Java `String` operations whose semantics differ from their JS namesakes, used by SINGLELINE and
 * CSVTOJSON to produce the same records as the Java agent (reference §2.2, §2.3).
 */

/**
 * Java `String.trim()`: strips every char <= U+0020 from both ends (control chars and `\r`
 * included). JS `trim()` differs both ways: it keeps most control chars and strips Unicode spaces
 * such as U+00A0, which Java keeps.
 */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Java `String.split(regex)` (limit 0, Java 8+ `Pattern.split`):
 * - no match at all gives `[s]`, so `""` gives `[""]`;
 * - a zero-width match at index 0 never yields a leading `""`, a non-empty one does;
 * - capture groups are never included (JS `split` includes them);
 * - trailing empty strings are removed, so `","` gives `[]`.
 * `regex` is a JS RegExp already translated from Java; its `g`/`y` flags are ignored and the
 * caller's object is never mutated (a global copy is cached per RegExp).
 */
export function javaSplit(s: string, regex: RegExp): string[] {
  const literal = literalOf(regex);
  const parts = literal === undefined ? splitOnRegex(s, regex) : splitOnLiteral(s, literal);
  if (parts === undefined) return [s];
  let size = parts.length;
  while (size > 0 && parts[size - 1] === '') size--;
  if (size < parts.length) parts.length = size;
  return parts;
}

/** Returns the segments, or undefined when nothing matched (Java then returns the input itself). */
function splitOnLiteral(s: string, literal: string): string[] | undefined {
  let match = s.indexOf(literal);
  if (match < 0) return undefined;
  const parts: string[] = [];
  let index = 0;
  while (match >= 0) {
    parts.push(s.slice(index, match));
    index = match + literal.length;
    match = s.indexOf(literal, index);
  }
  parts.push(s.slice(index));
  return parts;
}

/**
 * Mirrors `Pattern.split` driven by `Matcher.find()`: after an empty match the next search starts
 * one UTF-16 unit later, after a non-empty one it starts at the match end (where an empty match
 * may then be found, which is how `"x|y".split("|")` gives `["x", "|", "y"]`).
 */
function splitOnRegex(s: string, regex: RegExp): string[] | undefined {
  const re = globalCopy(regex);
  const parts: string[] = [];
  let index = 0;
  let from = 0;
  while (from <= s.length) {
    re.lastIndex = from;
    const m = re.exec(s);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    from = end === start ? end + 1 : end;
    // Java 8+: no leading empty string for a zero-width match at the start of the input.
    if (end === 0) continue;
    parts.push(s.slice(index, start));
    index = end;
  }
  if (index === 0) return undefined;
  parts.push(s.slice(index));
  return parts;
}

const globalCopies = new WeakMap<RegExp, RegExp>();

/** A `g` copy of the caller's regex, so `lastIndex` can drive the search without touching theirs. */
function globalCopy(regex: RegExp): RegExp {
  let copy = globalCopies.get(regex);
  if (copy === undefined) {
    copy = new RegExp(regex.source, `${regex.flags.replace(/[gy]/g, '')}g`);
    globalCopies.set(regex, copy);
  }
  return copy;
}

const literalCache = new WeakMap<RegExp, string | null>();
const REGEX_META = '.$|()[{^?*+\\/';

/**
 * The char a regex matches literally, if it is that simple (as Java's own `split` fast path:
 * one non-meta char or a backslash-escaped non-alphanumeric), plus `\t` for TSV. indexOf is much
 * faster than the regex engine on the hot CSVTOJSON path, and gives the same result for these.
 */
function literalOf(regex: RegExp): string | undefined {
  let literal = literalCache.get(regex);
  if (literal === undefined) {
    literal = computeLiteral(regex);
    literalCache.set(regex, literal);
  }
  return literal ?? undefined;
}

function computeLiteral(regex: RegExp): string | null {
  if (regex.flags.includes('i')) return null;
  const src = regex.source;
  if (src.length === 1 && !REGEX_META.includes(src)) return src;
  if (src === '\\t') return '\t';
  if (src.length === 2 && src[0] === '\\' && /^[^0-9A-Za-z]$/.test(src[1] ?? '')) return src[1] ?? null;
  return null;
}
