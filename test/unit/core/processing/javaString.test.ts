import { describe, expect, it } from 'vitest';
import { javaSplit, javaTrim } from '../../../../src/core/processing/javaString.js';

describe('javaTrim', () => {
  it.each([
    ['control chars and spaces', '\u0000 a \u001F', 'a'],
    ['NBSP is not trimmed (JS trim would)', '\u00A0a\u00A0', '\u00A0a\u00A0'],
    ['EM SPACE is not trimmed', '\u2003a\u2003', '\u2003a\u2003'],
    ['BOM is not trimmed', '\uFEFFa', '\uFEFFa'],
    ['DEL (0x7F) is above U+0020', 'a\u007F', 'a\u007F'],
    ['NEL (U+0085) is not trimmed', '\u0085a', '\u0085a'],
    ['CRLF only', '\r\n', ''],
    ['tab and CR around text', '\ta b\r', 'a b'],
    ['inner whitespace kept', '  a  b  ', 'a  b'],
    ['empty', '', ''],
    ['nothing to trim', 'abc', 'abc'],
  ])('%s', (_name, input, expected) => {
    expect(javaTrim(input)).toBe(expected);
  });
});

describe('javaSplit', () => {
  it.each([
    // Reference §2.3 CSVTOJSON examples (the converter strips the one trailing \n first).
    ['CSV with an embedded LF', 'value1, value2,valu\ne3,    value4', /,/, ['value1', ' value2', 'valu\ne3', '    value4']],
    ['CSV with fewer columns', 'value1, value2,value3', /,/, ['value1', ' value2', 'value3']],
    ['TSV on the regex \\t', 'value1\t value2\tvalue3\t    value4', /\t/, ['value1', ' value2', 'value3', '    value4']],
    ['trailing empties dropped, inner kept', 'a,,c,', /,/, ['a', '', 'c']],
    ['empty input', '', /,/, ['']],
    ['empty input on an empty-matching regex', '', /(?:)/, ['']],
    ['non-zero-width match at 0 gives a leading ""', ',a', /,/, ['', 'a']],
    ['no match returns the input', 'a', /,/, ['a']],
    ['only separators gives []', ',', /,/, []],
    ['only separators gives [] (several)', ',,,', /,/, []],
    ['CR of CRLF stays in the last field', 'a,b\r', /,/, ['a', 'b\r']],
    ['leading and trailing tab', '\tvalue1\t', /\t/, ['', 'value1']],
    ['escaped pipe', 'a|b|c', /\|/, ['a', 'b', 'c']],
    ['Java "|" (empty alternation) splits between chars', 'x|y', /|/, ['x', '|', 'y']],
    ['empty regex splits every char, no leading ""', 'abc', /(?:)/, ['a', 'b', 'c']],
    ['capture groups are not included', 'a1b2c', /(\d)/, ['a', 'b', 'c']],
    ['capture group separator', 'a,b', /(,)/, ['a', 'b']],
    ['zero-width lookahead', 'abab', /(?=b)/, ['a', 'ba', 'b']],
    ['lookahead matching at 0 gives no leading ""', 'bab', /(?=b)/, ['ba', 'b']],
    // Matcher.find() resumes at the end of a non-empty match, where an empty match is then found.
    ['empty match right after a non-empty one', 'a  b', / */, ['a', '', 'b']],
    ['dot matches every char, all empty', 'ab', /./, []],
    ['escaped dot', 'a.b', /\./, ['a', 'b']],
    ['escaped slash', 'a/b', /\//, ['a', 'b']],
    ['multi-char separator', 'a::b::', /::/, ['a', 'b']],
    ['case-insensitive flag', 'xAyaz', /a/i, ['x', 'y', 'z']],
    ['whitespace class', 'a \t b', /\s+/, ['a', 'b']],
    ['surrogate pairs split per UTF-16 unit, as Java chars', '😀', /(?:)/, ['\uD83D', '\uDE00']],
    // Reference §2.2 SINGLELINE: data.split("\n").
    ['SINGLELINE lines', 'boom\n  at a\n  at b\n', /\n/, ['boom', '  at a', '  at b']],
    ['SINGLELINE "\\n" alone gives []', '\n', /\n/, []],
    ['SINGLELINE leading LF kept', '\na\n', /\n/, ['', 'a']],
  ])('%s', (_name, input, regex, expected) => {
    expect(javaSplit(input, regex)).toEqual(expected);
  });

  it('never moves the caller regex lastIndex', () => {
    const re = /,/g;
    re.lastIndex = 2;
    expect(javaSplit('a,b,c', re)).toEqual(['a', 'b', 'c']);
    expect(javaSplit('a,b,c', re)).toEqual(['a', 'b', 'c']);
    expect(re.lastIndex).toBe(2);
  });

  it('ignores a sticky flag (Java split searches)', () => {
    expect(javaSplit('a;;b', /;+/y)).toEqual(['a', 'b']);
  });
});
