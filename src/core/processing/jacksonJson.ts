/**
 * Byte-compatible JSON for the converters (reference §2.1): the Java agent serializes with Jackson
 * 2.17 (`ObjectMapper.writeValueAsString`, or `writerWithDefaultPrettyPrinter()` for PRETTYPRINT)
 * and ADDEC2METADATA parses records with `ObjectMapper.readValue(..., LinkedHashMap)`.
 *
 * Number model. Jackson reads JSON integers as Integer/Long/BigInteger and every other number as
 * Double, and writes them back as exact digits or Java `Double.toString`. A JS number cannot tell
 * `100` from `100.0`, so:
 * - a JS `number` is written as an integer when it is a safe integer (and not -0), else as a double;
 * - the parser returns safe integers as `number`, and big integers and every float literal as a
 *   `JsonNumber` holding the source literal, which the writer formats by its kind (integer literal
 *   verbatim, float literal via Java `Double.toString`: `1.50` → `1.5`, `1e2` → `100.0`).
 */

/** A number kept as its JSON literal: an integer beyond 2^53, or any literal with `.`/`e`/`E`. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** JSON values with ordered objects: Jackson's LinkedHashMap keeps insertion order, and a JS object would move integer-like keys ("1","2") first. */
export type JsonValue = null | string | number | boolean | JsonNumber | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;
export type JsonFormat = 'COMPACT' | 'PRETTYPRINT';

/**
 * Serializes exactly as Jackson's ObjectMapper (COMPACT) or with DefaultPrettyPrinter
 * (PRETTYPRINT), with "\n" as the line separator and no trailing newline. Plain JS objects are
 * accepted too (their own key order); `undefined` is written as `null` (Java has only null), a
 * `bigint` as its digits (a BigInteger). Anything else (functions, symbols, class instances other
 * than Map/Array/JsonNumber) is a TypeError.
 */
export function writeJacksonJson(value: JsonValue | Record<string, unknown>, format: JsonFormat): string {
  return writeValue(value, 0, format === 'PRETTYPRINT');
}

/**
 * A JSON string literal escaped as Jackson does (`CharTypes.sOutputEscapes128`): `"` and `\`, the
 * short escapes `\b \t \n \f \r`, any other char below 0x20 as `\u00XX` with UPPERCASE hex. DEL,
 * `/`, non-ASCII, U+2028/U+2029 and lone surrogates are written raw.
 */
export function quoteJacksonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? `"${escapeSlow(s)}"` : `"${s}"`;
}

// ---------------------------------------------------------------------------------------------
// Writer

// eslint-disable-next-line no-control-regex -- these control chars are exactly what Jackson escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/** Escape text by char code, for the codes Jackson escapes (0x00–0x1F, `"` 0x22, `\` 0x5C). */
const ESCAPES: readonly (string | undefined)[] = buildEscapes();

function buildEscapes(): (string | undefined)[] {
  const table: (string | undefined)[] = new Array<string | undefined>(0x5d).fill(undefined);
  for (let code = 0; code < 0x20; code++) {
    table[code] = `\\u00${code.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  const short: [number, string][] = [[0x08, '\\b'], [0x09, '\\t'], [0x0a, '\\n'], [0x0c, '\\f'], [0x0d, '\\r'], [0x22, '\\"'], [0x5c, '\\\\']];
  for (const [code, text] of short) table[code] = text;
  return table;
}

/** Copies unescaped runs with one slice each, so long clean stretches cost one allocation. */
function escapeSlow(s: string): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const escape = code < 0x5d ? ESCAPES[code] : undefined;
    if (escape === undefined) continue;
    out += s.slice(runStart, i) + escape;
    runStart = i + 1;
  }
  return out + s.slice(runStart);
}

const indents: string[] = [];

/** Jackson's DefaultIndenter: a line feed, then two spaces per object nesting level. */
function indent(nesting: number): string {
  return (indents[nesting] ??= `\n${'  '.repeat(nesting)}`);
}

function writeValue(v: unknown, nesting: number, pretty: boolean): string {
  switch (typeof v) {
    case 'string':
      return quoteJacksonString(v);
    case 'number':
      return writeNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'bigint':
      return v.toString();
    case 'object':
      return writeObjectLike(v, nesting, pretty);
    default:
      throw new TypeError(`Cannot write a ${typeof v} as JSON`);
  }
}

function writeObjectLike(v: object | null, nesting: number, pretty: boolean): string {
  if (v === null) return 'null';
  if (v instanceof Map) return writeMap(v, nesting, pretty);
  if (Array.isArray(v)) return writeArray(v, nesting, pretty);
  if (v instanceof JsonNumber) return writeJsonNumber(v);
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return writePlainObject(v as Record<string, unknown>, nesting, pretty);
  throw new TypeError(`Cannot write ${Object.prototype.toString.call(v)} as JSON`);
}

/**
 * The text before an object entry's value. DefaultPrettyPrinter: `{` then (for entries) a line feed
 * and the indentation of the nesting inside, `,` + the same between entries, and `" : "`.
 */
function entryPrefix(first: boolean, key: string, inner: number, pretty: boolean): string {
  if (!pretty) return first ? `${quoteJacksonString(key)}:` : `,${quoteJacksonString(key)}:`;
  return `${first ? '' : ','}${indent(inner)}${quoteJacksonString(key)} : `;
}

/** DefaultPrettyPrinter.writeEndObject: `{ }` when empty, else `}` on its own line at the parent's indentation. */
function closeObject(body: string, count: number, nesting: number, pretty: boolean): string {
  if (!pretty) return `{${body}}`;
  return count === 0 ? '{ }' : `{${body}${indent(nesting)}}`;
}

function writeMap(map: Map<unknown, unknown>, nesting: number, pretty: boolean): string {
  const inner = nesting + 1;
  let body = '';
  let count = 0;
  for (const [key, value] of map) {
    body += entryPrefix(count === 0, String(key), inner, pretty) + writeValue(value, inner, pretty);
    count++;
  }
  return closeObject(body, count, nesting, pretty);
}

function writePlainObject(obj: Record<string, unknown>, nesting: number, pretty: boolean): string {
  const inner = nesting + 1;
  const keys = Object.keys(obj);
  let body = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    body += entryPrefix(i === 0, key, inner, pretty) + writeValue(obj[key], inner, pretty);
  }
  return closeObject(body, keys.length, nesting, pretty);
}

/**
 * Arrays use Jackson's FixedSpaceIndenter, which is inline: `[ 1, 2 ]` on one line, `[ ]` when
 * empty, and no extra nesting, so an object inside starts at the array's own nesting level
 * (`"a" : [ {\n    "b" : 1\n  } ]`).
 */
function writeArray(arr: readonly unknown[], nesting: number, pretty: boolean): string {
  if (arr.length === 0) return pretty ? '[ ]' : '[]';
  const separator = pretty ? ', ' : ',';
  let body = writeValue(arr[0], nesting, pretty);
  for (let i = 1; i < arr.length; i++) body += separator + writeValue(arr[i], nesting, pretty);
  return pretty ? `[ ${body} ]` : `[${body}]`;
}

/**
 * A safe integer is a Java int/long: plain digits. Anything else is a Java double; Jackson quotes
 * the non-finite ones (`QUOTE_NON_NUMERIC_NUMBERS`, on by default): `"NaN"`, `"Infinity"`.
 */
function writeNumber(n: number): string {
  return Number.isSafeInteger(n) && !Object.is(n, -0) ? String(n) : writeDouble(n);
}

function writeDouble(d: number): string {
  const text = javaDoubleToString(d);
  return Number.isFinite(d) ? text : `"${text}"`;
}

const INTEGER_LITERAL = /^-?(?:0|[1-9]\d*)$/;
const NUMBER_LITERAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** An integer literal is a Java Integer/Long/BigInteger, written as is; any other is a Double. */
function writeJsonNumber(n: JsonNumber): string {
  const text = n.text;
  if (INTEGER_LITERAL.test(text)) return text === '-0' ? '0' : text;
  if (!NUMBER_LITERAL.test(text)) throw new TypeError(`Not a JSON number literal: ${text}`);
  return writeDouble(Number(text));
}

/** Largest subnormal bound: below it a double has fewer than 53 significant bits. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Java `Double.toString` (JDK 19+ spec, which Jackson's default `NumberOutput.toString` calls):
 * shortest round-tripping digits (the same as JS), always with a fraction digit; plain for
 * 10^-3 <= |d| < 10^7, else computerized scientific notation (`1.0E10`, `1.234E-5`).
 * Older JDKs print a few values with extra digits (JDK-4511638); that is not replicated.
 */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    // JS only switches to exponent notation below 1e-6 or from 1e21, so this is plain decimal.
    const text = String(d);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '0', exponent = '0'] = scientificDigits(abs).split('e');
  const withFraction = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${d < 0 ? '-' : ''}${withFraction}E${Number(exponent)}`;
}

/**
 * Shortest digits in `toExponential` form. When the shortest has one digit, JDK 19+ also considers
 * two-digit decimals and picks the one closest to the exact value; only subnormals are coarse
 * enough for that to differ (Double.MIN_VALUE is `4.9E-324`, not `5.0E-324`).
 */
function scientificDigits(abs: number): string {
  const shortest = abs.toExponential();
  if (abs >= MIN_NORMAL || shortest.includes('.')) return shortest;
  // toPrecision picks the 2-digit decimal closest to the exact value; subnormals print in exponent form.
  const twoDigits = abs.toPrecision(2);
  return Number(twoDigits) === abs ? twoDigits : shortest;
}

// ---------------------------------------------------------------------------------------------
// Parser

/** Jackson 2.17 `StreamReadConstraints` defaults: past these, readValue throws, so the agent falls back to raw. */
const MAX_DEPTH = 1000;
const MAX_NUMBER_LENGTH = 1000;
const MAX_NAME_LENGTH = 50_000;
const MAX_STRING_LENGTH = 20_000_000;

export interface ParseJsonOptions {
  /**
   * Ignore whatever follows the root value, as `ObjectMapper.readValue` does by default
   * (`FAIL_ON_TRAILING_TOKENS` is off in Jackson 2.x): `{"a":1} junk` parses as `{"a":1}`.
   * ADDEC2METADATA needs this to match the agent; default false (strict JSON).
   */
  readonly allowTrailingContent?: boolean;
}

/**
 * Parses JSON as Jackson's default ObjectMapper does: objects become Maps in insertion order
 * (integer-like keys included); a repeated key keeps its first position and takes the last value
 * (`LinkedHashMap.put`); numbers follow the module's number model. Strict JSON (no comments, NaN,
 * leading zeros, trailing commas, single quotes or raw control chars in strings).
 * @throws SyntaxError with the position of the problem.
 */
export function parseJsonOrdered(text: string, options: ParseJsonOptions = {}): JsonValue {
  const parser = new Parser(text);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  if (options.allowTrailingContent === true) parser.checkRootEnd(value);
  else parser.expectEnd();
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
/** Chars a string can hold without escape handling: everything but `"`, `\` and control chars. */
// eslint-disable-next-line no-control-regex -- raw control chars end the fast path (Jackson rejects them)
const PLAIN_STRING_CHARS = /[^"\\\u0000-\u001f]*/y;

const SHORT_UNESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** Jackson skips only space, tab, LF and CR between tokens. */
  skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      pos++;
    }
    this.pos = pos;
  }

  expectEnd(): void {
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('Unexpected content after the root value');
  }

  /**
   * In lenient mode Jackson still reads one char past a root number or literal: a number must be
   * followed by whitespace (`_verifyRootSpace`), a literal by a non-identifier char.
   */
  checkRootEnd(root: JsonValue): void {
    if (this.pos >= this.text.length) return;
    const next = this.text[this.pos] ?? '';
    const isNumber = typeof root === 'number' || root instanceof JsonNumber;
    if (isNumber && !/[ \t\n\r]/.test(next)) this.fail('Expected space separating root-level values');
    const isLiteral = root === null || typeof root === 'boolean';
    if (isLiteral && /[\w$]/.test(next)) this.fail('Unrecognized token');
  }

  parseValue(depth: number): JsonValue {
    const ch = this.text[this.pos];
    switch (ch) {
      case '{':
        return this.parseObject(depth + 1);
      case '[':
        return this.parseArray(depth + 1);
      case '"':
        return this.parseString(MAX_STRING_LENGTH);
      case 't':
        return this.parseLiteral('true', true);
      case 'f':
        return this.parseLiteral('false', false);
      case 'n':
        return this.parseLiteral('null', null);
      default:
        return this.parseNumber();
    }
  }

  private parseObject(depth: number): JsonObject {
    this.checkDepth(depth);
    const map: JsonObject = new Map();
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return map;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail('Expected a double-quoted field name');
      const key = this.parseString(MAX_NAME_LENGTH);
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail("Expected ':' after a field name");
      this.pos++;
      this.skipWhitespace();
      // Map.set on an existing key keeps its position, like LinkedHashMap.put.
      map.set(key, this.parseValue(depth));
      if (this.endOfContainer('}')) return map;
    }
  }

  private parseArray(depth: number): JsonValue[] {
    this.checkDepth(depth);
    const items: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.parseValue(depth));
      if (this.endOfContainer(']')) return items;
    }
  }

  /** After a member: true at the closing char, false after a `,` (and the whitespace after it). */
  private endOfContainer(close: string): boolean {
    this.skipWhitespace();
    const ch = this.text[this.pos];
    this.pos++;
    if (ch === close) return true;
    if (ch !== ',') {
      this.pos--;
      this.fail(`Expected ',' or '${close}'`);
    }
    this.skipWhitespace();
    return false;
  }

  private checkDepth(depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`Nesting depth exceeds the maximum allowed (${MAX_DEPTH})`);
  }

  /** Fast path: one sticky-regex scan and one slice when the string has no escapes. */
  private parseString(maxLength: number): string {
    const text = this.text;
    let out = '';
    let pos = this.pos + 1;
    for (;;) {
      PLAIN_STRING_CHARS.lastIndex = pos;
      PLAIN_STRING_CHARS.test(text);
      const runEnd = PLAIN_STRING_CHARS.lastIndex;
      out += text.slice(pos, runEnd);
      const ch = text[runEnd];
      if (ch === '"') {
        this.pos = runEnd + 1;
        if (out.length > maxLength) this.fail(`String value length exceeds the maximum allowed (${maxLength})`);
        return out;
      }
      this.pos = runEnd;
      if (ch === undefined) this.fail('Unexpected end-of-input in a string value');
      if (ch !== '\\') this.fail(`Illegal unquoted character (code ${text.charCodeAt(runEnd)}): has to be escaped`);
      const [decoded, next] = this.parseEscape(runEnd);
      out += decoded;
      pos = next;
    }
  }

  /** Standard JSON escapes only (Jackson's ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER is off). */
  private parseEscape(backslash: number): [string, number] {
    const kind = this.text[backslash + 1];
    if (kind === undefined) this.fail('Unexpected end-of-input in a string escape');
    if (kind !== 'u') {
      const decoded = SHORT_UNESCAPES[kind];
      if (decoded === undefined) this.fail(`Unrecognized character escape '${kind}'`);
      return [decoded, backslash + 2];
    }
    const hex = this.text.slice(backslash + 2, backslash + 6);
    if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail('Expected 4 hex digits in a \\u escape');
    // A lone surrogate escape is kept as is, as in a Java String.
    return [String.fromCharCode(parseInt(hex, 16)), backslash + 6];
  }

  private parseLiteral(word: string, value: boolean | null): boolean | null {
    if (!this.text.startsWith(word, this.pos)) this.fail('Unrecognized token');
    this.pos += word.length;
    return value;
  }

  /**
   * Integers stay exact: a safe one as a number ("-0" is Jackson's int 0), a bigger one as its
   * literal. Any literal with a fraction or exponent is a Java double, kept as its literal.
   */
  private parseNumber(): number | JsonNumber {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) this.fail(this.pos < this.text.length ? 'Unexpected character' : 'Unexpected end-of-input');
    const literal = m[0];
    if (literal.length - (literal[0] === '-' ? 1 : 0) > MAX_NUMBER_LENGTH) {
      this.fail(`Number value length exceeds the maximum allowed (${MAX_NUMBER_LENGTH})`);
    }
    this.pos += literal.length;
    if (m[1] !== undefined || m[2] !== undefined) return new JsonNumber(literal);
    const n = Number(literal);
    if (!Number.isSafeInteger(n)) return new JsonNumber(literal);
    return n === 0 ? 0 : n;
  }

  private fail(message: string): never {
    const ch = this.text[this.pos];
    throw new SyntaxError(`${message} at position ${this.pos}${ch === undefined ? '' : ` (${JSON.stringify(ch)})`}`);
  }
}
