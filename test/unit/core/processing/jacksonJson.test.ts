import { describe, expect, it } from 'vitest';
import {
  JsonNumber,
  parseJsonOrdered,
  quoteJacksonString,
  writeJacksonJson,
} from '../../../../src/core/processing/jacksonJson.js';
import type { JsonValue } from '../../../../src/core/processing/jacksonJson.js';

const map = (...entries: [string, JsonValue][]): Map<string, JsonValue> => new Map(entries);
const compact = (value: Parameters<typeof writeJacksonJson>[0]) => writeJacksonJson(value, 'COMPACT');
const pretty = (value: Parameters<typeof writeJacksonJson>[0]) => writeJacksonJson(value, 'PRETTYPRINT');

describe('quoteJacksonString: every char Jackson escapes', () => {
  // Jackson's sOutputEscapes128: short escapes for \b \t \n \f \r, else \u00XX in UPPERCASE hex.
  it.each([
    ['\u0000', '\\u0000'], ['\u0001', '\\u0001'], ['\u0002', '\\u0002'], ['\u0003', '\\u0003'],
    ['\u0004', '\\u0004'], ['\u0005', '\\u0005'], ['\u0006', '\\u0006'], ['\u0007', '\\u0007'],
    ['\u0008', '\\b'], ['\u0009', '\\t'], ['\u000A', '\\n'], ['\u000B', '\\u000B'],
    ['\u000C', '\\f'], ['\u000D', '\\r'], ['\u000E', '\\u000E'], ['\u000F', '\\u000F'],
    ['\u0010', '\\u0010'], ['\u0011', '\\u0011'], ['\u0012', '\\u0012'], ['\u0013', '\\u0013'],
    ['\u0014', '\\u0014'], ['\u0015', '\\u0015'], ['\u0016', '\\u0016'], ['\u0017', '\\u0017'],
    ['\u0018', '\\u0018'], ['\u0019', '\\u0019'], ['\u001A', '\\u001A'], ['\u001B', '\\u001B'],
    ['\u001C', '\\u001C'], ['\u001D', '\\u001D'], ['\u001E', '\\u001E'], ['\u001F', '\\u001F'],
  ])('control char %j', (char, escaped) => {
    expect(quoteJacksonString(char)).toBe(`"${escaped}"`);
    expect(quoteJacksonString(`a${char}b`)).toBe(`"a${escaped}b"`);
  });

  it.each([
    ['double quote', '"', '\\"'],
    ['backslash', '\\', '\\\\'],
    ['DEL 0x7F is raw', '\u007F', '\u007F'],
    ['slash is raw', '/', '/'],
    ['space', ' ', ' '],
    ['é raw', 'é', 'é'],
    ['CJK raw', '日本', '日本'],
    ['emoji raw', '😀', '😀'],
    ['U+2028 raw', '\u2028', '\u2028'],
    ['U+2029 raw', '\u2029', '\u2029'],
    ['C1 control U+0085 raw', '\u0085', '\u0085'],
    ['lone surrogate raw', '\uD800', '\uD800'],
    ['ANSI colour', '\u001B[31mred\u001B[0m', '\\u001B[31mred\\u001B[0m'],
    ['backslash-u text is not an escape', '\\u001b', '\\\\u001b'],
    ['mixed', 'a"b\\c\nd\te', 'a\\"b\\\\c\\nd\\te'],
    ['empty', '', ''],
  ])('%s', (_name, input, escaped) => {
    expect(quoteJacksonString(input)).toBe(`"${escaped}"`);
  });
});

describe('writeJacksonJson COMPACT', () => {
  it.each<[string, Parameters<typeof writeJacksonJson>[0], string]>([
    ['reference example', map(['a', '1'], ['b', null]), '{"a":"1","b":null}'],
    ['integer-like keys keep Map order', map(['2', 'b'], ['1', 'a'], ['x', 'c']), '{"2":"b","1":"a","x":"c"}'],
    ['plain object uses its own (JS) order', { b: 1, a: 2, 2: 'x', 1: 'y' }, '{"1":"y","2":"x","b":1,"a":2}'],
    ['keys are escaped too', map(['k"\n', 'v']), '{"k\\"\\n":"v"}'],
    ['empty object', map(), '{}'],
    ['empty plain object', {}, '{}'],
    ['empty array', [], '[]'],
    ['array', [1, 2], '[1,2]'],
    ['scalars', [null, true, false, 'x'], '[null,true,false,"x"]'],
    ['nesting', map(['a', [map(['b', [[]]]), map()]], ['c', map(['d', null])]), '{"a":[{"b":[[]]},{}],"c":{"d":null}}'],
    ['undefined is null', { a: undefined }, '{"a":null}'],
    ['bigint is a BigInteger', { n: 10n ** 30n }, '{"n":1000000000000000000000000000000}'],
    // Reference §2.3 and §2.4 examples.
    [
      'CSVTOJSON with an embedded LF',
      map(['column1', 'value1'], ['column2', ' value2'], ['column3', 'valu\ne3'], ['column4', '    value4']),
      '{"column1":"value1","column2":" value2","column3":"valu\\ne3","column4":"    value4"}',
    ],
    [
      'LOGTOJSON with nulls',
      map(['host', '64.242.88.10'], ['ident', null], ['authuser', null], ['datetime', '07/Mar/2004:16:10:02 -0800']),
      '{"host":"64.242.88.10","ident":null,"authuser":null,"datetime":"07/Mar/2004:16:10:02 -0800"}',
    ],
    [
      'ADDMETADATA nested metadata',
      { metadata: { foo: { bar: 'bas' }, key: 'value' }, data: 'This is the data' },
      '{"metadata":{"foo":{"bar":"bas"},"key":"value"},"data":"This is the data"}',
    ],
  ])('%s', (_name, value, expected) => {
    expect(compact(value)).toBe(expected);
  });
});

describe('writeJacksonJson PRETTYPRINT (DefaultPrettyPrinter)', () => {
  it.each<[string, Parameters<typeof writeJacksonJson>[0], string]>([
    ['reference example', map(['a', '1'], ['b', null]), '{\n  "a" : "1",\n  "b" : null\n}'],
    ['empty object', map(), '{ }'],
    ['empty array', [], '[ ]'],
    ['array inline with spaces', [1, 2], '[ 1, 2 ]'],
    ['scalar root', 'x', '"x"'],
    ['object in a top-level array', [map(['a', 1])], '[ {\n  "a" : 1\n} ]'],
    ['object in an array in an object', map(['a', [map(['b', 1])]]), '{\n  "a" : [ {\n    "b" : 1\n  } ]\n}'],
    [
      'deep nesting',
      map(['a', '1'], ['b', map(['c', [1, map(['d', null]), []]], ['e', map()])], ['f', []]),
      [
        '{',
        '  "a" : "1",',
        '  "b" : {',
        '    "c" : [ 1, {',
        '      "d" : null',
        '    }, [ ] ],',
        '    "e" : { }',
        '  },',
        '  "f" : [ ]',
        '}',
      ].join('\n'),
    ],
    ['two objects in an array', [map(['a', 1]), map(['b', 2])], '[ {\n  "a" : 1\n}, {\n  "b" : 2\n} ]'],
    ['nested arrays', [[1], [[]]], '[ [ 1 ], [ [ ] ] ]'],
    ['escapes as in COMPACT', { 'k\t': 'v\u001B' }, '{\n  "k\\t" : "v\\u001B"\n}'],
  ])('%s', (_name, value, expected) => {
    expect(pretty(value)).toBe(expected);
  });
});

describe('writeJacksonJson numbers', () => {
  it.each<[string, number | JsonNumber, string]>([
    ['integer', 42, '42'],
    ['negative integer', -7, '-7'],
    ['zero', 0, '0'],
    ['largest safe integer', Number.MAX_SAFE_INTEGER, '9007199254740991'],
    ['JS 1e10 is an integer value', 1e10, '10000000000'],
    ['double 1.5', 1.5, '1.5'],
    ['double 0.001 (plain from 10^-3)', 0.001, '0.001'],
    ['double 1.0E-4 (scientific below 10^-3)', 1e-4, '1.0E-4'],
    ['double 1.234E-5', 1.234e-5, '1.234E-5'],
    ['double -0.0', -0, '-0.0'],
    ['double 0.30000000000000004', 0.1 + 0.2, '0.30000000000000004'],
    ['double 1.234567895E8 (scientific from 10^7)', 123456789.5, '1.234567895E8'],
    ['double 9999999.5 (plain below 10^7)', 9999999.5, '9999999.5'],
    ['unsafe integer value is a double', 2 ** 53, '9.007199254740992E15'],
    ['1e21 is a double', 1e21, '1.0E21'],
    ['negative scientific', -1.5e300, '-1.5E300'],
    ['Double.MAX_VALUE', Number.MAX_VALUE, '1.7976931348623157E308'],
    ['Double.MIN_VALUE (JDK 19+ picks the closer 2-digit 4.9)', Number.MIN_VALUE, '4.9E-324'],
    ['subnormal with 2 shortest digits', 1.5e-323, '1.5E-323'],
    ['NaN is quoted (QUOTE_NON_NUMERIC_NUMBERS)', NaN, '"NaN"'],
    ['Infinity is quoted', Infinity, '"Infinity"'],
    ['-Infinity is quoted', -Infinity, '"-Infinity"'],
    ['JsonNumber big integer kept', new JsonNumber('12345678901234567890'), '12345678901234567890'],
    ['JsonNumber negative big integer kept', new JsonNumber('-9223372036854775809'), '-9223372036854775809'],
    ['JsonNumber "-0" is int 0', new JsonNumber('-0'), '0'],
    ['JsonNumber 100.0', new JsonNumber('100.0'), '100.0'],
    ['JsonNumber 1.50 is the double 1.5', new JsonNumber('1.50'), '1.5'],
    ['JsonNumber 1e2 is the double 100.0', new JsonNumber('1e2'), '100.0'],
    ['JsonNumber 1e10', new JsonNumber('1e10'), '1.0E10'],
    ['JsonNumber 1E7', new JsonNumber('1E7'), '1.0E7'],
    ['JsonNumber 1.0E-4', new JsonNumber('1.0E-4'), '1.0E-4'],
    ['JsonNumber -0.0', new JsonNumber('-0.0'), '-0.0'],
    ['JsonNumber 0e5', new JsonNumber('0e5'), '0.0'],
    ['JsonNumber overflow is Infinity, quoted', new JsonNumber('1e400'), '"Infinity"'],
    ['JsonNumber underflow is 0.0', new JsonNumber('1e-400'), '0.0'],
  ])('%s', (_name, value, expected) => {
    expect(compact([value])).toBe(`[${expected}]`);
  });

  it.each([['abc'], [''], ['1.'], ['+1'], ['01']])('rejects the JsonNumber literal %j', (text) => {
    expect(() => compact([new JsonNumber(text)])).toThrow(TypeError);
  });
});

describe('writeJacksonJson rejects what Jackson would not write this way', () => {
  it.each<[string, unknown]>([
    ['function', () => 1],
    ['symbol', Symbol('s')],
    ['Date', new Date(0)],
    ['class instance', new (class Foo {})()],
  ])('%s', (_name, value) => {
    expect(() => compact({ v: value })).toThrow(TypeError);
  });
});

describe('parseJsonOrdered', () => {
  it.each([
    ['flat object', '{"a":"1","b":null}'],
    ['integer-like keys keep their order', '{"2":"b","1":"a","x":1}'],
    ['nested', '{"a":[{"b":[[]]},{}],"c":{"d":null},"e":[true,false]}'],
    ['escapes and raw non-ASCII', '{"s":"q\\"b\\\\n\\nt\\tc\\u001B é 日本 😀 \u2028"}'],
    ['big integers stay exact', '[9007199254740993,-9223372036854775809,123456789012345678901234567890]'],
    ['doubles in Java form', '[1.5,100.0,1.0E10,1.0E-4,0.001,-0.0]'],
    ['safe integers', '[0,-1,9007199254740991]'],
    ['__proto__ is an ordinary key', '{"__proto__":1,"constructor":2}'],
    ['scalar roots', '"x"'],
  ])('round trips %s', (_name, text) => {
    expect(compact(parseJsonOrdered(text))).toBe(text);
  });

  it.each([
    ['float literals become Java doubles', '[1.50,1e2,1E+2,1e-2,2.5E-5,10000000.0]', '[1.5,100.0,100.0,0.01,2.5E-5,1.0E7]'],
    ['"-0" is the int 0', '[-0]', '[0]'],
    ['escapes are normalized', '"\\u001b\\/\\u00e9\\ud83d\\ude00"', '"\\u001B/é😀"'],
    ['whitespace dropped', ' \t\r\n{ "a" : [ 1 , 2 ] }\n', '{"a":[1,2]}'],
    ['repeated key keeps its first position, takes the last value', '{"a":1,"b":2,"a":3}', '{"a":3,"b":2}'],
    ['lone surrogate escape kept', '"\\ud800"', '"\uD800"'],
    ['DEL raw is allowed', '"\u007F"', '"\u007F"'],
  ])('%s', (_name, text, expected) => {
    expect(compact(parseJsonOrdered(text))).toBe(expected);
  });

  it('returns Maps with insertion order and JsonNumber for non-integers', () => {
    const value = parseJsonOrdered('{"2":1.5,"1":12345678901234567890,"x":7}');
    expect(value).toBeInstanceOf(Map);
    const obj = value as Map<string, JsonValue>;
    expect([...obj.keys()]).toEqual(['2', '1', 'x']);
    expect(obj.get('2')).toEqual(new JsonNumber('1.5'));
    expect(obj.get('1')).toEqual(new JsonNumber('12345678901234567890'));
    expect(obj.get('x')).toBe(7);
  });

  it('PRETTYPRINT of a parsed record', () => {
    expect(pretty(parseJsonOrdered('{"a":1,"b":[1.0,{"c":"d"}]}'))).toBe('{\n  "a" : 1,\n  "b" : [ 1.0, {\n    "c" : "d"\n  } ]\n}');
  });

  it.each([
    ['empty', ''],
    ['whitespace only', ' \n'],
    ['unterminated object', '{'],
    ['unterminated string', '["a'],
    ['trailing comma in object', '{"a":1,}'],
    ['trailing comma in array', '[1,]'],
    ['missing value', '[1,,2]'],
    ['leading zero', '[01]'],
    ['leading zero negative', '[-01]'],
    ['dot without digits', '[1.]'],
    ['leading dot', '[.5]'],
    ['plus sign', '[+1]'],
    ['minus alone', '[-]'],
    ['exponent without digits', '[1e]'],
    ['NaN', '[NaN]'],
    ['Infinity', '[Infinity]'],
    ['single quotes', "{'a':1}"],
    ['unquoted key', '{a:1}'],
    ['missing colon', '{"a" 1}'],
    ['missing comma', '[1 2]'],
    ['raw LF in a string', '["a\nb"]'],
    ['raw tab in a string', '["a\tb"]'],
    ['unknown escape', '["\\x"]'],
    ['bad unicode escape', '["\\u12G4"]'],
    ['short unicode escape', '["\\u12"]'],
    ['comment', '// c\n{}'],
    ['BOM', '\uFEFF{}'],
    ['vertical tab is not whitespace', '[\u000B1]'],
    ['truncated literal', '[tru]'],
    ['literal with suffix', '[truex]'],
    ['trailing content', '{"a":1} x'],
    ['second root value', '{} {}'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseJsonOrdered(text)).toThrow(SyntaxError);
  });

  it('reports the position', () => {
    expect(() => parseJsonOrdered('[1,x]')).toThrow(/position 3/);
  });

  it.each([
    ['1000 nested arrays are accepted', 1000, true],
    ['1001 nested arrays exceed StreamReadConstraints', 1001, false],
  ])('%s', (_name, depth, ok) => {
    const text = '['.repeat(depth) + ']'.repeat(depth);
    if (ok) expect(() => parseJsonOrdered(text)).not.toThrow();
    else expect(() => parseJsonOrdered(text)).toThrow(SyntaxError);
  });

  it.each([
    ['1000 digits accepted', 1000, true],
    ['1001 digits exceed StreamReadConstraints', 1001, false],
  ])('%s', (_name, digits, ok) => {
    const text = `[-${'9'.repeat(digits)}]`;
    if (ok) expect(compact(parseJsonOrdered(text))).toBe(text);
    else expect(() => parseJsonOrdered(text)).toThrow(SyntaxError);
  });

  describe('allowTrailingContent (Jackson FAIL_ON_TRAILING_TOKENS off)', () => {
    it.each([
      ['junk after an object', '{"a":1} junk', '{"a":1}'],
      ['unbalanced close after an object', '{"a":1}}}', '{"a":1}'],
      ['a second value', '[1] [2]', '[1]'],
      ['number then whitespace', '12 abc', '12'],
      ['literal then a non-identifier char', 'true,', 'true'],
      ['nothing after', '{"a":1}\n', '{"a":1}'],
    ])('accepts %s', (_name, text, expected) => {
      expect(compact(parseJsonOrdered(text, { allowTrailingContent: true }))).toBe(expected);
    });

    it.each([
      ['number glued to text (_verifyRootSpace)', '123abc'],
      ['literal glued to an identifier char', 'nullx'],
      ['invalid value', '{"a":}'],
    ])('still rejects %s', (_name, text) => {
      expect(() => parseJsonOrdered(text, { allowTrailingContent: true })).toThrow(SyntaxError);
    });
  });
});
