import { describe, expect, it } from 'vitest';
import { fullMatchRegex, lookingAtRegex, translateJavaRegex } from '../../../../src/core/processing/javaRegex.js';

/** Whether `pattern` (Java) full-matches `input`, as Matcher.matches(). */
function matches(pattern: string, input: string): boolean {
  const r = fullMatchRegex(pattern);
  if (!r.ok) throw new Error(r.message);
  r.regex.lastIndex = 0;
  return r.regex.test(input);
}

/** Whether `pattern` is found in `input` (Matcher.find()), optionally MULTILINE. */
function finds(pattern: string, input: string, multiline = false): boolean {
  const r = translateJavaRegex(pattern, { multiline });
  if (!r.ok) throw new Error(r.message);
  return r.regex.test(input);
}

describe('Java regex semantics in JavaScript', () => {
  it.each([
    ['. does not match \\r (so CRLF lines fail .*)', 'a.*', 'ab\r', false],
    ['. does not match \\u0085 (NEL) in Java', 'a.b', 'a\u0085b', false],
    ['. matches an ordinary character', 'a.b', 'axb', true],
    ['\\s is ASCII only: no NBSP', 'a\\sb', 'a\u00a0b', false],
    ['\\s matches a tab', 'a\\sb', 'a\tb', true],
    ['\\S matches NBSP', 'a\\Sb', 'a\u00a0b', true],
    ['\\Q…\\E quotes', '\\Q1+1=2\\E', '1+1=2', true],
    ['\\e is ESC', 'x\\ey', 'x\u001by', true],
    ['POSIX \\p{Lower}', '\\p{Lower}+', 'abc', true],
    ['POSIX \\p{Punct}', '\\p{Punct}', '!', true],
    ['named groups', '(?<y>\\d{4})-\\k<y>', '2020-2020', true],
  ])('%s', (_name, pattern, input, expected) => {
    expect(matches(pattern, input)).toBe(expected);
  });

  it.each([
    ['$ matches before a final line terminator (Java)', 'abc$', 'abc\n', false, true],
    ['\\Z matches before a final line terminator', 'abc\\Z', 'abc\n', false, true],
    ['\\z only at the very end', 'abc\\z', 'abc\n', false, false],
    ['\\A only at the very start, even MULTILINE', '\\Ab', 'a\nb', true, false],
    ['MULTILINE ^ after \\u0085', '^b', 'a\u0085b', true, true],
    ['MULTILINE $ before \\r\\n', 'a$', 'a\r\nb', true, true],
    ['without MULTILINE ^ is the start only', '^b', 'a\nb', false, false],
  ])('%s', (_name, pattern, input, multiline, expected) => {
    expect(finds(pattern, input, multiline)).toBe(expected);
  });

  it.each([
    ['possessive quantifier', 'a*+b'],
    ['atomic group', '(?>a|ab)c'],
    ['class intersection', '[a-z&&[^aeiou]]'],
    ['\\G', '\\Gabc'],
  ])('rejects %s, naming it', (_name, pattern) => {
    const r = translateJavaRegex(pattern);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
  });

  it.each([
    ['^([\\d.]+) (\\S+) (\\S+) \\[([\\w:/]+\\s[+\\-]\\d{4})\\] "(.+?)" (\\d{3})', 6],
    ['(a)(?:b)(?<c>d)\\(e\\)', 2],
    ['[(](x)', 1],
  ])('counts capturing groups of %s: %i', (pattern, count) => {
    const r = translateJavaRegex(pattern);
    expect(r.ok && r.groupCount).toBe(count);
  });

  it.each([
    ['\\d{4}-', '2020-01-01 x', true],
    ['\\d{4}-', ' at Foo.bar', false],
    ['\\d{4}-', 'x 2020-', false],
  ])('lookingAt %s on %j: %s', (pattern, input, expected) => {
    const r = lookingAtRegex(pattern);
    if (!r.ok) throw new Error(r.message);
    r.regex.lastIndex = 0;
    expect(r.regex.test(input)).toBe(expected);
  });
});
