import type { RecordWriter } from './RecordWriter.js';

export interface ApacheAccessLogJsonOptions {
  /** COMBINEDAPACHELOG (9 fields) or COMMONAPACHELOG (7). */
  combined: boolean;
  /** The JSON key of each field, already quoted with its separator: `{"host":`, `,"ident":`, … */
  keyPrefixes: readonly Uint8Array[];
}

/**
 * LOGTOJSON COMMONAPACHELOG / COMBINEDAPACHELOG, COMPACT and untyped, on bytes: the line is parsed
 * where it lies and its JSON written straight into a record slab (no decode, regex, match array,
 * substrings or string JSON, which were LOGTOJSON's whole profile in issue 8).
 *
 * It writes the record, or returns -1 when it cannot vouch for the answer, and the regex path
 * then decides (always correct, and rare on real logs): any byte outside printable ASCII (UTF-8,
 * tabs, CR, control bytes), and any line it does not match. So when it answers, the answer must
 * be the regex's: each group of the patterns (logFormats.ts) is fixed by the first delimiter after
 * it, because no group can contain its delimiter —
 *   host      `(?:HOSTNAME|IP)` up to the first space: `[\w-]+(\.[\w-]+)*\.?` or `[\d.]+`
 *   ident     `[a-zA-Z0-9._-]+` up to the next space
 *   authuser  the same, then ` [`
 *   datetime  HTTPDATE up to the first `]`, then ` "`
 *   request   `[^"]+` up to the next `"`, then a space
 *   response  `INT|-` up to the next space (INT = `[+-]?[0-9]+`)
 *   bytes     COMBINED: the same, then ` "`; COMMON: the longest INT prefix, else `-`, then `.*`
 *   referer   `[^"]+` up to the next `"`, then ` "`   (COMBINED)
 *   agent     `[^"]+` up to the next `"`, then `.*`  (COMBINED)
 * and a value of exactly "-" is null. The property test (apacheAccessLogJson.test.ts) holds it to
 * the regex path on generated and mutated lines.
 */
export function apacheAccessLogJson(options: ApacheAccessLogJsonOptions): RecordWriter {
  const { combined, keyPrefixes } = options;
  const fields = combined ? 9 : 7;
  if (keyPrefixes.length !== fields) throw new RangeError(`expected ${fields} key prefixes, got ${keyPrefixes.length}`);
  const prefixBytes = keyPrefixes.reduce((sum, prefix) => sum + prefix.length, 0);
  // Start and end of each field in the line, and whether a quoted one holds a backslash (reused:
  // this runs once per line).
  const bounds = new Int32Array(fields * 2 + 1);
  return {
    // A value at most doubles (a backslash is escaped) plus its quotes ("-" → null: 4 bytes for 1).
    worst: (length) => prefixBytes + 2 * length + 2 * fields + 2,
    write(line, start, end, out, at) {
      if (end > start && line[end - 1] === NL) end -= 1;
      if (!parse(line, start, end, combined, bounds)) return -1;
      const backslashes = bounds[2 * fields] === 1;
      const first = at;
      for (let f = 0; f < fields; f++) {
        const prefix = keyPrefixes[f]!;
        for (let k = 0; k < prefix.length; k++) out[at++] = prefix[k]!;
        const from = bounds[2 * f]!;
        const to = bounds[2 * f + 1]!;
        if (to - from === 1 && line[from] === DASH) {
          out[at++] = 0x6e; // null
          out[at++] = 0x75;
          out[at++] = 0x6c;
          out[at++] = 0x6c;
          continue;
        }
        out[at++] = QUOTE;
        if (backslashes) {
          // Printable ASCII needs only `\` escaped in JSON here: no field can hold `"` (see above).
          for (let i = from; i < to; i++) {
            const byte = line[i]!;
            if (byte === BACKSLASH) out[at++] = BACKSLASH;
            out[at++] = byte;
          }
        } else if (to - from < VIEW_COPY_BYTES) {
          for (let i = from; i < to; i++) out[at++] = line[i]!;
        } else {
          out.set(line.subarray(from, to), at);
          at += to - from;
        }
        out[at++] = QUOTE;
      }
      out[at++] = CLOSE_BRACE;
      out[at++] = NL;
      return at - first;
    },
  };
}

/**
 * A field shorter than this is copied byte by byte, a longer one with a view and `set`. A view is an
 * object per field: with the cut at 16 bytes, date, request, referer and agent made four per line,
 * and the collections they caused (young, then old-generation marking on V8's helper threads) cost
 * more than the loop; at 128, LOGTOJSON ran 10% faster with 10% less CPU (issue 8, six pairs).
 */
const VIEW_COPY_BYTES = 128;

const NL = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const DASH = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const UNDERSCORE = 0x5f;
const CLOSE_BRACE = 0x7d;

/** Fills `bounds` with each field's [start, end) in `line[start, end)`; false if the line does not match. */
function parse(line: Uint8Array, start: number, end: number, combined: boolean, bounds: Int32Array): boolean {
  bounds[bounds.length - 1] = 0;
  // host, then a space
  let p = start;
  let i = indexOf(line, SPACE, p, end);
  if (i < 0 || !isHost(line, p, i)) return false;
  setField(bounds, 0, p, i);
  // ident, then a space
  p = i + 1;
  i = indexOf(line, SPACE, p, end);
  if (i < 0 || !isUser(line, p, i)) return false;
  setField(bounds, 1, p, i);
  // authuser, then " ["
  p = i + 1;
  i = indexOf(line, SPACE, p, end);
  if (i < 0 || !isUser(line, p, i) || !follows(line, i + 1, end, OPEN_BRACKET)) return false;
  setField(bounds, 2, p, i);
  // datetime, then '] "'
  p = i + 2;
  i = indexOf(line, CLOSE_BRACKET, p, end);
  if (i < 0 || !isHttpDate(line, p, i) || !follows(line, i + 1, end, SPACE, QUOTE)) return false;
  setField(bounds, 3, p, i);
  // request, then '" '
  p = i + 3;
  i = quotedEnd(line, p, end, bounds);
  if (i <= p || !follows(line, i + 1, end, SPACE)) return false;
  setField(bounds, 4, p, i);
  // response, then a space
  p = i + 2;
  i = indexOf(line, SPACE, p, end);
  if (i < 0 || !isIntOrDash(line, p, i)) return false;
  setField(bounds, 5, p, i);
  p = i + 1;
  if (!combined) {
    // bytes, then `.*`: the longest INT prefix (greedy, and .* takes the rest), else "-".
    i = intPrefixEnd(line, p, end);
    if (i < 0) {
      if (!follows(line, p, end, DASH)) return false;
      i = p + 1;
    }
    setField(bounds, 6, p, i);
    return isPrintable(line, i, end);
  }
  // bytes, then ' "'
  i = indexOf(line, SPACE, p, end);
  if (i < 0 || !isIntOrDash(line, p, i) || !follows(line, i + 1, end, QUOTE)) return false;
  setField(bounds, 6, p, i);
  // referer, then '" "'
  p = i + 2;
  i = quotedEnd(line, p, end, bounds);
  if (i <= p || !follows(line, i + 1, end, SPACE, QUOTE)) return false;
  setField(bounds, 7, p, i);
  // agent, then '"' and `.*`
  p = i + 3;
  i = quotedEnd(line, p, end, bounds);
  if (i <= p) return false;
  setField(bounds, 8, p, i);
  return isPrintable(line, i + 1, end);
}

function setField(bounds: Int32Array, field: number, from: number, to: number): void {
  bounds[2 * field] = from;
  bounds[2 * field + 1] = to;
}

/** Whether `line[at, end)` starts with the byte `first` (and then `second`, if given). */
function follows(line: Uint8Array, at: number, end: number, first: number, second = -1): boolean {
  return at < end && line[at] === first && (second < 0 || (at + 1 < end && line[at + 1] === second));
}

/**
 * The closing quote of a `[^"]+` field starting at `from`, or -1 (none, or a byte outside printable
 * ASCII on the way); a backslash sets the flag after the bounds. The unquoted fields need no such
 * check: their validators accept only printable bytes.
 */
function quotedEnd(line: Uint8Array, from: number, end: number, bounds: Int32Array): number {
  for (let i = from; i < end; i++) {
    const byte = line[i]!;
    if (byte === QUOTE) return i;
    if (byte < 0x20 || byte > 0x7e) return -1;
    if (byte === BACKSLASH) bounds[bounds.length - 1] = 1;
  }
  return -1;
}

/** Whether `line[from, end)` is printable ASCII (what `.*` is held to here: it stops at CR, NEL, U+2028…). */
function isPrintable(line: Uint8Array, from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const byte = line[i]!;
    if (byte < 0x20 || byte > 0x7e) return false;
  }
  return true;
}

function indexOf(line: Uint8Array, byte: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (line[i] === byte) return i;
  return -1;
}

const isDigit = (byte: number): boolean => byte >= 0x30 && byte <= 0x39;
const isWord = (byte: number): boolean => isDigit(byte) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === UNDERSCORE;

/** IPORHOST on a whole token: HOSTNAME `[\w-]+(?:\.[\w-]+)*\.?` (the `\b` alternative adds nothing after `\.?`) or IP `[\d.]+`. */
function isHost(line: Uint8Array, from: number, to: number): boolean {
  if (to <= from) return false;
  let ip = true;
  let hostname = line[from] !== DOT;
  for (let i = from; i < to; i++) {
    const byte = line[i]!;
    if (byte === DOT) {
      if (i > from && line[i - 1] === DOT) hostname = false;
    } else if (!isDigit(byte)) {
      ip = false;
      if (!isWord(byte) && byte !== DASH) return false;
    }
  }
  return hostname || ip;
}

/** USER `[a-zA-Z0-9._-]+` on a whole token. */
function isUser(line: Uint8Array, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const byte = line[i]!;
    if (!isWord(byte) && byte !== DOT && byte !== DASH) return false;
  }
  return true;
}

/** `INT|-` on a whole token. */
function isIntOrDash(line: Uint8Array, from: number, to: number): boolean {
  if (to - from === 1 && line[from] === DASH) return true;
  return intPrefixEnd(line, from, to) === to;
}

/** End of the longest INT `[+-]?[0-9]+` at `from`, or -1. */
function intPrefixEnd(line: Uint8Array, from: number, end: number): number {
  let i = from;
  if (i < end && (line[i] === PLUS || line[i] === DASH)) i += 1;
  const digits = i;
  while (i < end && isDigit(line[i]!)) i += 1;
  return i > digits ? i : -1;
}

/** Month names HTTPDATE's `\b(?:Jan(?:uary)?|…)\b` accepts between its slashes, as byte strings. */
const MONTHS = ['Jan', 'January', 'Feb', 'February', 'Mar', 'March', 'Apr', 'April', 'May', 'Jun', 'June', 'Jul', 'July', 'Aug', 'August', 'Sep', 'September', 'Oct', 'October', 'Nov', 'November', 'Dec', 'December']
  .map((name) => Uint8Array.from(name, (c) => c.charCodeAt(0)));

/**
 * HTTPDATE `MONTHDAY/MONTH/YEAR:HOUR:MINUTE:SECOND\sINT` on a whole token (printable ASCII, so
 * `\s` is a space): MONTHDAY `0[1-9]|[12][0-9]|3[01]|[1-9]`, YEAR `[1-9]\d*`, HOUR
 * `2[0123]|[01]?[0-9]`, MINUTE `[0-5][0-9]`, SECOND `(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?`,
 * INT `[+-]?[0-9]+`.
 */
function isHttpDate(line: Uint8Array, from: number, to: number): boolean {
  // MONTHDAY '/'
  let i = digitsEnd(line, from, to);
  const day = i - from;
  if (day === 1) {
    if (line[from] === 0x30) return false;
  } else if (day === 2) {
    const tens = line[from]! - 0x30;
    const ones = line[from + 1]! - 0x30;
    if (tens > 3 || (tens === 0 && ones === 0) || (tens === 3 && ones > 1)) return false;
  } else return false;
  if (i >= to || line[i] !== SLASH) return false;
  // MONTH '/'
  const month = i + 1;
  i = indexOf(line, SLASH, month, to);
  if (i < 0 || !isMonth(line, month, i)) return false;
  // YEAR ':'
  const year = i + 1;
  i = digitsEnd(line, year, to);
  if (i === year || line[year] === 0x30 || i >= to || line[i] !== COLON) return false;
  // HOUR ':'
  const hour = i + 1;
  i = digitsEnd(line, hour, to);
  if (i - hour === 2) {
    const tens = line[hour]! - 0x30;
    if (tens > 2 || (tens === 2 && line[hour + 1]! > 0x33)) return false;
  } else if (i - hour !== 1) return false;
  if (i >= to || line[i] !== COLON) return false;
  // MINUTE ':'
  const minute = i + 1;
  if (minute + 2 >= to || line[minute]! < 0x30 || line[minute]! > 0x35 || !isDigit(line[minute + 1]!) || line[minute + 2] !== COLON) return false;
  // SECOND, an optional fraction, ' '
  const second = minute + 3;
  i = digitsEnd(line, second, to);
  if (i - second === 2) {
    const tens = line[second]!;
    if (tens > 0x36 || (tens === 0x36 && line[second + 1] !== 0x30)) return false;
  } else if (i - second !== 1) return false;
  if (i < to && (line[i] === COLON || line[i] === DOT || line[i] === COMMA)) {
    const fraction = i + 1;
    i = digitsEnd(line, fraction, to);
    if (i === fraction) return false;
  }
  if (i >= to || line[i] !== SPACE) return false;
  // INT to the end
  return intPrefixEnd(line, i + 1, to) === to;
}

function digitsEnd(line: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to && isDigit(line[i]!)) i += 1;
  return i;
}

function isMonth(line: Uint8Array, from: number, to: number): boolean {
  const length = to - from;
  search: for (const name of MONTHS) {
    if (name.length !== length) continue;
    for (let k = 0; k < length; k++) if (line[from + k] !== name[k]) continue search;
    return true;
  }
  return false;
}
