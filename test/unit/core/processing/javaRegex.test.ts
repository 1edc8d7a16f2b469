import { describe, expect, it } from 'vitest';
import { fullMatchRegex, lookingAtRegex, translateJavaRegex, type JavaRegexResult } from '../../../../src/core/processing/javaRegex.js';

// Every expected value below is what java.util.regex returns (checked against JDK 17 and 25).

type Groups = (string | undefined)[] | null;

function compiled(result: JavaRegexResult): RegExp {
  if (!result.ok) throw new Error(result.message);
  expect(result.regex.flags).not.toMatch(/[gy]/);
  return result.regex;
}

/** Matcher.find(): the first match and its groups, or null. */
function find(pattern: string, input: string, multiline = false): Groups {
  const match = compiled(translateJavaRegex(pattern, { multiline })).exec(input);
  return match ? [...match] : null;
}

const matches = (pattern: string, input: string): Groups => {
  const match = compiled(fullMatchRegex(pattern)).exec(input);
  return match ? [...match] : null;
};

const lookingAt = (pattern: string, input: string): Groups => {
  const match = compiled(lookingAtRegex(pattern)).exec(input);
  return match ? [...match] : null;
};

function rejection(pattern: string, options?: { multiline?: boolean }): string {
  const result = translateJavaRegex(pattern, options);
  return result.ok ? `accepted as /${result.regex.source}/${result.regex.flags}` : result.message;
}

/** [what, pattern, input, Matcher.find() result] */
type FindCase = [string, string, string, Groups];

const FIND: FindCase[] = [
  // `.` excludes every Java line terminator, including NEL; it matches a whole supplementary character.
  ['. refuses NEL', 'a.b', 'a\u0085b', null],
  ['. refuses CR', 'a.b', 'a\rb', null],
  ['. refuses LS', 'a.b', 'a\u2028b', null],
  ['. takes NBSP', 'a.b', 'a\u00a0b', ['a\u00a0b']],
  ['. takes an emoji whole', 'a.b', 'a😀b', ['a😀b']],
  ['(?s) . takes NEL', '(?s)a.b', 'a\u0085b', ['a\u0085b']],
  ['scoped (?s:.)', '(?s:.).', '\n\n', null],
  ['scoped (?s:.) then plain .', '(?s:.).', '\nx', ['\nx']],
  // \s is ASCII: [ \t\n\x0B\f\r].
  ['\\s refuses NBSP', String.raw`a\sb`, 'a\u00a0b', null],
  ['\\s refuses EM SPACE', String.raw`a\sb`, 'a\u2003b', null],
  ['\\s takes VT', String.raw`a\sb`, 'a\u000bb', ['a\u000bb']],
  ['\\S takes NBSP', String.raw`\S+`, '\u00a0x y', ['\u00a0x']],
  ['[\\s,] stays ASCII', String.raw`[\s,]+`, '\u00a0, \tb', [', \t']],
  ['[^\\s] takes IDEOGRAPHIC SPACE', String.raw`[^\s]+`, '\u3000ab c', ['\u3000ab']],
  ['\\S inside a class', String.raw`[\S]+`, ' é😀 ', ['é😀']],
  // $ without MULTILINE: the end, or before a final line terminator.
  ['$ before a final LF', 'abc$', 'abc\n', ['abc']],
  ['$ before a final CRLF', 'abc$', 'abc\r\n', ['abc']],
  ['$ before a final NEL', 'abc$', 'abc\u0085', ['abc']],
  ['$ not before two LFs', 'abc$', 'abc\n\n', null],
  ['$ never between CR and LF', 'abc\r$', 'abc\r\n', null],
  ['\\Z before a final LF', String.raw`abc\Z`, 'abc\n', ['abc']],
  ['\\z only at the end', String.raw`abc\z`, 'abc\n', null],
  ['\\A only at the start', String.raw`\Ab`, 'a\nb', null],
  // MULTILINE ^ and $: every Java line terminator, CRLF as one.
  ['(?m)^ after CRLF', '(?m)^b', 'a\r\nb', ['b']],
  ['(?m)^ after NEL', '(?m)^b', 'a\u0085b', ['b']],
  ['(?m)^ never between CR and LF', '(?m)^\n', 'a\r\n', null],
  ['(?m)$ before NEL', '(?m)a$', 'a\u0085b', ['a']],
  ['(?m)$ before CR', '(?m)a$', 'a\rb', ['a']],
  ['(?m)$ never between CR and LF', '(?m)\r$', '\r\n', null],
  ['(?m)^ never at the very end', '(?m)^', '', null],
  ['scoped (?m:^)', '(?m:^b)', 'a\nb', ['b']],
  // \v and \h are Java's vertical and horizontal whitespace; \R is a line break.
  ['\\v takes LF', String.raw`a\vb`, 'a\nb', ['a\nb']],
  ['\\h takes NBSP and tab', String.raw`\h+`, 'a\u00a0\t b', ['\u00a0\t ']],
  ['\\R takes CRLF', String.raw`a\Rb`, 'a\r\nb', ['a\r\nb']],
  ['\\R gives back the LF', String.raw`a\R\nb`, 'a\r\nb', ['a\r\nb']],
  ['\\R{2} never splits a CRLF', String.raw`\R{2}`, '\r\n', null],
  // Quoting and escapes.
  ['\\Q...\\E is literal', String.raw`\Qa.b*\E+`, 'a.b**', ['a.b**']],
  ['\\Q...\\E . is not a wildcard', String.raw`\Qa.b\E`, 'axb', null],
  ['hex, unicode, octal, braced hex', String.raw`\x41\u0042\0103\x{44}`, 'ABCD', ['ABCD']],
  ['\\e, \\a and \\cJ', String.raw`\e\a\cJ`, '\x1b\x07\n', ['\x1b\x07\n']],
  ['\\x{1F600} is one code point', String.raw`\x{1F600}+`, '😀😀', ['😀😀']],
  ['escaped surrogate pair', String.raw`\uD83D\uDE00`, '😀', ['😀']],
  ['escaped punctuation', String.raw`\-\#\ \@`, '-# @', ['-# @']],
  // Character classes.
  ['] first in a class is literal', '[]a]+', 'x]a]', [']a]']],
  ['[^]...] negates ]', '[^]a]+', ']xy', ['xy']],
  ['[\\d-z]: - after a class is literal', String.raw`[\d-z]+`, '1-z', ['1-z']],
  ['single & is literal', '[&a]+', 'a&', ['a&']],
  ['POSIX \\p{Punct}', String.raw`\p{Punct}+`, 'a!-~b', ['!-~']],
  ['POSIX \\p{XDigit}', String.raw`\p{XDigit}+`, 'cafe9g', ['cafe9']],
  ['POSIX \\p{ASCII}', String.raw`\p{ASCII}+`, 'abé', ['ab']],
  ['POSIX \\p{Lower} in a class', String.raw`[\p{Lower}\d]+`, 'Xab12C', ['ab12']],
  ['POSIX \\P{Alnum}', String.raw`\P{Alnum}+`, 'a-é😀b', ['-é😀']],
  ['POSIX \\p{Space} is ASCII', String.raw`\p{Space}`, '\u00a0', null],
  ['\\p{L}', String.raw`\p{L}+`, '1éa2', ['éa']],
  ['\\pL', String.raw`\pL+`, '1éa2', ['éa']],
  ['\\p{Lu}', String.raw`\p{Lu}`, 'aÉ', ['É']],
  ['\\p{IsLatin}', String.raw`\p{IsLatin}+`, 'aαb', ['a']],
  ['\\p{sc=Greek}', String.raw`\p{sc=Greek}+`, 'aαβ', ['αβ']],
  ['\\p{IsAlphabetic}', String.raw`\p{IsAlphabetic}+`, '1aé2', ['aé']],
  ['\\P{L} inside a class', String.raw`[\P{L}]+`, 'ab1-c', ['1-']],
  // Inline flags.
  ['(?i) ASCII', '(?i)abc', 'xABC', ['ABC']],
  ['(?i) does not fold the Kelvin sign', '(?i)k', '\u212a', null],
  ['(?i) does not fold the long s', '(?i)s', '\u017f', null],
  ['(?i) class', '(?i)[a-c]+', 'xAbC', ['AbC']],
  ['(?i) with . on an emoji', '(?i)a.b', 'A😀B', ['A😀B']],
  ['(?i) with [^...] on two emoji', '(?i)^[^a]{2}$', '😀😀', ['😀😀']],
  ['(?x) comments mode', '(?x) a b # comment\n c', 'abc', ['abc']],
  ['(?x) ignores spaces in classes', '(?x)[a b]', ' ', null],
  ['(?x) escaped space', String.raw`(?x)a\ b`, 'a b', ['a b']],
  // Groups.
  ['named group and \\k', String.raw`(?<y>\d{4})-\k<y>`, '2020-2020', ['2020-2020', '2020']],
  ['backreference', String.raw`(['"])(.*?)\1`, `x 'a' b`, ["'a'", "'", 'a']],
  ['\\10 is \\1 then 0 with one group', String.raw`(a)\10`, 'aa0', ['aa0', 'a']],
  ['(a)? unmatched', '(a)?b', 'b', ['b', undefined]],
  ['(a?)? sets an empty group, as Java', '(a?)?b', 'b', ['b', '']],
  ['(|a)? prefers empty, as Java', '(?:|a)?', 'a', ['']],
  ['optional group', String.raw`(\d+)(?:,(\d+))?`, '1', ['1', '1', undefined]],
  ['lazy counted', 'a{2,3}?', 'aaaa', ['aa']],
  ['look-behind with one negated class', String.raw`(?<=[^\\])"`, 'a"', ['"']],
  ['look-behind refuses', String.raw`(?<=[^\\])"`, '\\"', null],
  ['look-behind after an emoji', String.raw`(?<=\S)x`, '😀x', ['x']],
  ['fixed look-behind captures', '(?<=(a)(b))c', 'abc', ['c', 'a', 'b']],
  // Supplementary characters.
  ['[^a]{2} is two code points', '[^a]{2}', '😀', null],
  ['literal emoji quantified whole', '😀+', '😀😀', ['😀😀']],
];

describe('translateJavaRegex: Java semantics (find)', () => {
  it.each(FIND)('%s: %j on %j', (_what, pattern, input, expected) => {
    expect(find(pattern, input)).toEqual(expected);
  });

  it.each<[string, string, Groups]>([
    ['^b$', 'a\nb\nc', ['b']],
    ['^b$', 'a\r\nb\r\nc', ['b']],
    ['^b$', 'a\u0085b\u2029c', ['b']],
    ['^$', 'a\n\nb', ['']],
    ['^a\\z', 'x\na', ['a']],
  ])('MULTILINE option: %j on %j', (pattern, input, expected) => {
    expect(find(pattern, input, true)).toEqual(expected);
  });

  it('never starts a match inside a surrogate pair where Java does not', () => {
    expect(compiled(translateJavaRegex(String.raw`(?!\x{1F600})`)).exec('😀')?.index).toBe(2);
    expect(compiled(translateJavaRegex(String.raw`(?![^\s]{2})`)).exec('😀😀')?.index).toBe(2);
  });
});

describe('fullMatchRegex (Matcher.matches)', () => {
  const example = String.raw`^([\d.]+) (\S+) (\S+) \[([\w:/]+\s[+\-]\d{4})\] "(.+?)" (\d{3})`;

  it('translates the reference custom matchPattern (6 groups) and full-matches its example', () => {
    const result = fullMatchRegex(example);
    expect(result.ok && result.groupCount).toBe(6);
    expect(matches(example, '123.45.67.89 - - [27/Oct/2000:09:27:09 -0400] "GET /java/javaResources.html HTTP/1.1" 200')).toEqual([
      '123.45.67.89 - - [27/Oct/2000:09:27:09 -0400] "GET /java/javaResources.html HTTP/1.1" 200',
      '123.45.67.89',
      '-',
      '-',
      '27/Oct/2000:09:27:09 -0400',
      'GET /java/javaResources.html HTTP/1.1',
      '200',
    ]);
  });

  it.each<[string, string, Groups]>([
    ['abc', 'abc', ['abc']],
    ['abc', 'abc\n', null],
    ['abc$', 'abc\n', null],
    ['a|ab', 'ab', ['ab']],
    ['(a)|b', 'b', ['b', undefined]],
    ['^.$', '😀', ['😀']],
    ['.*', 'a\rb', null],
    [example, '123.45.67.89 - - [27/Oct/2000:09:27:09 -0400] "GET / HTTP/1.1" 200 x', null],
  ])('%j on %j', (pattern, input, expected) => {
    expect(matches(pattern, input)).toEqual(expected);
  });
});

describe('lookingAtRegex (Matcher.lookingAt)', () => {
  it.each<[string, string, Groups]>([
    [String.raw`\d{4}-`, '2020-01-01 x', ['2020-']],
    [String.raw`\d{4}-`, ' at Foo', null],
    [String.raw`\d`, 'x1', null],
    [String.raw`\s+at `, '    at Foo.bar(Foo.java:1)', ['    at ']],
    ['a|ab', 'abc', ['a']],
    ['-{72}', '-'.repeat(80), ['-'.repeat(72)]],
    [String.raw`    \{`, '    {"a": 1}', ['    {']],
  ])('%j on %j', (pattern, input, expected) => {
    expect(lookingAt(pattern, input)).toEqual(expected);
  });
});

/** The Kinesis Agent's built-in LOGTOJSON patterns, fully expanded (reference §2.4). */
const COMMON = String.raw`^((?:(?:[\w\-]+)(?:\.(?:[\w\-]+))*(?:\.?|\b)|(?:[\d\.]+))) ((?:[a-zA-Z0-9._-]+)) ((?:[a-zA-Z0-9._-]+)) \[((?:(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])/\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b/(?:[1-9]\d*):(?:(?:2[0123]|[01]?[0-9]):(?:[0-5][0-9]):(?:(?:[0-5]?[0-9]|60)(?:[:\.,][0-9]+)?))\s(?:[+-]?(?:[0-9]+))))\] "([^"]+)" ((?:[+-]?(?:[0-9]+))|\-) ((?:[+-]?(?:[0-9]+))|\-)`;
const BUILT_IN = {
  COMMONAPACHELOG: `${COMMON}.*`,
  COMBINEDAPACHELOG: `${COMMON} "([^"]+)" "([^"]+)".*`,
  APACHEERRORLOG: String.raw`^\[((?:(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)\s+\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\s+(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])\s+(?:(?:2[0123]|[01]?[0-9]):(?:[0-5][0-9]):(?:(?:[0-5]?[0-9]|60)(?:[:\.,][0-9]+)?))\s+(?:[1-9]\d*)))\] \[(?:(\w+):)?(\w+)\] \[pid ((?:[0-9]+))(?::tid ((?:[0-9]+)))?\] \[client ((?:(?:(?:[\w\-]+)(?:\.(?:[\w\-]+))*(?:\.?|\b)|(?:[\d\.]+))(?::(?:[1-9][0-9]*))?))\] (.*)`,
  SYSLOG: String.raw`^((?:\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\s+(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])\s+(?:(?:2[0123]|[01]?[0-9]):(?:[0-5][0-9]):(?:(?:[0-5]?[0-9]|60)(?:[:\.,][0-9]+)?)))) (?:<(?:[0-9]+).(?:[0-9]+)> )?((?:[a-zA-Z0-9._-]+)) ([\w\._/%-]+)(?:\[((?:[1-9][0-9]*))\])?: (.*)`,
  RFC3339SYSLOG: String.raw`^((?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:Z|(?:[-+]\d{2}:\d{2}))) (?:<(?:[0-9]+).(?:[0-9]+)> )?((?:[a-zA-Z0-9._-]+)) ([\w\._/%-]+)(?:\[((?:[1-9][0-9]*))\])?: (.*)`,
};

describe('the built-in LOGTOJSON patterns', () => {
  it.each<[keyof typeof BUILT_IN, number]>([
    ['COMMONAPACHELOG', 7],
    ['COMBINEDAPACHELOG', 9],
    ['APACHEERRORLOG', 7],
    ['SYSLOG', 5],
    ['RFC3339SYSLOG', 5],
  ])('%s translates with %d groups', (format, groups) => {
    const result = fullMatchRegex(BUILT_IN[format]);
    expect(result.ok && result.groupCount).toBe(groups);
  });

  it.each<[keyof typeof BUILT_IN, string, Groups]>([
    [
      'COMMONAPACHELOG',
      '64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "GET /mailman/listinfo/hsdivision HTTP/1.1" 200 6291',
      ['64.242.88.10', '-', '-', '07/Mar/2004:16:10:02 -0800', 'GET /mailman/listinfo/hsdivision HTTP/1.1', '200', '6291'],
    ],
    [
      'COMMONAPACHELOG',
      '64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "GET /mailman/listinfo/hsdivision HTTP/1.1" 200 6291 "-" "Mozilla/4.6 [en]"',
      ['64.242.88.10', '-', '-', '07/Mar/2004:16:10:02 -0800', 'GET /mailman/listinfo/hsdivision HTTP/1.1', '200', '6291'],
    ],
    [
      'COMMONAPACHELOG',
      'lj1036.inktomisearch.com - - [07/Mar/2004:17:18:36 -0800] "GET /robots.txt HTTP/1.0" 200 68',
      ['lj1036.inktomisearch.com', '-', '-', '07/Mar/2004:17:18:36 -0800', 'GET /robots.txt HTTP/1.0', '200', '68'],
    ],
    ['COMMONAPACHELOG', '64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "GET /robots.txt HTTP/1.0" 200', null],
    ['COMMONAPACHELOG', '::1 - - [07/Mar/2004:16:10:02 -0800] "GET / HTTP/1.1" 304 -', null],
    ['COMMONAPACHELOG', '10.0.0.1 - - [07/Mar/2004:16:10:02 -0800] "GET / HTTP/1.1" 304 -\r', null],
    [
      'COMBINEDAPACHELOG',
      '123.45.67.89 - - [27/Oct/2000:09:27:09 -0400] "GET /java/javaResources.html HTTP/1.0" 200 10450 "-" "Mozilla/4.6 [en] (X11; U; OpenBSD 2.8 i386; Nav)" "ANY_RANDOM_DATA"',
      ['123.45.67.89', '-', '-', '27/Oct/2000:09:27:09 -0400', 'GET /java/javaResources.html HTTP/1.0', '200', '10450', '-', 'Mozilla/4.6 [en] (X11; U; OpenBSD 2.8 i386; Nav)'],
    ],
    ['COMBINEDAPACHELOG', '1.2.3.4 - - [27/Oct/2000:09:27:09 -0400] "GET / HTTP/1.0" 200 1 "" "curl/7.1"', null],
    [
      'APACHEERRORLOG',
      '[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist: /usr/local/apache2/htdocs/favicon.ico',
      ['Fri Sep 09 10:42:29.902022 2011', 'core', 'error', '35708', '4328636416', '72.15.99.187', 'File does not exist: /usr/local/apache2/htdocs/favicon.ico'],
    ],
    [
      'APACHEERRORLOG',
      '[Fri Sep 09 10:42:29 2011] [error] [pid 35708:tid 4328636416] [client 72.15.99.187:12345] File does not exist',
      ['Fri Sep 09 10:42:29 2011', undefined, 'error', '35708', '4328636416', '72.15.99.187:12345', 'File does not exist'],
    ],
    ['APACHEERRORLOG', '[Fri Sep 09 10:42:29 2011] [:error] [pid 35708] [client 72.15.99.187] PHP', null],
    [
      'SYSLOG',
      "Mar 12 12:00:08 server2 rcd[308]: Loaded 12 packages in 'ximian-red-carpet|351' (0.01878 seconds) ",
      ['Mar 12 12:00:08', 'server2', 'rcd', '308', "Loaded 12 packages in 'ximian-red-carpet|351' (0.01878 seconds) "],
    ],
    ['SYSLOG', 'Mar 12 12:01:02 server4 snort: Ports to decode telnet on: 21 23 25 119', ['Mar 12 12:01:02', 'server4', 'snort', undefined, 'Ports to decode telnet on: 21 23 25 119']],
    ['SYSLOG', 'Mar  7 04:22:00 <3.6> server2 kernel: eth0 link up', ['Mar  7 04:22:00', 'server2', 'kernel', undefined, 'eth0 link up']],
    ['SYSLOG', 'Mar 12 12:00:08 server2 kernel[0]: x', null],
    [
      'RFC3339SYSLOG',
      '2016-04-20T14:47:31.123456+00:00 ip-10-0-0-1 sshd[1234]: Accepted publickey for ec2-user from 10.0.0.2 port 22 ssh2',
      ['2016-04-20T14:47:31.123456+00:00', 'ip-10-0-0-1', 'sshd', '1234', 'Accepted publickey for ec2-user from 10.0.0.2 port 22 ssh2'],
    ],
    ['RFC3339SYSLOG', '2016-04-20 14:47:31Z myhost systemd: Started', null],
  ])('%s on %j', (format, line, groups) => {
    const match = matches(BUILT_IN[format], line);
    expect(match && match.slice(1)).toEqual(groups);
  });
});

describe('groupCount (Java capturing groups)', () => {
  it.each<[string, number]>([
    ['abc', 0],
    ['(a)(?:b)(?<n>c)', 2],
    ['((a)(b))', 3],
    [String.raw`\((a)\)`, 1],
    ['[(](x)', 1],
    [String.raw`\Q(\E(x)`, 1],
    ['(?x)( a ) # (b)\n', 1],
    ['(?=(a))a', 1],
    ['(?<=(a))b', 1],
  ])('%j has %d', (pattern, count) => {
    const result = translateJavaRegex(pattern);
    expect(result.ok && result.groupCount).toBe(count);
  });
});

describe('the translated source', () => {
  it.each<[string, string, string]>([
    [String.raw`\d{4}-`, String.raw`\d{4}-`, ''],
    [String.raw`a\sb`, String.raw`a[\t\n\v\f\r ]b`, ''],
    [String.raw`a\S`, String.raw`a[^\t\n\v\f\r ]`, 'u'],
    ['a.b', String.raw`a[^\n\r\x85\u2028\u2029]b`, 'u'],
    ['(?s).', String.raw`[\s\S]`, 'u'],
    ['(?i)abc', 'abc', 'i'],
    ['(?i)[0-9]', String.raw`\d`, ''],
    [String.raw`\p{L}`, String.raw`\p{L}`, 'u'],
    [String.raw`\p{IsLatin}`, String.raw`\p{Script=Latin}`, 'u'],
    [String.raw`\p{Alpha}`, '[A-Za-z]', ''],
    [String.raw`\Z`, String.raw`(?=(?:\r\n|(?<!\r)\n|[\r\x85\u2028\u2029])?$)`, ''],
    [String.raw`\z\A`, '$^', ''],
    [String.raw`\R`, String.raw`(?:\r\n|[\n\v\f\r\x85\u2028\u2029])`, ''],
    [String.raw`\x{1F600}`, String.raw`\uD83D\uDE00`, ''],
    [String.raw`\v\h`, String.raw`[\n\v\f\r\x85\u2028\u2029][\t \xA0\u1680\u180E\u2000-\u200A\u202F\u205F\u3000]`, ''],
    ['(a?)?', '(?:(a?)|)', ''],
    ['a{2}}]', String.raw`a{2}\}\]`, ''],
  ])('%j → /%s/%s', (pattern, source, flags) => {
    const regex = compiled(translateJavaRegex(pattern));
    expect(regex.source).toBe(source);
    expect(regex.flags).toBe(flags);
  });
});

describe('rejections name the construct and its offset', () => {
  it.each<[string, string]>([
    ['xyza*+', 'possessive quantifier "a*+" at 3 cannot be translated: JavaScript has no possessive quantifiers; write the greedy form (without the final "+") if giving back characters cannot change the match'],
    [String.raw`ab\G`, String.raw`"\G" at 2 is not supported: JavaScript has no \G`],
    ['a(?i)b', 'case-insensitive flag "(?i)" at 1 covers only part of the pattern: JavaScript applies its i flag to the whole pattern'],
    ['a**', `invalid Java regex: Dangling meta character '*': "*" at 2`],
  ])('%j', (pattern, message) => {
    expect(rejection(pattern)).toBe(message);
  });

  it.each<[string, string, string]>([
    ['possessive +', '(ab)++', 'possessive quantifier "(ab)++" at 0'],
    ['possessive ?', 'a?+', 'possessive quantifier "a?+" at 0'],
    ['possessive {n,m}', 'x{1,2}+', 'possessive quantifier "x{1,2}+" at 0'],
    ['atomic group', 'a(?>bc)', 'atomic group "(?>" at 1 cannot be translated'],
    ['intersection', '[a-z&&[^aeiou]]', 'character class intersection "&&" at 4'],
    ['nested class', '[a[bc]]', 'nested character class "[" at 2'],
    ['Unicode block', String.raw`\p{InGreek}`, String.raw`"\p{InGreek}" at 0 is a Unicode block`],
    ['Java property', String.raw`x\p{javaLowerCase}`, String.raw`"\p{javaLowerCase}" at 1 is a java.lang.Character property`],
    ['Java-only binary property', String.raw`\p{IsHex_Digit}`, 'has no exact JavaScript equivalent'],
    ['grapheme cluster', String.raw`\X`, String.raw`"\X" at 0 is not supported`],
    ['grapheme boundary', String.raw`a\b{g}`, String.raw`"\b{g}" at 1 is not supported`],
    ['named character', String.raw`\N{LATIN SMALL LETTER A}`, String.raw`"\N" at 0 is not supported`],
    ['scoped (?i:...)', '(?i:a)b', 'case-insensitive flag "(?i:" at 0 covers only part of the pattern'],
    ['(?u)', '(?u)a', 'inline flag "(?u)" at 0 is not supported: UNICODE_CASE'],
    ['(?iu)', '(?iu)a', 'inline flag "(?iu)" at 0 is not supported'],
    ['(?U)', 'x(?U)', 'inline flag "(?U)" at 1 is not supported: UNICODE_CHARACTER_CLASS'],
    ['(?d)', '(?d)^a', 'inline flag "(?d)" at 0 is not supported: UNIX_LINES'],
    ['non-ASCII under (?i)', '(?i)café', '"é" at 7 cannot be matched case-insensitively as in Java'],
    ['non-ASCII class under (?i)', String.raw`(?i)[\u00e0-\u00ff]`, String.raw`"[\u00e0-\u00ff]" at 4 cannot be matched case-insensitively`],
    ['property under (?i)', String.raw`(?i)\p{L}`, String.raw`"\p{L}" at 4 under (?i) is not supported`],
    ['\\p{Lower} under (?i)', String.raw`(?i)\p{Lower}`, 'its meaning depends on the Java version'],
    ['backreference under (?i)', String.raw`(?i)(a)\1`, String.raw`"\1" at 7 under (?i) is not supported`],
    ['unset backreference', String.raw`(a)?\1`, String.raw`"\1" at 4 refers to group 1, which may not have matched at this point: Java fails there, JavaScript matches the empty string`],
    ['forward backreference', String.raw`\1(a)`, String.raw`"\1" at 0 refers to group 1, which may not have matched`],
    ['backreference inside its group', String.raw`(a\1)`, String.raw`"\1" at 2 refers to group 1, which may not have matched`],
    ['missing group', String.raw`(a)\2`, String.raw`"\2" at 3 refers to group 2, which does not exist`],
    ['missing named group', String.raw`\k<x>`, 'invalid Java regex: named capturing group <x> does not exist'],
    ['group kept across iterations', '(?:(a)|b)+', '"(?:(a)|b)+" at 0 repeats capturing groups that not every iteration sets'],
    ['repeated group that can be empty', '(a*)+', '"(a*)+" at 0 repeats a group that can match the empty string'],
    ['repeated non-capturing group that can be empty', '(?:a|)*b', '"(?:a|)*" at 0 repeats a group that can match the empty string'],
    ['repeated group inside a repetition', '((a){1,2}){0,2}', '"(a){1,2}" at 1 repeats a capturing group inside another repetition'],
    ['\\R repeated inside a group', String.raw`(?:x\R)+`, String.raw`"(?:x\R)+" at 0 repeats a group containing \R`],
    ['groups inside a repetition without choices', '(?:(a)b)*ab', '"(?:(a)b)*" at 0 repeats a group with capturing groups inside'],
    ['captures in a negative look-ahead', '(?!(a))b', '"(?!(a))" at 0 has capturing groups inside a negative look-around'],
    ['optional captures in a look-ahead', '(?=(a)?)b', '"(?=(a)?)" at 0 has capturing groups that not every match sets'],
    ['captures in a variable look-behind', '(?<=(a|bb))c', '"(?<=(a|bb))" at 0 captures inside a variable-length look-behind'],
    ['unbounded look-behind', '(?<=a+)b', '"(?<=a+)" at 0 has no maximum length'],
    ['look-behind over code units', '(?<=..)x', '"(?<=..)" at 0 can match a supplementary character'],
    ['quantified assertion', String.raw`\b+`, String.raw`quantifier on an assertion "\b+" at 0`],
    ['quantified look-ahead', '(?=a)*', 'quantifier on an assertion "(?=a)*" at 0'],
    ['nothing to repeat', '{2}a', 'quantifier "{" at 0 has nothing to repeat'],
    ['lone surrogate', String.raw`\uD800`, String.raw`lone surrogate "\uD800" at 0`],
    ['unclosed group', '(ab', 'invalid Java regex: Unclosed group: "(ab" at 0'],
    ['unmatched )', 'ab)', `invalid Java regex: Unmatched closing ')': ")" at 2`],
    ['unclosed class', '[ab', 'invalid Java regex: Unclosed character class: "[ab" at 0'],
    ['unclosed counted closure', 'a{2', 'invalid Java regex: Unclosed counted closure'],
    ['illegal repetition', 'a{,2}', 'invalid Java regex: Illegal repetition'],
    ['reversed range', '[b-a]', 'invalid Java regex: Illegal character range: "b-a" at 1'],
    ['reversed counts', 'x{3,1}', 'invalid Java regex: Illegal repetition range'],
    ['unknown escape', String.raw`\i`, String.raw`invalid Java regex: Illegal/unsupported escape sequence: "\i" at 0`],
    ['\\b in a class', String.raw`[\b]`, 'invalid Java regex: Illegal/unsupported escape sequence'],
    ['bad hex', String.raw`\xZZ`, 'invalid Java regex: Illegal hexadecimal escape sequence'],
    ['short \\u', String.raw`\u12`, 'invalid Java regex: Illegal Unicode escape sequence'],
    ['trailing backslash', 'a\\', 'invalid Java regex: Unexpected internal error (trailing backslash)'],
    ['group name', '(?<1a>x)', 'invalid Java regex: capturing group name does not start with a Latin letter'],
    ['duplicate name', '(?<n>a)(?<n>b)', 'invalid Java regex: Named capturing group <n> is already defined'],
    ['unknown property', String.raw`\p{Foo}`, 'invalid Java regex: Unknown character property name {Foo}'],
    ['unknown inline flag', '(?q)', 'invalid Java regex: Unknown inline modifier'],
    ['(?# comments are not Java)', '(?#c)', 'invalid Java regex: Unknown inline modifier'],
  ])('%s: %j', (_what, pattern, message) => {
    expect(rejection(pattern)).toContain(message);
  });

  it('rejects a multiline option without changing the rules', () => {
    expect(rejection('a*+', { multiline: true })).toContain('possessive quantifier "a*+" at 0');
  });

  it('the wrappers pass rejections through', () => {
    expect(fullMatchRegex('a*+')).toEqual(translateJavaRegex('a*+'));
    expect(lookingAtRegex('(?>a)')).toEqual(translateJavaRegex('(?>a)'));
  });
});
