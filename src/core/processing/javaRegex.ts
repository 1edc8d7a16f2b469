/**
 * java.util.regex → JavaScript RegExp (reference §2.4 "Porting notes").
 *
 * agent.json holds Java regexes (LOGTOJSON matchPattern, multiLineStartPattern, fileFooterPattern, the
 * CSVTOJSON delimiter, filters) and V8 runs them. The two dialects differ in syntax and in many small
 * semantics (`.`, `\s`, `$`, `\v`, backreferences to unset groups, captures inside repeats...). So the
 * pattern is parsed exactly as `java.util.regex.Pattern` parses it (the same cursor rules, hence the same
 * quirks; the method names below follow Pattern.java), checked for constructs whose matches or group spans
 * would differ, and printed as JavaScript with the same meaning. Whatever cannot be translated exactly is
 * rejected with a message naming the construct and its 0-based UTF-16 offset in the pattern: silently
 * matching different records would be worse than a configuration error.
 *
 * Known, accepted differences (documented rather than rejected):
 *   - `\b`/`\B`: Java 8–18 count Unicode letters and digits as word characters, Java 19+ ASCII only plus
 *     combining marks after a word character; JavaScript's `\b` is ASCII only.
 *   - Unicode properties (`\p{L}`, `\p{IsLatin}`) follow Node's Unicode version, not the JDK's.
 *   - `\R` follows Java 9+ (it may backtrack from `\r\n` to `\r`); Java 8's `\R` never did.
 *   - A few patterns Java refuses to compile are accepted (a look-behind holding a repeated group).
 * Everything else was checked against JDK 17 and 25 by differential fuzzing (random patterns and inputs).
 */

export type JavaRegexResult = { ok: true; regex: RegExp; groupCount: number } | { ok: false; message: string };

/** Translates a java.util.regex pattern. `multiline` = Pattern.MULTILINE. The returned RegExp has the 'u' flag only if needed; never 'g' or 'y' (callers add what they need by `new RegExp(r.source, r.flags + 'y')`). */
export function translateJavaRegex(pattern: string, options: { multiline?: boolean } = {}): JavaRegexResult {
  try {
    return compile(new Parser(pattern, options.multiline === true).parse());
  } catch (error) {
    if (error instanceof Rejection) return { ok: false, message: error.message };
    throw error;
  }
}

/** Matcher.matches(): the whole input must match. The source never uses the 'm' flag, so `$` is the end of input. */
export function fullMatchRegex(pattern: string): JavaRegexResult {
  return wrapped(translateJavaRegex(pattern), '^(?:', ')$');
}

/** Matcher.lookingAt(): a match anchored at the start of the input that may end anywhere. */
export function lookingAtRegex(pattern: string): JavaRegexResult {
  return wrapped(translateJavaRegex(pattern), '^(?:', ')');
}

function wrapped(result: JavaRegexResult, before: string, after: string): JavaRegexResult {
  if (!result.ok) return result;
  return { ok: true, regex: new RegExp(before + result.regex.source + after, result.regex.flags), groupCount: result.groupCount };
}

class Rejection extends Error {}

// ─── Code point sets ──────────────────────────────────────────────────────────────────────────────────

type Range = readonly [lo: number, hi: number];

const MAX_CP = 0x10ffff;
const DIGIT: Range[] = [[0x30, 0x39]];
const WORD: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
/** Java's default `\s` is ASCII only: [ \t\n\x0B\f\r]. */
const SPACE: Range[] = [[0x09, 0x0d], [0x20, 0x20]];
const HORIZONTAL: Range[] = [[0x09, 0x09], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x180e, 0x180e], [0x2000, 0x200a], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000]];
/** Java's `\v` (since Java 8) is vertical whitespace, not JavaScript's VT. */
const VERTICAL: Range[] = [[0x0a, 0x0d], [0x85, 0x85], [0x2028, 0x2029]];
/** What Java's `.` does not match without DOTALL. */
const LINE_TERMINATORS: Range[] = [[0x0a, 0x0a], [0x0d, 0x0d], [0x85, 0x85], [0x2028, 0x2029]];
const SURROGATES: Range = [0xd800, 0xdfff];

function normalize(ranges: readonly Range[]): Range[] {
  const out: [number, number][] = [];
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function intersect(ranges: readonly Range[], lo: number, hi: number): Range[] {
  return ranges.filter(([a, b]) => a <= hi && b >= lo).map(([a, b]): Range => [Math.max(a, lo), Math.min(b, hi)]);
}

/** How much of [lo, hi] a normalized set holds. */
function coverage(ranges: readonly Range[], lo: number, hi: number): 'none' | 'some' | 'all' {
  const parts = intersect(ranges, lo, hi);
  if (parts.length === 0) return 'none';
  return parts.length === 1 && parts[0]?.[0] === lo && parts[0][1] === hi ? 'all' : 'some';
}

function sameRanges(a: readonly Range[], b: readonly Range[]): boolean {
  return a.length === b.length && a.every(([lo, hi], i) => b[i]?.[0] === lo && b[i]?.[1] === hi);
}

// ─── Tree ─────────────────────────────────────────────────────────────────────────────────────────────

/** Offsets in the original pattern (UTF-16), for messages. */
type Span = { start: number; end: number };
/** A JavaScript Unicode property expression such as `Lu` or `Script=Latin`. */
type Prop = { name: string; negated: boolean };
/** Members are the union of `ranges` and `props`; `negated` complements that union. */
type SetLike = { negated: boolean; ranges: Range[]; props: Prop[] };
/** `dot` marks Java's `.`, which (unlike other sets) does not make Java skip positions inside surrogate pairs. */
type SetNode = SetLike & { t: 'set'; span: Span; dot?: boolean };
type GroupKind = 'capture' | 'plain' | 'ahead' | 'notAhead' | 'behind' | 'notBehind';
/** `unitBehind`: a look-behind that Java measures in UTF-16 units (no supplementary character in the pattern text after it). */
type GroupNode = { t: 'group'; kind: GroupKind; index?: number; name?: string; body: Node; span: Span; unitBehind?: boolean };
type BackrefNode = { t: 'backref'; index: number; name?: string; span: Span };
type CharNode = { t: 'char'; cp: number; span: Span };
type Node =
  | CharNode
  | SetNode
  | GroupNode
  | BackrefNode
  | { t: 'assert'; js: string; span: Span }
  | { t: 'linebreak'; span: Span }
  | { t: 'quant'; body: Node; min: number; max: number; lazy: boolean; span: Span }
  | { t: 'seq'; items: Node[]; span: Span }
  | { t: 'alt'; alts: Node[]; span: Span };

/** `skipsInsidePairs`: Java's find() never starts between the two halves of a surrogate pair (Pattern's StartS). */
type Tree = { pattern: string; root: Node; groupCount: number; caseInsensitive: boolean; skipsInsidePairs: boolean };

/** Java `^` with MULTILINE: at the start or after a line terminator (not inside `\r\n`), never at the end of input. */
const CARET_MULTILINE = String.raw`(?:^|(?<=[\n\x85\u2028\u2029])|(?<=\r)(?!\n))(?=[\s\S])`;
/** Java `$` with MULTILINE: before any line terminator (not inside `\r\n`) or at the end of input. */
const DOLLAR_MULTILINE = String.raw`(?=[\r\x85\u2028\u2029]|(?<!\r)\n|$)`;
/** Java `$` without MULTILINE, and `\Z`: the end of input or before a final line terminator (`\r\n` is one). */
const DOLLAR_FINAL = String.raw`(?=(?:\r\n|(?<!\r)\n|[\r\x85\u2028\u2029])?$)`;
/** Java `\R` (Java 9+ semantics: `\r\n` first, then any single vertical separator). */
const LINEBREAK = String.raw`(?:\r\n|[\n\v\f\r\x85\u2028\u2029])`;
const LINEBREAK_ATOMIC = String.raw`(?:\r\n|(?!\r\n)[\n\v\f\r\x85\u2028\u2029])`;
/** One valid surrogate pair: how a non-'u' RegExp sees one supplementary code point. */
const PAIR = String.raw`[\uD800-\uDBFF][\uDC00-\uDFFF]`;

// ─── Parser (a port of java.util.regex.Pattern's recursive descent) ─────────────────────────────────

const EOF = -1;
const c = (s: string): number => s.charCodeAt(0);
const BACKSLASH = c('\\');

const isDigit = (ch: number): boolean => ch >= 0x30 && ch <= 0x39;
const isAsciiAlpha = (ch: number): boolean => (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x61 && ch <= 0x7a);
const isHexDigit = (ch: number): boolean => isDigit(ch) || (ch >= 0x41 && ch <= 0x46) || (ch >= 0x61 && ch <= 0x66);
const hexValue = (ch: number): number => (isDigit(ch) ? ch - 0x30 : (ch | 0x20) - 0x57);
/** ASCII.isSpace: what COMMENTS mode skips. */
const isJavaSpace = (ch: number): boolean => (ch >= 0x09 && ch <= 0x0d) || ch === 0x20;
const isLineSeparator = (ch: number): boolean => ch === 0x0a || ch === 0x0d || (ch | 1) === 0x2029 || ch === 0x85;
const isSurrogate = (cp: number): boolean => cp >= 0xd800 && cp <= 0xdfff;

const CHAR_ESCAPES: Record<string, number> = { a: 0x07, e: 0x1b, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };
/** Predefined classes: members and whether they are complemented. */
const SET_ESCAPES: Record<string, [Range[], boolean]> = {
  d: [DIGIT, false],
  D: [DIGIT, true],
  s: [SPACE, false],
  S: [SPACE, true],
  w: [WORD, false],
  W: [WORD, true],
  h: [HORIZONTAL, false],
  H: [HORIZONTAL, true],
  v: [VERTICAL, false],
  V: [VERTICAL, true],
};
const ASSERTION_ESCAPES: Record<string, string> = { A: '^', z: '$', Z: DOLLAR_FINAL, B: '\\B' };
const UNSUPPORTED_ESCAPES: Record<string, string> = {
  G: 'JavaScript has no \\G',
  X: 'JavaScript has no grapheme cluster matcher',
  N: 'write the character itself or \\uXXXX',
};

type Flags = { i: boolean; m: boolean; s: boolean; x: boolean };
type Escape = { kind: 'char'; cp: number } | { kind: 'set'; set: SetLike } | { kind: 'node'; node: Node };

/** Pattern.RemoveQEQuoting with an offset map: `\Q...\E` becomes escaped characters before parsing. */
function removeQuoting(cps: number[], offs: number[]): { cps: number[]; offs: number[] } {
  const n = cps.length;
  const at = (k: number): number => cps[k] ?? EOF;
  let i = 0;
  while (i < n - 1 && !(at(i) === BACKSLASH && at(i + 1) === c('Q'))) i += at(i) === BACKSLASH ? 2 : 1;
  if (i >= n - 1) return { cps, offs };
  const out = cps.slice(0, i);
  const outOffs = offs.slice(0, i);
  const push = (cp: number, off: number): void => {
    out.push(cp);
    outOffs.push(off);
  };
  let inQuote = true;
  let beginQuote = true;
  for (i += 2; i < n; ) {
    const off = offs[i] ?? 0;
    const ch = at(i++);
    if (ch >= 0x80 || isAsciiAlpha(ch)) push(ch, off);
    else if (isDigit(ch)) {
      // A digit right after \Q must not extend an escape before it: Java writes it as \x3N.
      if (beginQuote) [BACKSLASH, c('x'), c('3')].forEach((q) => push(q, off));
      push(ch, off);
    } else if (ch !== BACKSLASH) {
      if (inQuote) push(BACKSLASH, off);
      push(ch, off);
    } else if (inQuote) {
      if (at(i) === c('E')) {
        i++;
        inQuote = false;
      } else {
        push(BACKSLASH, off);
        push(BACKSLASH, off);
      }
    } else if (at(i) === c('Q')) {
      i++;
      inQuote = beginQuote = true;
      continue;
    } else {
      push(ch, off);
      if (i !== n) {
        push(at(i), offs[i] ?? 0);
        i++;
      }
    }
    beginQuote = false;
  }
  outOffs.push(offs[n] ?? 0);
  return { cps: out, offs: outOffs };
}

class Parser {
  private cps: number[] = [];
  /** offs[k] is the UTF-16 offset of code point k in the original pattern; offs[length] its end. */
  private offs: number[] = [];
  private cursor = 0;
  private flags: Flags;
  private groupCount = 0;
  private readonly names = new Map<string, number>();
  /** Case-sensitive nodes and whether (?i) applied to them: JavaScript's i flag is all or nothing. */
  private readonly caseNodes: { node: CharNode | SetNode | BackrefNode; i: boolean }[] = [];
  private firstCaseFlag: Span | undefined;
  /** Pattern.hasSupplementary: set by supplementary literals and by sets that can match a surrogate. */
  private skipsInsidePairs = false;

  constructor(
    private readonly pattern: string,
    multiline: boolean,
  ) {
    this.flags = { i: false, m: multiline, s: false, x: false };
    const cps: number[] = [];
    const offs: number[] = [];
    for (let k = 0; k < pattern.length; ) {
      const cp = pattern.codePointAt(k) ?? 0;
      cps.push(cp);
      offs.push(k);
      k += cp > 0xffff ? 2 : 1;
    }
    offs.push(pattern.length);
    ({ cps: this.cps, offs: this.offs } = removeQuoting(cps, offs));
  }

  parse(): Tree {
    const root = this.expr();
    if (this.peek() === c(')')) this.javaError("Unmatched closing ')'", this.cursor);
    if (this.cursor !== this.cps.length) this.javaError('Unexpected internal error', this.cursor);
    return { pattern: this.pattern, root, groupCount: this.groupCount, caseInsensitive: this.resolveCase(), skipsInsidePairs: this.skipsInsidePairs };
  }

  // ── cursor primitives (Pattern.peek/read/next/skip, which skip whitespace and comments in COMMENTS mode)

  private at(k: number): number {
    return this.cps[k] ?? EOF;
  }

  private peek(): number {
    const ch = this.at(this.cursor);
    return this.flags.x ? this.peekPastWhitespace(ch) : ch;
  }

  private read(): number {
    const ch = this.at(this.cursor++);
    return this.flags.x ? this.parsePastWhitespace(ch) : ch;
  }

  private next(): number {
    const ch = this.at(++this.cursor);
    return this.flags.x ? this.peekPastWhitespace(ch) : ch;
  }

  private nextEscaped(): number {
    return this.at(++this.cursor);
  }

  private skip(): number {
    const ch = this.at(this.cursor + 1);
    this.cursor += 2;
    return ch;
  }

  private unread(): void {
    this.cursor--;
  }

  private peekPastWhitespace(ch: number): number {
    while (isJavaSpace(ch) || ch === c('#')) {
      while (isJavaSpace(ch)) ch = this.at(++this.cursor);
      if (ch === c('#')) {
        do ch = this.at(++this.cursor);
        while (ch !== EOF && ch !== 0 && !isLineSeparator(ch));
      }
    }
    return ch;
  }

  private parsePastWhitespace(ch: number): number {
    while (isJavaSpace(ch) || ch === c('#')) {
      while (isJavaSpace(ch)) ch = this.at(this.cursor++);
      if (ch === c('#')) {
        do ch = this.at(this.cursor++);
        while (ch !== EOF && ch !== 0 && !isLineSeparator(ch));
      }
    }
    return ch;
  }

  // ── messages

  private span(start: number, end = this.cursor): Span {
    const off = (k: number): number => this.offs[Math.max(0, Math.min(k, this.cps.length))] ?? this.pattern.length;
    return { start: off(start), end: Math.max(off(start), off(end)) };
  }

  private javaError(what: string, start: number, end = start + 1): never {
    throw new Rejection(`invalid Java regex: ${what}: ${describe(this.pattern, this.span(start, end))}`);
  }

  private reject(label: string, start: number, end: number, why: string): never {
    throw new Rejection(`${label}${describe(this.pattern, this.span(start, end))} ${why}`);
  }

  // ── expressions

  private expr(): Node {
    const start = this.cursor;
    const alts = [this.sequence()];
    while (this.peek() === c('|')) {
      this.next();
      alts.push(this.sequence());
    }
    return alts.length === 1 && alts[0] ? alts[0] : { t: 'alt', alts, span: this.span(start) };
  }

  private sequence(): Node {
    const items: Node[] = [];
    const start = this.cursor;
    for (;;) {
      const ch = this.peek();
      const atomStart = this.cursor;
      if (ch === c('|') || ch === c(')') || ch === EOF) return items.length === 1 && items[0] ? items[0] : { t: 'seq', items, span: this.span(start) };
      const node = this.atom(ch, atomStart);
      if (node) items.push(this.closure(node, atomStart));
    }
  }

  /** One element of a sequence, or null for a flags-only group such as `(?s)`. */
  private atom(ch: number, start: number): Node | null {
    switch (ch) {
      case c('('):
        return this.group();
      case c('['):
        return this.charClass();
      case BACKSLASH:
        return this.escapedAtom();
      case c('^'):
        this.next();
        return { t: 'assert', js: this.flags.m ? CARET_MULTILINE : '^', span: this.span(start) };
      case c('$'):
        this.next();
        return { t: 'assert', js: this.flags.m ? DOLLAR_MULTILINE : DOLLAR_FINAL, span: this.span(start) };
      case c('.'):
        this.next();
        return this.setNode({ negated: true, ranges: this.flags.s ? [] : LINE_TERMINATORS, props: [] }, start, true);
      case c('?'):
      case c('*'):
      case c('+'):
        this.next();
        return this.javaError(`Dangling meta character '${String.fromCharCode(ch)}'`, start);
      case c('{'):
        // Java repeats an empty atom here ("{2}x" compiles); JavaScript has no such thing.
        if (isDigit(this.at(this.cursor + 1))) this.reject('quantifier ', start, start + 1, 'has nothing to repeat');
        return this.javaError('Illegal repetition', start);
      default:
        this.next();
        return this.charNode(ch, start);
    }
  }

  private charNode(cp: number, start: number): CharNode {
    if (isSurrogate(cp)) this.reject('lone surrogate ', start, this.cursor, 'is not supported');
    if (cp > 0xffff) this.skipsInsidePairs = true;
    const node: CharNode = { t: 'char', cp, span: this.span(start) };
    this.caseNodes.push({ node, i: this.flags.i });
    return node;
  }

  private setNode(set: SetLike, start: number, dot = false): SetNode {
    const node: SetNode = { t: 'set', ...set, span: this.span(start), dot };
    if (!dot && touchesPairs(node)) this.skipsInsidePairs = true;
    this.caseNodes.push({ node, i: this.flags.i });
    return node;
  }

  /**
   * Pattern.closure: an optional quantifier after an atom.
   *
   * Possessive quantifiers (and atomic groups, see group) are rejected. JavaScript has neither; the
   * `(?=(X*))\N` emulation adds a capturing group, which shifts the group numbers callers map to field
   * names, and proving that dropping the possessiveness cannot change a match is not practical. The
   * message suggests the greedy form, which is right whenever giving characters back cannot help.
   */
  private closure(node: Node, start: number): Node {
    const ch = this.peek();
    let min: number;
    let max: number;
    if (ch === c('?')) [min, max] = [0, 1];
    else if (ch === c('*')) [min, max] = [0, Infinity];
    else if (ch === c('+')) [min, max] = [1, Infinity];
    else if (ch === c('{')) [min, max] = this.counted(start);
    else return node;
    const type = this.qtype();
    if (type === 'possessive') {
      this.reject('possessive quantifier ', start, this.cursor, 'cannot be translated: JavaScript has no possessive quantifiers; write the greedy form (without the final "+") if giving back characters cannot change the match');
    }
    if (node.t === 'assert' || (node.t === 'group' && node.kind !== 'capture' && node.kind !== 'plain')) {
      this.reject('quantifier on an assertion ', start, this.cursor, 'is not supported');
    }
    return { t: 'quant', body: node, min, max, lazy: type === 'lazy', span: this.span(start) };
  }

  /** `{n}`, `{n,}` or `{n,m}`; leaves the cursor on the closing brace, as Pattern.closure does. */
  private counted(start: number): [number, number] {
    let ch = this.skip();
    if (!isDigit(ch)) this.javaError('Illegal repetition', start, this.cursor);
    const bound = (value: number, digit: number): number => {
      const next = value * 10 + digit - 0x30;
      return next > 0x7fffffff ? this.javaError('Illegal repetition range', start, this.cursor) : next;
    };
    let min = 0;
    do min = bound(min, ch);
    while (isDigit((ch = this.read())));
    let max = min;
    if (ch === c(',')) {
      ch = this.read();
      if (ch === c('}')) max = Infinity;
      else for (max = 0; isDigit(ch); ch = this.read()) max = bound(max, ch);
    }
    if (ch !== c('}')) this.javaError('Unclosed counted closure', start, this.cursor);
    if (max < min) this.javaError('Illegal repetition range', start, this.cursor);
    this.unread();
    return [min, max];
  }

  private qtype(): 'greedy' | 'lazy' | 'possessive' {
    const ch = this.next();
    if (ch !== c('?') && ch !== c('+')) return 'greedy';
    this.next();
    return ch === c('?') ? 'lazy' : 'possessive';
  }

  // ── groups and inline flags

  /** Pattern.group0: a group, or null for a flags-only group (whose flags then last to the end of the enclosing group). */
  private group(): Node | null {
    const start = this.cursor;
    const saved = { ...this.flags };
    let node: GroupNode;
    if (this.next() !== c('?')) node = this.captureGroup(start);
    else {
      const ch = this.skip();
      if (ch === c(':')) node = this.groupBody('plain', start);
      else if (ch === c('=')) node = this.groupBody('ahead', start);
      else if (ch === c('!')) node = this.groupBody('notAhead', start);
      else if (ch === c('>')) return this.reject('atomic group ', start, this.cursor, 'cannot be translated: JavaScript has no atomic groups; use "(?:" if backtracking into the group cannot change the match');
      else if (ch === c('<')) node = this.lookbehindOrNamed(start);
      else if (ch === c('$') || ch === c('@')) return this.javaError('Unknown group type', start, this.cursor);
      else {
        this.unread();
        this.inlineFlags(start);
        const end = this.read();
        if (end === c(')')) return null;
        if (end !== c(':')) this.javaError('Unknown inline modifier', start, this.cursor);
        node = this.groupBody('plain', start);
      }
    }
    this.accept(start);
    this.flags = saved;
    node.span = this.span(start);
    return node;
  }

  private captureGroup(start: number, name?: string): GroupNode {
    const index = ++this.groupCount;
    if (name !== undefined) this.names.set(name, index);
    return { t: 'group', kind: 'capture', index, name, body: this.expr(), span: this.span(start) };
  }

  private groupBody(kind: GroupKind, start: number): GroupNode {
    return { t: 'group', kind, body: this.expr(), span: this.span(start) };
  }

  private lookbehindOrNamed(start: number): GroupNode {
    const ch = this.read();
    if (ch === c('=') || ch === c('!')) {
      // Pattern.group0: Java uses BehindS (code points) only if the rest of the pattern text has a supplementary character.
      const unitBehind = !this.cps.slice(this.cursor).some((cp) => cp > 0xffff || isSurrogate(cp));
      return { ...this.groupBody(ch === c('=') ? 'behind' : 'notBehind', start), unitBehind };
    }
    const name = this.groupName(ch, start);
    if (this.names.has(name)) this.javaError(`Named capturing group <${name}> is already defined`, start, this.cursor);
    return this.captureGroup(start, name);
  }

  private accept(start: number): void {
    let ch = this.at(this.cursor++);
    if (this.flags.x) ch = this.parsePastWhitespace(ch);
    if (ch !== c(')')) this.javaError('Unclosed group', start, this.cursor);
  }

  private groupName(first: number, start: number): string {
    if (!isAsciiAlpha(first)) this.javaError('capturing group name does not start with a Latin letter', start, this.cursor);
    let name = '';
    let ch = first;
    do name += String.fromCharCode(ch);
    while (isAsciiAlpha((ch = this.read())) || isDigit(ch));
    if (ch !== c('>')) this.javaError("named capturing group is missing trailing '>'", start, this.cursor);
    return name;
  }

  /** Pattern.addFlag/subFlag. Only the flags this translation implements exactly are accepted. */
  private inlineFlags(start: number): void {
    let on = true;
    for (let ch = this.peek(); ; ch = this.next()) {
      if (ch === c('-') && on) on = false;
      else if (!this.setFlag(ch, on, start)) return;
    }
  }

  private setFlag(ch: number, on: boolean, start: number): boolean {
    const letter = ch === EOF ? '' : String.fromCodePoint(ch);
    if (letter === 'm' || letter === 's' || letter === 'x') this.flags[letter] = on;
    else if (letter === 'i') {
      if (this.flags.i !== on) this.firstCaseFlag ??= this.flagSpan(start);
      this.flags.i = on;
    } else if ('ducU'.includes(letter) && letter !== '') {
      if (on) this.rejectFlag(letter, start);
    } else return false;
    return true;
  }

  private rejectFlag(letter: string, start: number): never {
    const why: Record<string, string> = {
      d: 'UNIX_LINES is not implemented',
      u: 'UNICODE_CASE folding differs from JavaScript case folding',
      c: 'CANON_EQ has no JavaScript equivalent',
      U: 'UNICODE_CHARACTER_CLASS is not implemented',
    };
    const { start: from, end } = this.flagSpan(start);
    throw new Rejection(`inline flag "${this.pattern.slice(from, end)}" at ${from} is not supported: ${why[letter] ?? ''}`);
  }

  /** The whole `(?flags)` or `(?flags:` text, for messages. */
  private flagSpan(start: number): Span {
    let end = this.cursor;
    while (end < this.cps.length && this.at(end) !== c(')') && this.at(end) !== c(':')) end++;
    return this.span(start, end + 1);
  }

  // ── escapes

  /** A backslash outside a class (Pattern.sequence and atom). */
  private escapedAtom(): Node {
    const start = this.cursor;
    const ch = this.nextEscaped();
    if (ch === c('p') || ch === c('P')) return this.setNode(this.property(ch === c('P'), start), start);
    this.unread();
    const e = this.escape(false, false, start);
    if (e.kind === 'char') return this.charNode(e.cp, start);
    if (e.kind === 'set') return this.setNode(e.set, start);
    if (e.node.t === 'backref') this.caseNodes.push({ node: e.node, i: this.flags.i });
    return e.node;
  }

  /** Pattern.escape, with the cursor on the backslash. */
  private escape(inClass: boolean, isRange: boolean, start: number): Escape {
    const ch = this.skip();
    const letter = ch >= 0x30 && ch < 0x7b ? String.fromCharCode(ch) : '';
    if (inClass && letter !== '' && '123456789ABGRXZbkz'.includes(letter)) this.javaError('Illegal/unsupported escape sequence', start, this.cursor);
    const simple = CHAR_ESCAPES[letter];
    if (simple !== undefined) return { kind: 'char', cp: simple };
    const predefined = SET_ESCAPES[letter];
    if (predefined && !(letter === 'v' && isRange)) return { kind: 'set', set: { negated: predefined[1], ranges: predefined[0], props: [] } };
    const assertion = ASSERTION_ESCAPES[letter];
    if (assertion !== undefined) return { kind: 'node', node: { t: 'assert', js: assertion, span: this.span(start) } };
    const unsupported = UNSUPPORTED_ESCAPES[letter];
    if (unsupported !== undefined) return this.reject('', start, this.cursor, `is not supported: ${unsupported}`);
    return this.otherEscape(ch, letter, start);
  }

  private otherEscape(ch: number, letter: string, start: number): Escape {
    switch (letter) {
      case '0': return { kind: 'char', cp: this.octal(start) };
      case 'v': return { kind: 'char', cp: 0x0b }; // Java: \v as a range end is VT, for compatibility
      case 'c': return { kind: 'char', cp: this.control(start) };
      case 'u': return { kind: 'char', cp: this.unicodeEscape(start) };
      case 'x': return { kind: 'char', cp: this.hexEscape(start) };
      case 'b': return this.wordBoundary(start);
      case 'R': return { kind: 'node', node: { t: 'linebreak', span: this.span(start) } };
      case 'k': return { kind: 'node', node: this.namedBackref(start) };
    }
    if (isDigit(ch)) return { kind: 'node', node: this.numberedBackref(ch - 0x30, start) };
    if (isAsciiAlpha(ch)) this.javaError('Illegal/unsupported escape sequence', start, this.cursor);
    if (ch === EOF) this.javaError('Unexpected internal error (trailing backslash)', start);
    return { kind: 'char', cp: ch };
  }

  private wordBoundary(start: number): Escape {
    if (this.peek() === c('{')) {
      if (this.at(this.cursor + 1) === c('g')) this.reject('', start, this.cursor + 3, 'is not supported: JavaScript has no grapheme cluster boundary');
    }
    return { kind: 'node', node: { t: 'assert', js: '\\b', span: this.span(start) } };
  }

  /** Pattern.ref: `\1`..`\9`, then more digits only while they still name an existing group. */
  private numberedBackref(first: number, start: number): BackrefNode {
    let index = first;
    for (let ch = this.peek(); isDigit(ch); ch = this.peek()) {
      const longer = index * 10 + ch - 0x30;
      if (longer > this.groupCount) break;
      index = longer;
      this.read();
    }
    return { t: 'backref', index, span: this.span(start) };
  }

  private namedBackref(start: number): BackrefNode {
    if (this.read() !== c('<')) this.javaError("\\k is not followed by '<' for named capturing group", start, this.cursor);
    const name = this.groupName(this.read(), start);
    const index = this.names.get(name);
    if (index === undefined) return this.javaError(`named capturing group <${name}> does not exist`, start, this.cursor);
    return { t: 'backref', index, name, span: this.span(start) };
  }

  private octal(start: number): number {
    const isOctal = (d: number): boolean => d >= 0x30 && d <= 0x37;
    const n = this.read();
    if (!isOctal(n)) this.javaError('Illegal octal escape sequence', start, this.cursor);
    const m = this.read();
    if (!isOctal(m)) {
      this.unread();
      return n - 0x30;
    }
    const o = this.read();
    if (isOctal(o) && n <= 0x33) return (n - 0x30) * 64 + (m - 0x30) * 8 + (o - 0x30);
    this.unread();
    return (n - 0x30) * 8 + (m - 0x30);
  }

  private control(start: number): number {
    if (this.cursor < this.cps.length) return this.read() ^ 64;
    return this.javaError('Illegal control escape sequence', start, this.cursor);
  }

  private hexEscape(start: number): number {
    const n = this.read();
    if (isHexDigit(n)) {
      const m = this.read();
      if (isHexDigit(m)) return hexValue(n) * 16 + hexValue(m);
    } else if (n === c('{') && isHexDigit(this.peek())) {
      let value = 0;
      let ch: number;
      while (isHexDigit((ch = this.read()))) {
        value = value * 16 + hexValue(ch);
        if (value > MAX_CP) this.javaError('Hexadecimal codepoint is too big', start, this.cursor);
      }
      if (ch !== c('}')) this.javaError('Unclosed hexadecimal escape sequence', start, this.cursor);
      return value;
    }
    return this.javaError('Illegal hexadecimal escape sequence', start, this.cursor);
  }

  /** Pattern.u: `\uXXXX`, joining an escaped surrogate pair into one code point. */
  private unicodeEscape(start: number): number {
    const n = this.fourHex(start);
    if (n < 0xd800 || n > 0xdbff) return n;
    const saved = this.cursor;
    if (this.read() === BACKSLASH && this.read() === c('u')) {
      const low = this.fourHex(start);
      if (low >= 0xdc00 && low <= 0xdfff) return (n - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
    }
    this.cursor = saved;
    return n;
  }

  private fourHex(start: number): number {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const ch = this.read();
      if (!isHexDigit(ch)) this.javaError('Illegal Unicode escape sequence', start, this.cursor);
      n = n * 16 + hexValue(ch);
    }
    return n;
  }

  // ── character classes

  /** Pattern.clazz, without nesting or intersection (the only two constructs JavaScript cannot express here). */
  private charClass(): SetNode {
    const start = this.cursor;
    const set: SetLike = { negated: false, ranges: [], props: [] };
    let ch = this.next();
    if (ch === c('^') && this.at(this.cursor - 1) === c('[')) {
      ch = this.next();
      set.negated = true;
    }
    for (let any = false; ; any = true, ch = this.peek()) {
      if (ch === c('[')) this.reject('nested character class ', this.cursor, this.cursor + 1, 'is not supported: JavaScript reads "[" inside a class as a literal; write a literal bracket as \\[');
      if (ch === c('&')) {
        if (this.next() === c('&')) this.reject('character class intersection ', this.cursor - 1, this.cursor + 1, 'is not supported');
        this.unread();
      }
      if (ch === EOF) this.javaError('Unclosed character class', start, this.cursor);
      if (ch === c(']') && any) {
        this.next();
        return this.setNode(set, start);
      }
      this.classMember(set);
    }
  }

  /** Pattern.range: one member, range or escape of a class. */
  private classMember(set: SetLike): void {
    const start = this.cursor;
    let ch = this.peek();
    if (ch === BACKSLASH) {
      const letter = this.nextEscaped();
      if (letter === c('p') || letter === c('P')) return this.addToClass(set, this.property(letter === c('P'), start), start);
      const isRange = this.at(this.cursor + 1) === c('-');
      this.unread();
      const e = this.escape(true, isRange, start);
      if (e.kind !== 'char') return e.kind === 'set' ? this.addToClass(set, e.set, start) : undefined;
      ch = e.cp;
    } else this.next();
    if (isSurrogate(ch)) this.reject('lone surrogate ', start, this.cursor, 'is not supported');
    let hi = ch;
    if (this.peek() === c('-') && this.at(this.cursor + 1) !== c('[') && this.at(this.cursor + 1) !== c(']')) {
      this.next();
      hi = this.rangeEnd(start);
      if (hi < ch) this.javaError('Illegal character range', start, this.cursor);
    }
    set.ranges.push([ch, hi]);
  }

  private rangeEnd(start: number): number {
    const ch = this.peek();
    if (ch !== BACKSLASH) {
      this.next();
      return ch;
    }
    const e = this.escape(true, true, start);
    return e.kind === 'char' ? e.cp : EOF;
  }

  private addToClass(set: SetLike, member: SetLike, start: number): void {
    if (!member.negated) {
      set.ranges.push(...member.ranges);
      set.props.push(...member.props);
    } else if (member.props.length === 0) set.ranges.push(...complement(member.ranges));
    else if (member.ranges.length === 0 && member.props.length === 1 && member.props[0]) set.props.push({ ...member.props[0], negated: !member.props[0].negated });
    else this.reject('negated property ', start, this.cursor, 'inside a character class is not supported');
  }

  // ── \p{...}

  /** Pattern.family, with the cursor on the `p` or `P`. */
  private property(complemented: boolean, start: number): SetLike {
    let oneLetter = true;
    if (this.next() !== c('{')) this.unread();
    else oneLetter = false;
    this.next();
    let name: string;
    if (oneLetter) {
      const ch = this.at(this.cursor);
      if (ch === EOF) this.javaError('Unknown character property name {}', start, this.cursor);
      name = String.fromCodePoint(ch);
      this.read();
    } else {
      const from = this.cursor;
      while (this.cursor <= this.cps.length && this.read() !== c('}'));
      if (this.cursor > this.cps.length) this.javaError('Unclosed character family', start, this.cursor);
      if (from + 1 >= this.cursor) this.javaError('Empty character family', start, this.cursor);
      name = String.fromCodePoint(...this.cps.slice(from, this.cursor - 1));
    }
    const set = resolveProperty(name, this.flags.i, (what, unsupported) =>
      unsupported ? this.reject('', start, this.cursor, what) : this.javaError(what, start, this.cursor),
    );
    return complemented ? { ...set, negated: !set.negated } : set;
  }

  // ── case-insensitivity

  /** Decides the JavaScript i flag, or rejects what it cannot express (see caseProblem). */
  private resolveCase(): boolean {
    if (!this.caseNodes.some((entry) => entry.i)) return false;
    let needed = false;
    for (const { node, i } of this.caseNodes) {
      const problem = caseProblem(node, i);
      if (problem === 'neutral') continue;
      if (!i) {
        const flag = this.firstCaseFlag ?? node.span;
        throw new Rejection(`case-insensitive flag ${describe(this.pattern, flag)} covers only part of the pattern: JavaScript applies its i flag to the whole pattern`);
      }
      if (problem !== 'ok') throw new Rejection(`${describe(this.pattern, node.span)} ${problem}`);
      needed = true;
    }
    return needed;
  }
}

/** `"text" at offset`, the way every message names a construct. */
function describe(pattern: string, span: Span): string {
  const text = pattern.slice(span.start, span.end);
  return text === '' ? `at ${span.start} (end of pattern)` : `"${text}" at ${span.start}`;
}

// ─── Properties ───────────────────────────────────────────────────────────────────────────────────────

const RANGE_PROPERTIES: Record<string, Range[]> = {
  // POSIX classes, US-ASCII only in Java (Pattern javadoc).
  Lower: [[0x61, 0x7a]],
  Upper: [[0x41, 0x5a]],
  ASCII: [[0x00, 0x7f]],
  Alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  Digit: DIGIT,
  Alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  Punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  Graph: [[0x21, 0x7e]],
  Print: [[0x20, 0x7e]],
  Blank: [[0x09, 0x09], [0x20, 0x20]],
  Cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  XDigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
  Space: SPACE,
  L1: [[0x00, 0xff]],
  all: [[0, MAX_CP]],
};
const CATEGORIES = new Set('Cn Lu Ll Lt Lm Lo Mn Me Mc Nd Nl No Zs Zl Zp Cc Cf Co Cs Pd Ps Pe Pc Po Sm Sc Sk So Pi Pf L M N Z C P S LC'.split(' '));
/** Java's binary properties (CharPredicates.forUnicodeProperty, upper-cased names) with an exact JavaScript form. */
const UNICODE_PROPERTIES: Record<string, Prop[] | Range[]> = {
  ALPHABETIC: [{ name: 'Alphabetic', negated: false }],
  ALPHA: [{ name: 'Alphabetic', negated: false }],
  LETTER: [{ name: 'L', negated: false }],
  IDEOGRAPHIC: [{ name: 'Ideographic', negated: false }],
  LOWERCASE: [{ name: 'Lowercase', negated: false }],
  LOWER: [{ name: 'Lowercase', negated: false }],
  UPPERCASE: [{ name: 'Uppercase', negated: false }],
  UPPER: [{ name: 'Uppercase', negated: false }],
  TITLECASE: [{ name: 'Lt', negated: false }],
  WHITESPACE: [{ name: 'White_Space', negated: false }],
  WHITE_SPACE: [{ name: 'White_Space', negated: false }],
  SPACE: [{ name: 'White_Space', negated: false }],
  CONTROL: [{ name: 'Cc', negated: false }],
  CNTRL: [{ name: 'Cc', negated: false }],
  PUNCTUATION: [{ name: 'P', negated: false }],
  PUNCT: [{ name: 'P', negated: false }],
  DIGIT: [{ name: 'Nd', negated: false }],
  ALNUM: [{ name: 'Alphabetic', negated: false }, { name: 'Nd', negated: false }],
  ASSIGNED: [{ name: 'Cn', negated: true }],
  NONCHARACTERCODEPOINT: [{ name: 'Noncharacter_Code_Point', negated: false }],
  NONCHARACTER_CODE_POINT: [{ name: 'Noncharacter_Code_Point', negated: false }],
  JOINCONTROL: [[0x200c, 0x200d]],
  JOIN_CONTROL: [[0x200c, 0x200d]],
};
/** Names Java knows whose definitions JavaScript lacks (or defines differently). */
const JAVA_ONLY_PROPERTIES = new Set(['HEXDIGIT', 'HEX_DIGIT', 'XDIGIT', 'BLANK', 'GRAPH', 'PRINT', 'WORD', 'EMOJI', 'EMOJI_PRESENTATION', 'EMOJI_MODIFIER', 'EMOJI_MODIFIER_BASE', 'EMOJI_COMPONENT', 'EXTENDED_PICTOGRAPHIC']);

type PropertyFail = (what: string, unsupported: boolean) => never;

/** Pattern.family's lookup order: `name=value`, `In...` blocks, `Is...` (property, category, script), then categories and POSIX names. */
function resolveProperty(name: string, caseInsensitive: boolean, fail: PropertyFail): SetLike {
  const eq = name.indexOf('=');
  if (eq >= 0) return resolveKeyed(name.slice(0, eq).toLowerCase(), name.slice(eq + 1), caseInsensitive, fail);
  if (name.startsWith('In')) return fail('is a Unicode block, which JavaScript cannot match', true);
  if (name.startsWith('Is')) {
    const short = name.slice(2);
    const upper = short.toUpperCase();
    if (JAVA_ONLY_PROPERTIES.has(upper)) return fail('has no exact JavaScript equivalent', true);
    const known = UNICODE_PROPERTIES[upper];
    if (known) return fromProperty(known, caseInsensitive, fail);
    return forProperty(short, caseInsensitive, fail) ?? forScript(short, caseInsensitive, fail) ?? fail(`Unknown character property name {${name}}`, false);
  }
  return forProperty(name, caseInsensitive, fail) ?? fail(`Unknown character property name {${name}}`, false);
}

function resolveKeyed(key: string, value: string, caseInsensitive: boolean, fail: PropertyFail): SetLike {
  const found =
    key === 'sc' || key === 'script'
      ? forScript(value, caseInsensitive, fail)
      : key === 'gc' || key === 'general_category'
        ? forProperty(value, caseInsensitive, fail)
        : key === 'blk' || key === 'block'
          ? fail('is a Unicode block, which JavaScript cannot match', true)
          : undefined;
  return found ?? fail(`Unknown Unicode property {name=<${key}>, value=<${value}>}`, false);
}

function fromProperty(members: Prop[] | Range[], caseInsensitive: boolean, fail: PropertyFail): SetLike {
  const props = members.filter((m): m is Prop => !Array.isArray(m));
  const ranges = members.filter((m): m is Range => Array.isArray(m));
  // Java widens Lu/Ll/Lower/... under (?i) differently across versions; Unicode properties also need the
  // u flag, whose case folding is not Java's ASCII-only (?i).
  if (caseInsensitive && props.length > 0) fail('under (?i) is not supported: Java (?i) is ASCII-only, JavaScript would fold Unicode case', true);
  return { negated: false, ranges, props };
}

/** CharPredicates.forProperty: general categories, POSIX classes and java.lang.Character methods (case-sensitive names). */
function forProperty(name: string, caseInsensitive: boolean, fail: PropertyFail): SetLike | undefined {
  if (name.startsWith('java')) return fail('is a java.lang.Character property, which is not supported', true);
  if ((name === 'Lower' || name === 'Upper') && caseInsensitive) return fail('under (?i) is not supported: its meaning depends on the Java version', true);
  const ranges = RANGE_PROPERTIES[name];
  if (ranges) return { negated: false, ranges, props: [] };
  if (name === 'LD') return fromProperty([{ name: 'L', negated: false }, { name: 'Nd', negated: false }], caseInsensitive, fail);
  if (CATEGORIES.has(name)) return fromProperty([{ name, negated: false }], caseInsensitive, fail);
  return undefined;
}

/** Java accepts script names in any case (LATIN, latin, Latn); JavaScript wants its own spelling (Latin, Latn). */
function forScript(value: string, caseInsensitive: boolean, fail: PropertyFail): SetLike | undefined {
  if (!/^[A-Za-z_]+$/.test(value)) return undefined;
  const titled = value.toLowerCase().replace(/(^|_)([a-z])/g, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
  const name = [value, titled].map((v) => `Script=${v}`).find(isValidProperty);
  return name === undefined ? undefined : fromProperty([{ name, negated: false }], caseInsensitive, fail);
}

function isValidProperty(name: string): boolean {
  try {
    new RegExp(`\\p{${name}}`, 'u');
    return true;
  } catch {
    return false;
  }
}

// ─── Case-insensitivity ───────────────────────────────────────────────────────────────────────────────

/**
 * Equivalence classes of JavaScript's non-'u' case-insensitive matching (Canonicalize: toUpperCase, never
 * mapping a non-ASCII character to an ASCII one), restricted to classes of two or more characters.
 * Computed on first use only: it costs 65,536 toUpperCase calls.
 */
let caseClasses: number[][] | undefined;

function getCaseClasses(): number[][] {
  if (caseClasses) return caseClasses;
  const byCanonical = new Map<number, number[]>();
  for (let ch = 0; ch <= 0xffff; ch++) {
    const upper = String.fromCharCode(ch).toUpperCase();
    const canonical = upper.length !== 1 || (ch >= 0x80 && upper.charCodeAt(0) < 0x80) ? ch : upper.charCodeAt(0);
    byCanonical.set(canonical, [...(byCanonical.get(canonical) ?? []), ch]);
  }
  caseClasses = [...byCanonical.values()].filter((members) => members.length > 1);
  return caseClasses;
}

const inRanges = (ranges: readonly Range[], ch: number): boolean => ranges.some(([lo, hi]) => lo <= ch && ch <= hi);

/** True if no case class is split by the set: then the i flag does not change what it matches. */
function isCaseClosed(ranges: readonly Range[], classes: number[][]): boolean {
  return classes.every((members) => {
    const inside = members.filter((ch) => inRanges(ranges, ch)).length;
    return inside === 0 || inside === members.length;
  });
}

/** Java (?i) without UNICODE_CASE folds ASCII letters only; JavaScript's i flag also folds é/É and the like. */
function caseProblem(node: CharNode | SetNode | BackrefNode, caseInsensitive: boolean): 'neutral' | 'ok' | string {
  if (node.t === 'backref') return caseInsensitive ? 'under (?i) is not supported: Java compares ASCII letters only, JavaScript all letters' : 'sensitive';
  if (node.t === 'set' && node.props.length > 0) return 'sensitive';
  const ranges = node.t === 'char' ? [[node.cp, node.cp] as const] : normalize(node.ranges);
  if (isCaseClosed(ranges, getCaseClasses())) return 'neutral';
  if (!caseInsensitive) return 'sensitive';
  const asciiFolded = normalize([...ranges, ...intersect(ranges, 0x41, 0x5a).map(([lo, hi]): Range => [lo + 32, hi + 32]), ...intersect(ranges, 0x61, 0x7a).map(([lo, hi]): Range => [lo - 32, hi - 32])]);
  const nonAscii = getCaseClasses().filter((members) => (members[0] ?? 0) >= 0x80);
  return isCaseClosed(asciiFolded, nonAscii) ? 'ok' : 'cannot be matched case-insensitively as in Java: Java (?i) folds ASCII letters only';
}

// ─── Checks on the tree ───────────────────────────────────────────────────────────────────────────────

function children(node: Node): Node[] {
  if (node.t === 'seq') return node.items;
  if (node.t === 'alt') return node.alts;
  if (node.t === 'group' || node.t === 'quant') return [node.body];
  return [];
}

function capturesIn(node: Node): number[] {
  const own = node.t === 'group' && node.index !== undefined ? [node.index] : [];
  return [...own, ...children(node).flatMap(capturesIn)];
}

function minLength(node: Node): number {
  switch (node.t) {
    case 'char':
    case 'set':
    case 'linebreak':
      return 1;
    case 'seq':
      return node.items.reduce((sum, item) => sum + minLength(item), 0);
    case 'alt':
      return Math.min(...node.alts.map(minLength));
    case 'group':
      return node.kind === 'capture' || node.kind === 'plain' ? minLength(node.body) : 0;
    case 'quant':
      return node.min === 0 ? 0 : node.min * minLength(node.body);
    default:
      return 0;
  }
}

/** Groups that are certainly set once the node has matched. */
function alwaysSet(node: Node): Set<number> {
  switch (node.t) {
    case 'seq':
      return new Set(node.items.flatMap((item) => [...alwaysSet(item)]));
    case 'alt':
      return node.alts.map(alwaysSet).reduce((a, b) => new Set([...a].filter((g) => b.has(g))));
    case 'group':
      if (node.kind === 'notAhead' || node.kind === 'notBehind') return new Set();
      return new Set([...(node.index === undefined ? [] : [node.index]), ...alwaysSet(node.body)]);
    case 'quant':
      return node.min > 0 ? alwaysSet(node.body) : new Set();
    default:
      return new Set();
  }
}

/** Width when every part has a fixed width (one code point per character), else null. */
function rigidWidth(node: Node): number | null {
  switch (node.t) {
    case 'char':
    case 'set':
      return 1;
    case 'assert':
      return 0;
    case 'seq':
      return node.items.reduce<number | null>((sum, item) => (sum === null ? null : add(sum, rigidWidth(item))), 0);
    case 'alt': {
      const widths = node.alts.map(rigidWidth);
      return widths.every((w) => w !== null && w === widths[0]) ? (widths[0] ?? null) : null;
    }
    case 'group':
      return node.kind === 'capture' || node.kind === 'plain' ? rigidWidth(node.body) : 0;
    case 'quant': {
      const width = rigidWidth(node.body);
      return width !== null && node.min === node.max ? width * node.min : null;
    }
    default:
      return null;
  }
}

const add = (a: number, b: number | null): number | null => (b === null ? null : a + b);

type Reject = (node: Node, why: string) => never;

type Context = { inBehind: boolean; inRepeat: boolean };
const isRepeatedGroup = (node: Node): node is Extract<Node, { t: 'quant' }> & { body: GroupNode } => node.t === 'quant' && node.max > 1 && node.body.t === 'group';
const isBehind = (node: Node): node is GroupNode => node.t === 'group' && (node.kind === 'behind' || node.kind === 'notBehind');

/**
 * Where the engines differ on groups (each found by comparing with java.util.regex); a rule returns why
 * a node cannot be translated. `(X)?` needs no rule: it is printed as `(?:(X)|)`, which is what Java
 * compiles it to.
 */
const TREE_RULES: ((node: Node, context: Context) => string | undefined)[] = [
  // Java stops repeating at the first empty iteration (even below the minimum); JavaScript refuses an
  // empty iteration beyond the minimum and backtracks into the body for a longer one.
  (node) => (isRepeatedGroup(node) && minLength(node.body) === 0 ? 'repeats a group that can match the empty string: Java stops at the first empty iteration, JavaScript refuses it and backtracks, so they can find different matches' : undefined),
  // JavaScript resets the groups inside a repetition at every iteration; Java keeps earlier values.
  (node) => (node.t === 'quant' && node.max > 1 && capturesIn(node.body).some((g) => !alwaysSet(node.body).has(g)) ? 'repeats capturing groups that not every iteration sets: Java keeps their value from an earlier iteration, JavaScript resets it' : undefined),
  // Java's GroupCurly writes its group once more after the rest of the match succeeded.
  (node, { inRepeat }) => (inRepeat && node.t === 'quant' && !node.lazy && node.max > node.min && node.body.t === 'group' && node.body.kind === 'capture' ? 'repeats a capturing group inside another repetition: Java reports its value from an earlier outer iteration' : undefined),
  // Java repeats a group without choices in it (GroupCurly) without restoring the groups nested in it
  // when it gives back a repetition or the attempt fails: they keep stale values.
  (node) => (node.t === 'quant' && !(node.min === 0 && node.max === 1) && node.body.t === 'group' && isJavaDeterministic(node.body) && capturesIn(node.body.body).length > 0 ? 'repeats a group with capturing groups inside: Java can leave them the values of a repetition it gave back' : undefined),
  // GroupCurly never backtracks into a repetition, so a `\r\n` taken by `\R` is never given back.
  (node) => (isRepeatedGroup(node) && isJavaDeterministic(node.body) && hasLinebreak(node.body) ? 'repeats a group containing \\R: Java matches each repetition without backtracking into it from outside, JavaScript backtracks' : undefined),
  (node) => (node.t === 'group' && (node.kind === 'notAhead' || node.kind === 'notBehind') && capturesIn(node.body).length > 0 ? 'has capturing groups inside a negative look-around: Java can leave values in them, JavaScript never does' : undefined),
  (node) => (isBehind(node) ? lookbehindProblem(node) : undefined),
  (node, { inBehind }) => (node.t === 'backref' && inBehind ? 'inside a look-behind is not supported' : undefined),
];

function checkTree(node: Node, reject: Reject, context: Context = { inBehind: false, inRepeat: false }): void {
  for (const rule of TREE_RULES) {
    const why = rule(node, context);
    if (why !== undefined) reject(node, why);
  }
  const inner = { inBehind: context.inBehind || isBehind(node), inRepeat: context.inRepeat || (node.t === 'quant' && node.max > 1) };
  for (const child of children(node)) checkTree(child, reject, inner);
}

/**
 * Java does not undo what a positive look-around captured when the match fails later, so a value from a
 * failed attempt can survive into the match; JavaScript always undoes it. Same groups only if every match
 * sets them again.
 */
function checkLookaroundCaptures(node: Node, always: ReadonlySet<number>, reject: Reject): void {
  if (node.t === 'group' && (node.kind === 'ahead' || node.kind === 'behind') && capturesIn(node.body).some((g) => !always.has(g))) {
    reject(node, 'has capturing groups that not every match sets: Java can keep a value from a failed attempt, JavaScript does not');
  }
  for (const child of children(node)) checkLookaroundCaptures(child, always, reject);
}

/** TreeInfo.deterministic: Java repeats such a group with GroupCurly, which never backtracks into a repetition. */
function isJavaDeterministic(node: Node): boolean {
  if (node.t === 'alt') return false;
  if (node.t === 'quant') return node.min === node.max && isJavaDeterministic(node.body);
  if (node.t === 'group' && node.kind !== 'capture' && node.kind !== 'plain') return true;
  return children(node).every(isJavaDeterministic);
}

function hasLinebreak(node: Node): boolean {
  return node.t === 'linebreak' || children(node).some(hasLinebreak);
}

/**
 * Java measures a look-behind's length to know where to start it, forwards, from the nearest start; an
 * unbounded one it miscomputes, and captures inside differ from JavaScript's backwards matching unless
 * every part has a fixed width.
 */
function lookbehindProblem(node: GroupNode): string | undefined {
  if (maxLength(node.body) === Infinity) return 'has no maximum length: Java miscomputes such look-behinds (some never match, some do not compile)';
  if (capturesIn(node.body).length > 0 && rigidWidth(node.body) === null) return 'captures inside a variable-length look-behind: Java and JavaScript can capture different text';
  if (node.unitBehind && !isUnitSafe(node.body)) {
    return "can match a supplementary character (such as an emoji) and Java measures this look-behind in UTF-16 units: put only a single negated class, '.', \\S, \\W or \\D first, or plain characters";
  }
  return undefined;
}

function maxLength(node: Node): number {
  switch (node.t) {
    case 'char':
    case 'set':
      return 1;
    case 'linebreak':
      return 2;
    case 'backref':
      return Infinity;
    case 'seq':
      return node.items.reduce((sum, item) => sum + maxLength(item), 0);
    case 'alt':
      return Math.max(...node.alts.map(maxLength));
    case 'group':
      return node.kind === 'capture' || node.kind === 'plain' ? maxLength(node.body) : 0;
    case 'quant':
      return node.max === 0 ? 0 : node.max * maxLength(node.body);
    default:
      return 0;
  }
}

/** True if a set or character can match (part of) a surrogate pair. */
function touchesPairs(node: Node): boolean {
  if (node.t === 'char') return node.cp > 0xffff;
  if (node.t === 'set') return node.props.length > 0 || coverage(members(node), SURROGATES[0], MAX_CP) !== 'none';
  return children(node).some(touchesPairs);
}

/**
 * Java's unit-measured look-behind (Pattern.Behind) starts its body at UTF-16 offsets, so a body starting
 * inside a surrogate pair sees a lone low surrogate where JavaScript sees the whole code point. That is
 * harmless only when the body's first element is a set that treats both the same, and nothing after it
 * can match a surrogate.
 */
function isUnitSafe(body: Node): boolean {
  const items = body.t === 'seq' ? body.items : [body];
  return items.every((item, k) => {
    if (!touchesPairs(item)) return true;
    if (k !== 0 || item.t !== 'set' || item.props.length > 0) return false;
    const supplementary = coverage(members(item), 0x10000, MAX_CP);
    return supplementary !== 'some' && supplementary === coverage(members(item), 0xdc00, 0xdfff);
  });
}

/** True if a match can begin with a zero-width assertion other than `^` (which only matches at 0). */
function startsZeroWidth(node: Node): boolean {
  switch (node.t) {
    case 'assert':
      return node.js !== '^';
    case 'group':
      return node.kind === 'capture' || node.kind === 'plain' ? startsZeroWidth(node.body) : true;
    case 'quant':
      return startsZeroWidth(node.body);
    case 'alt':
      return node.alts.some(startsZeroWidth);
    case 'seq':
      for (const item of node.items) {
        if (item.t === 'assert' && item.js === '^') return false;
        if (startsZeroWidth(item)) return true;
        if (minLength(item) > 0) return false;
      }
      return false;
    default:
      return false;
  }
}

/**
 * A backreference to a group that has not matched fails in Java but matches the empty string in JavaScript,
 * so each one must refer to a group certainly set at that point. Returns the groups set after `node`.
 */
function checkBackrefs(node: Node, before: ReadonlySet<number>, reject: Reject): Set<number> {
  switch (node.t) {
    case 'backref':
      if (!before.has(node.index)) reject(node, `refers to group ${node.index}, which may not have matched at this point: Java fails there, JavaScript matches the empty string`);
      return new Set(before);
    case 'seq':
      return node.items.reduce((set, item) => checkBackrefs(item, set, reject), new Set(before));
    case 'alt':
      return node.alts.map((alt) => checkBackrefs(alt, before, reject)).reduce((a, b) => new Set([...a].filter((g) => b.has(g))));
    case 'group': {
      const after = checkBackrefs(node.body, before, reject);
      if (node.kind === 'notAhead' || node.kind === 'notBehind') return new Set(before);
      if (node.index !== undefined) after.add(node.index);
      return after;
    }
    case 'quant': {
      // JavaScript resets the captures inside a repeated group at each iteration.
      const inner = new Set([...before].filter((g) => !capturesIn(node.body).includes(g)));
      const after = checkBackrefs(node.body, inner, reject);
      return node.min > 0 ? new Set([...before, ...after]) : new Set(before);
    }
    default:
      return new Set(before);
  }
}

// ─── Printing ─────────────────────────────────────────────────────────────────────────────────────────

function compile(tree: Tree): JavaRegexResult {
  const reject: Reject = (node, why) => {
    throw new Rejection(`${describe(tree.pattern, node.span)} ${why}`);
  };
  checkTree(tree.root, reject);
  checkLookaroundCaptures(tree.root, alwaysSet(tree.root), reject);
  const missing = findBackref(tree.root, (node) => node.index > tree.groupCount);
  if (missing) reject(missing, `refers to group ${missing.index}, which does not exist: Java accepts it but it can never match`);
  checkBackrefs(tree.root, new Set(), reject);
  const unicode = useUnicode(tree, reject);
  const body = new Printer(unicode).print(tree.root);
  const guard = startGuard(tree, unicode);
  const source = guard === '' ? body : tree.root.t === 'alt' ? `${guard}(?:${body})` : guard + body;
  const flags = (tree.caseInsensitive ? 'i' : '') + (unicode ? 'u' : '');
  try {
    return { ok: true, regex: new RegExp(source, flags), groupCount: tree.groupCount };
  } catch (error) {
    return { ok: false, message: `invalid regex: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function findBackref(node: Node, test: (node: BackrefNode) => boolean): BackrefNode | undefined {
  if (node.t === 'backref') return test(node) ? node : undefined;
  return children(node).reduce<BackrefNode | undefined>((found, child) => found ?? findBackref(child, test), undefined);
}

/** Keeps exec() from starting inside a surrogate pair where Java would not (see useUnicode). */
function startGuard(tree: Tree, unicode: boolean): string {
  // With the u flag V8 sees nothing behind an offset inside a pair; without it, the high surrogate.
  if (unicode) return startsZeroWidth(tree.root) ? String.raw`(?:^|(?<=[\s\S]))` : '';
  if (!tree.skipsInsidePairs) return '';
  return startsZeroWidth(tree.root) || setsIn(tree.root).some(touchesPairs) ? String.raw`(?<![\uD800-\uDBFF](?=[\uDC00-\uDFFF]))` : '';
}

function setsIn(node: Node): SetNode[] {
  return node.t === 'set' ? [node] : children(node).flatMap(setsIn);
}

function members(set: SetLike): Range[] {
  const ranges = normalize(set.ranges);
  return set.negated ? complement(ranges) : ranges;
}

/**
 * Whether to use the u flag. Java matches sets by code point, so a set that can match a surrogate or a
 * supplementary character (`.`, `[^"]`, `\S`...) needs either the u flag or, without it, explicit
 * surrogate-pair handling (see Printer.set). Unicode properties and partial supplementary ranges need the
 * flag. The choice also decides where exec() may start a match (see startGuard):
 *   - Java skips offsets inside a surrogate pair when the pattern has supplementary constructs other than
 *     `.` (Pattern.StartS); V8 with the u flag does too, except for matches starting with an assertion,
 *     which the guard handles.
 *   - Otherwise Java also tries those offsets and sees a lone low surrogate there, as V8 does without the
 *     u flag; with it V8 behaves erratically there, so patterns that can start with an assertion go without.
 * Under (?i) the flag is never used: u+i folds `k` to the Kelvin sign and `s` to the long s, which Java's
 * ASCII-only (?i) does not.
 */
function useUnicode(tree: Tree, reject: Reject): boolean {
  let needed = false;
  let sensitive = false;
  for (const set of setsIn(tree.root)) {
    const all = members(set);
    const inexpressible = set.props.length > 0 || coverage(all, 0x10000, MAX_CP) === 'some' || coverage(all, ...SURROGATES) === 'some';
    if (inexpressible && tree.caseInsensitive) reject(set, "needs the u flag, which cannot be combined with Java's ASCII-only (?i)");
    needed ||= inexpressible;
    sensitive ||= touchesPairs(set);
  }
  if (needed) return true;
  if (!sensitive || tree.caseInsensitive) return false;
  return tree.skipsInsidePairs || !startsZeroWidth(tree.root);
}

class Printer {
  constructor(private readonly unicode: boolean) {}

  print(node: Node): string {
    switch (node.t) {
      case 'char':
        return this.char(node.cp, false);
      case 'set':
        return this.set(node);
      case 'assert':
        return node.js;
      case 'linebreak':
        return LINEBREAK;
      case 'backref':
        return node.name === undefined ? `\\${node.index}` : `\\k<${node.name}>`;
      case 'group':
        return `${GROUP_OPENERS[node.kind](node.name)}${this.print(node.body)})`;
      case 'quant':
        return this.quantifier(node);
      case 'seq':
        return this.sequence(node.items);
      case 'alt':
        return node.alts.map((alt) => this.print(alt)).join('|');
    }
  }

  /** A numbered backreference followed by a digit would read as a longer number: wrap it. */
  private sequence(items: Node[]): string {
    const texts = items.map((item) => this.print(item));
    return texts.map((text, k) => (items[k]?.t === 'backref' && /^\d/.test(texts[k + 1] ?? '') ? `(?:${text})` : text)).join('');
  }

  private quantifier(node: Extract<Node, { t: 'quant' }>): string {
    const body = node.body;
    // Java compiles `(X)?` to the alternation `(?:(X)|)`; JavaScript's `?` would refuse an empty X (and
    // backtrack into X for a longer match, or leave its groups unset).
    if (node.min === 0 && node.max === 1 && body.t === 'group' && minLength(body) === 0) {
      const group = this.print(body);
      return node.lazy ? `(?:|${group})` : `(?:${group}|)`;
    }
    // Java repeats `\R` without backtracking into it: a `\r\n` is always taken whole.
    let text = body.t === 'linebreak' ? LINEBREAK_ATOMIC : this.print(body);
    if (body.t === 'char' && body.cp > 0xffff && !this.unicode) text = `(?:${text})`;
    const { min, max } = node;
    const count = max === Infinity ? (min === 0 ? '*' : min === 1 ? '+' : `{${min},}`) : min === 0 && max === 1 ? '?' : min === max ? `{${min}}` : `{${min},${max}}`;
    return text + count + (node.lazy ? '?' : '');
  }

  private set(set: SetNode): string {
    const all = set.props.length === 0 ? members(set) : [];
    if (this.unicode || coverage(all, SURROGATES[0], MAX_CP) === 'none') return this.classText(set);
    // Without the u flag (see useUnicode), a supplementary character must still be one unit of matching,
    // as in Java, and a set must not match the first half of one.
    const bmp = this.classText({ ...set, ranges: intersect(normalize(set.ranges), 0, 0xffff) });
    const single = coverage(all, ...SURROGATES) === 'all' ? `(?!${PAIR})${bmp}` : bmp;
    return coverage(all, 0x10000, MAX_CP) === 'all' ? `(?:${PAIR}|${single})` : `(?:${single})`;
  }

  private classText(set: SetLike): string {
    const ranges = normalize(set.ranges);
    if (set.props.length === 0 && ranges.length === 0) return set.negated ? '[\\s\\S]' : '[]';
    if (set.props.length === 0 && sameRanges(ranges, DIGIT)) return set.negated ? '\\D' : '\\d';
    if (set.props.length === 0 && sameRanges(ranges, WORD)) return set.negated ? '\\W' : '\\w';
    const [only] = set.props;
    if (!set.negated && ranges.length === 0 && set.props.length === 1 && only) return `\\${only.negated ? 'P' : 'p'}{${only.name}}`;
    const body = ranges.map(([lo, hi]) => this.range(lo, hi)).join('') + set.props.map((p) => `\\${p.negated ? 'P' : 'p'}{${p.name}}`).join('');
    return `[${set.negated ? '^' : ''}${body}]`;
  }

  /** Readable ranges: short ones are cut into 0-9, A-Z, a-z and listed punctuation. */
  private range(lo: number, hi: number): string {
    const cut = hi - lo < 16 ? ASCII_RUNS.find((edge) => edge > lo && edge <= hi) : undefined;
    if (cut !== undefined) return this.range(lo, cut - 1) + this.range(cut, hi);
    if (lo === hi) return this.char(lo, true);
    if (hi - lo < 2 || (hi - lo < 5 && !isAsciiAlnum(lo))) return Array.from({ length: hi - lo + 1 }, (_v, k) => this.char(lo + k, true)).join('');
    return `${this.char(lo, true)}-${this.char(hi, true)}`;
  }

  private char(cp: number, inClass: boolean): string {
    const special = inClass ? '\\]^-[' : '\\^$.|?*+()[]{}';
    if (cp >= 0x20 && cp < 0x7f) return special.includes(String.fromCharCode(cp)) ? `\\${String.fromCharCode(cp)}` : String.fromCharCode(cp);
    const named: Record<number, string> = { 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
    if (named[cp]) return named[cp];
    if (cp < 0x100) return `\\x${hex(cp, 2)}`;
    if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
    if (this.unicode) return `\\u{${cp.toString(16).toUpperCase()}}`;
    const offset = cp - 0x10000;
    return `\\u${hex(0xd800 + (offset >> 10), 4)}\\u${hex(0xdc00 + (offset & 0x3ff), 4)}`;
  }
}

const isAsciiAlnum = (ch: number): boolean => isAsciiAlpha(ch) || isDigit(ch);
/** Where the runs 0-9, A-Z and a-z start and end, and where ASCII ends. */
const ASCII_RUNS = [0x30, 0x3a, 0x41, 0x5b, 0x61, 0x7b, 0x80];
const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');

const GROUP_OPENERS: Record<GroupKind, (name?: string) => string> = {
  capture: (name) => (name === undefined ? '(' : `(?<${name}>`),
  plain: () => '(?:',
  ahead: () => '(?=',
  notAhead: () => '(?!',
  behind: () => '(?<=',
  notBehind: () => '(?<!',
};
