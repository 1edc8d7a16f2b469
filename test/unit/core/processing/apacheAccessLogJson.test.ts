import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apacheAccessLogJson } from '../../../../src/core/processing/apacheAccessLogJson.js';
import { compileChain, compileConverter, type ChainDeps } from '../../../../src/core/processing/compileChain.js';
import { isSkip } from '../../../../src/core/processing/converter.js';
import { compactKeyPrefixes } from '../../../../src/core/processing/logToJson.js';
import { LOG_FORMAT_SPECS } from '../../../../src/core/processing/logFormats.js';
import type { ProcessingOption } from '../../../../src/shared/config/processingOptionSchema.js';

const deps: ChainDeps = { hostname: 'h', now: () => 0, ec2Metadata: () => () => undefined, onEc2Unavailable: () => undefined };
const context = { path: '/var/log/access.log', fingerprint: '1:a', offset: 0 };
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FORMATS = ['COMBINEDAPACHELOG', 'COMMONAPACHELOG'] as const;

/** The byte parser of a format, and the regex converter it must agree with. */
function pair(format: (typeof FORMATS)[number], customFieldNames?: string[]) {
  const names = customFieldNames ?? LOG_FORMAT_SPECS[format].fields;
  const writer = apacheAccessLogJson({ combined: format === 'COMBINEDAPACHELOG', keyPrefixes: compactKeyPrefixes(names).map((p) => encoder.encode(p)) });
  const regex = compileConverter({ optionName: 'LOGTOJSON', logFormat: format, ...(customFieldNames && { customFieldNames }) } as ProcessingOption, deps);
  return {
    // The line sits inside a larger buffer (as in a read buffer) and is written after other bytes.
    bytes: (line: string) => {
      const input = encoder.encode(`x\n${line}"y`);
      const length = input.length - 4;
      const out = new Uint8Array(7 + writer.worst(length)).fill(0x21);
      const written = writer.write(input, 2, 2 + length, out, 7);
      return written < 0 ? undefined : decoder.decode(out.subarray(7, 7 + written));
    },
    regex: (line: string) => {
      const out = regex(line, context);
      return isSkip(out) ? undefined : out;
    },
  };
}

const BENCH_LINE = '10.0.1.7 - user7 [04/Dec/2026:15:01:27 +0000] "GET /t/1764860487000/index.html?id=7 HTTP/1.1" 200 56433 "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"\n';

describe('apacheAccessLogJson: LOGTOJSON of the Apache access formats on bytes', () => {
  it.each([
    ['a bench line', BENCH_LINE],
    ['"-" values are null, host included', '- - - [1/Jan/2026:0:00:00 0] "-" - - "-" "-"\n'],
    ['a backslash is escaped', '1.2.3.4 - - [01/Feb/2026:10:00:00 -0700] "GET /a\\b HTTP/1.1" 200 1 "\\" "x\\\\y"\n'],
    ['no newline', '1.2.3.4 - - [01/Feb/2026:10:00:00 -0700] "GET / HTTP/1.1" 200 1 "r" "a"'],
    ['anything after the agent', '1.2.3.4 - - [01/Feb/2026:10:00:00 -0700] "GET / HTTP/1.1" 200 1 "r" "a" extra "quoted" [x]\n'],
    ['full month names, fraction and leap second', 'host.example. a.b_c-d e [31/September/2026:23:59:60,123 +0100] "x" +1 -2 "r" "a"\n'],
    ['an IP-like host with dots', '..1 - - [9/May/1:9:05:7 +0] "x" 200 1 "r" "a"\n'],
    ['hostname with underscores and a trailing dot', 'a_b.-c. - - [9/May/2026:19:05:07 +0000] "x" 200 1 "r" "a"\n'],
    // Fields of 127, 128 and 300 bytes: copied byte by byte below 128 bytes, with a view from there.
    ['long request, referer and agent', `1.2.3.4 - - [01/Feb/2026:10:00:00 -0700] "GET /${'q'.repeat(120)} H" 200 1 "${'r'.repeat(128)}" "${'a'.repeat(300)}"\n`],
  ])('%s: the regex path\'s bytes', (_name, line) => {
    for (const format of FORMATS) {
      const { bytes, regex } = pair(format);
      expect(regex(line)).toBeDefined();
      expect(bytes(line)).toBe(regex(line));
    }
  });

  it.each([
    ['CRLF (the regex decides: `.` does not match CR)', BENCH_LINE.replace('\n', '\r\n')],
    ['UTF-8 in the agent', BENCH_LINE.replace('Mozilla', 'Mözilla')],
    ['a tab between date and zone', BENCH_LINE.replace(' +0000', '\t+0000')],
    ['"Sept" is not a month', BENCH_LINE.replace('Dec', 'Sept')],
    ['day 00', BENCH_LINE.replace('04/', '00/')],
    ['day 32', BENCH_LINE.replace('04/', '32/')],
    ['hour 24', BENCH_LINE.replace(':15:', ':24:')],
    ['second 61', BENCH_LINE.replace(':27 ', ':61 ')],
    ['year 0', BENCH_LINE.replace('/2026:', '/0:')],
    ['an empty request', BENCH_LINE.replace(/"GET[^"]*"/, '""')],
    ['a response that is not a number', BENCH_LINE.replace(' 200 ', ' OK ')],
    ['two dots in the host', BENCH_LINE.replace('10.0.1.7', 'a..b')],
    ['a slash in ident', BENCH_LINE.replace(' - user7', ' a/b user7')],
  ])('%s: no answer from the byte parser, the regex path decides', (_name, line) => {
    const { bytes } = pair('COMBINEDAPACHELOG');
    expect(bytes(line)).toBeUndefined();
  });

  it('COMMONAPACHELOG takes the longest number as bytes and ignores the rest', () => {
    const { bytes, regex } = pair('COMMONAPACHELOG');
    for (const tail of ['123abc', '-', '-x', '-5z', '+7 "r" "a"', '12 ', '0']) {
      const line = `1.2.3.4 - - [01/Feb/2026:10:00:00 -0700] "GET / HTTP/1.1" 200 ${tail}\n`;
      expect(regex(line), tail).toBeDefined();
      expect(bytes(line), tail).toBe(regex(line));
    }
    expect(bytes('1.2.3.4 - - [01/Feb/2026:10:00:00 -0700] "GET / HTTP/1.1" 200 +x\n')).toBeUndefined();
  });

  it('custom field names (escaped as JSON keys)', () => {
    const names = ['h', 'i', 'u', 'd"t', 'r', 's', 'b', 'ref', 'ä'];
    const { bytes, regex } = pair('COMBINEDAPACHELOG', names);
    expect(bytes(BENCH_LINE)).toBe(regex(BENCH_LINE));
    expect(bytes(BENCH_LINE)).toContain('"d\\"t":"04/Dec/2026:15:01:27 +0000"');
  });

  // Lines from a grammar of the format whose every part is sometimes valid, sometimes an edge
  // case and sometimes junk from the bytes that delimit fields; and valid lines with random edits.
  const junk = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '_', '-', '+', '.', ',', ':', '/', ' ', '"', '[', ']', '\\', '\t', '\r', 'é', '\u2028'), maxLength: 8 });
  /** A part of a line: mostly its first (valid) value, sometimes an edge case, rarely junk. */
  const part = (good: string, ...edge: string[]) => fc.oneof(
    { weight: 30, arbitrary: fc.constant(good) },
    { weight: 4, arbitrary: fc.constantFrom(good, ...edge) },
    { weight: 1, arbitrary: junk },
  );
  const date = fc.tuple(
    part('04', '1', '01', '09', '10', '29', '30', '31', '32', '00', '0', '001'),
    part('Dec', 'Jan', 'January', 'May', 'Sep', 'September', 'Sept', 'jan', 'Janu', 'December'),
    part('2026', '1', '0', '02026', '99999'),
    part('15', '0', '00', '9', '19', '20', '23', '24', '003'),
    part('01', '00', '59', '60', '5'),
    part('27', '0', '00', '59', '60', '61', '7', '70'),
    part('', '.5', ',123', ':9', '.', '.x'),
    part(' ', '  '),
    part('+0000', '-0700', '0', '+', '', '++1'),
  ).map(([d, mo, y, h, mi, s, f, sp, z]) => `${d}/${mo}/${y}:${h}:${mi}:${s}${f}${sp}${z}`);
  const line = fc.tuple(
    part('10.0.0.1', 'web-1.example.com', '-', 'a.', '.a', '1..2', 'a..b', '_x-'),
    part('-', 'frank', 'a.b_c-d', ''),
    part('-', 'user7', 'x y'),
    date,
    part('GET / HTTP/1.1', '-', 'GET /a\\b', ''),
    part('200', '-', '+1', '-5', '2x', ''),
    part('2326', '-', '0', '-x', '12abc', ''),
    part('https://ref/', '-', 'a b'),
    part('curl/8.5.0', 'Mozilla/5.0 (X11)', '-'),
    part('', ' extra', ' "q"', '\r'),
    fc.boolean(),
  ).map(([host, ident, user, when, request, response, size, referer, agent, tail, newline]) =>
    `${host} ${ident} ${user} [${when}] "${request}" ${response} ${size} "${referer}" "${agent}"${tail}${newline ? '\n' : ''}`);
  const edit = fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(' ', '"', '[', ']', '-', '+', '.', ':', '/', '\\', 'x', '5', '\n', '\r'));
  const edited = fc.tuple(line, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
    for (const [at, op, ch] of edits) {
      const i = at % (text.length + 1);
      text = op === 0 ? text.slice(0, i) + text.slice(i + 1) : op === 1 ? text.slice(0, i) + ch + text.slice(i) : text.slice(0, i) + ch + text.slice(i + 1);
    }
    return text;
  });

  it.each(FORMATS)('%s: on generated and edited lines, every answer is the regex path\'s', (format) => {
    const { bytes, regex } = pair(format);
    let answered = 0;
    let declinedMatches = 0;
    fc.assert(fc.property(fc.oneof(line, edited), (text) => {
      const fast = bytes(text);
      if (fast !== undefined) {
        answered += 1;
        expect(fast).toBe(regex(text));
      } else if (regex(text) !== undefined && /^[\x20-\x7e]*\n?$/.test(text)) declinedMatches += 1;
    }), { numRuns: 20_000, seed: 8 });
    // The generator reaches both sides, and the parser declines no printable line the regex matches.
    expect(answered).toBeGreaterThan(1000);
    expect(declinedMatches).toBe(0);
  });
});

describe('compileChain uses the byte parser where it gives the same bytes', () => {
  const run = (options: Record<string, unknown>[], line: string) => {
    const outcome = compileChain(options as ProcessingOption[], deps)(encoder.encode(line), context);
    return outcome.kind === 'skip' ? `skip:${outcome.reason}` : decoder.decode(outcome.data);
  };
  it.each([
    ['untyped COMPACT (byte parser)', { optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }],
    ['typed (regex path)', { optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG', typedFields: true }],
    ['PRETTYPRINT (regex path)', { optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG', jsonFormat: 'PRETTYPRINT' }],
    ['repeated custom names (regex path, last value wins)', { optionName: 'LOGTOJSON', logFormat: 'COMMONAPACHELOG', customFieldNames: ['a', 'a', 'b', 'c', 'd', 'e', 'f'] }],
  ])('%s', (_name, option) => {
    const slow = compileConverter(option as ProcessingOption, deps)(BENCH_LINE, context);
    expect(run([option], BENCH_LINE)).toBe(slow);
    expect(run([option], BENCH_LINE.replace('\n', '\r\n'))).toBe('skip:logFormatMismatch');
    expect(run([option], BENCH_LINE.replace('Mozilla', 'Mözilla'))).toBe(compileConverter(option as ProcessingOption, deps)(BENCH_LINE.replace('Mozilla', 'Mözilla'), context));
  });
});
