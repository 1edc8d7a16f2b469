import { describe, expect, it } from 'vitest';
import { compileChain } from '../../../../src/core/processing/compileChain.js';
import { fullMatchRegex } from '../../../../src/core/processing/javaRegex.js';
import { RecordProcessor, type RecordProcessorOptions } from '../../../../src/core/processing/RecordProcessor.js';
import type { ProcessingOption } from '../../../../src/shared/config/processingOptionSchema.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const deps = { hostname: 'h', now: () => 0, ec2Metadata: () => () => undefined, onEc2Unavailable: () => undefined };
const context = { path: '/x.log', fingerprint: '0:x', offset: 0 };

function processor(overrides: Partial<RecordProcessorOptions> & { options?: Record<string, unknown>[] }) {
  const { options = [], ...rest } = overrides;
  return new RecordProcessor({
    chain: compileChain(options as ProcessingOption[], deps),
    maxRecordBytes: 1024 * 1024,
    terminator: enc('\n'),
    partitionKeyOption: 'RANDOM',
    random: () => 0.5,
    md5Hex: (d) => `md5(${dec(d)})`,
    ...rest,
  });
}

describe('RecordProcessor', () => {
  const csv = [{ optionName: 'CSVTOJSON', customFieldNames: ['user', 'n'] }];
  it.each([
    ['FIELD key from the converted JSON record', { options: csv, partitionKeyOption: 'FIELD:user' as const }, 'alice,1\n', { partitionKey: 'alice', keyFallback: false }],
    ['FIELD missing → random key, counted', { options: csv, partitionKeyOption: 'FIELD:nope' as const }, 'alice,1\n', { partitionKey: '500000.0', keyFallback: true }],
    ['FIELD null (missing column) → random key', { options: csv, partitionKeyOption: 'FIELD:n' as const }, 'alice\n', { partitionKey: '500000.0', keyFallback: true }],
    ['FIELD on a record that is not JSON → random key', { partitionKeyOption: 'FIELD:user' as const }, 'plain\n', { partitionKey: '500000.0', keyFallback: true }],
    ['DETERMINISTIC hashes the converted bytes', { options: [{ optionName: 'ADDBRACKETS' }], partitionKeyOption: 'DETERMINISTIC' as const }, 'a\n', { partitionKey: 'md5({a\n})', keyFallback: false }],
  ])('%s', (_name, options, input, expected) => {
    expect(processor(options).process(enc(input), context)).toMatchObject({ kind: 'record', ...expected });
  });

  it('a FIELD key longer than 256 characters is cut to 256 (the Kinesis limit)', () => {
    const result = processor({ options: csv, partitionKeyOption: 'FIELD:user' }).process(enc(`${'k'.repeat(300)},1\n`), context);
    expect(result.kind === 'record' && result.partitionKey.length).toBe(256);
  });

  it('truncates after conversion, counting the partition key, and ends with the terminator', () => {
    const result = processor({ options: [{ optionName: 'ADDBRACKETS' }], maxRecordBytes: 20, terminator: enc('…') }).process(enc('0123456789abcdefghij\n'), context);
    // RANDOM key "500000.0" is 8 bytes: 12 bytes remain, 3 of them for "…".
    expect(result.kind === 'record' && [dec(result.data), result.truncated]).toEqual(['{01234567…', true]);
  });

  it('Firehose records have no partition key: the whole limit is data', () => {
    const result = processor({ maxRecordBytes: 12, partitionKeys: false }).process(enc('0123456789abcdefghij\n'), context);
    expect(result.kind === 'record' && [dec(result.data), result.partitionKey, result.truncated]).toEqual(['0123456789a\n', '', true]);
  });

  it.each([
    ['DETERMINISTIC', 'DETERMINISTIC' as const],
    ['RANDOM', 'RANDOM' as const],
    ['FIELD', 'FIELD:user' as const],
  ])('without a key (a KPL member joining an open aggregate): no %s key computed, none counted in the size limit', (_name, partitionKeyOption) => {
    let hashed = 0;
    let drawn = 0;
    const p = processor({ partitionKeyOption, maxRecordBytes: 12, md5Hex: () => { hashed += 1; return 'x'; }, random: () => { drawn += 1; return 0.5; } });
    const result = p.process(enc('0123456789abcdefghij\n'), context, false);
    expect(result.kind === 'record' && [dec(result.data), result.partitionKey, result.keyFallback]).toEqual(['0123456789a\n', '', false]);
    expect([hashed, drawn]).toEqual([0, 0]);
  });

  it('drops a footer (Java-trimmed, full match, MULTILINE)', () => {
    const footer = fullMatchRegex('-{3}END-{3}');
    if (!footer.ok) throw new Error(footer.message);
    const p = processor({ footer: footer.regex });
    expect(p.process(enc('  ---END---\r\n'), context)).toEqual({ kind: 'skip', reason: 'footer' });
    expect(p.process(enc('---END--- and more\n'), context)).toMatchObject({ kind: 'record' });
  });

  it('a very long field survives conversion whole when within the limit', () => {
    const long = 'x'.repeat(200_000);
    const result = processor({ options: csv }).process(enc(`${long},1\n`), context);
    expect(result.kind === 'record' && dec(result.data)).toBe(`{"user":"${long}","n":"1"}\n`);
  });
});
