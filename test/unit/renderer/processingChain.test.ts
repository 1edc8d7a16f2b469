import { describe, expect, it } from 'vitest';
import { addOption, chainItems, chainToRaw, moveOption, removeOption, replaceOptionDraft } from '../../../renderer/src/edit/processingChain.js';
import { destinationTypeOf, switchDestination } from '../../../renderer/src/edit/destination.js';
import { withChain } from '../../../renderer/src/edit/withChain.js';

const raw = [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }, { optionName: 'ADDMETADATA', timestamp: 'true', extra: 1 }];

describe('processing chain', () => {
  it('saves the original list itself when nothing changed', () => {
    expect(chainToRaw(raw, chainItems(raw))).toBe(raw);
    expect(chainToRaw(undefined, chainItems(undefined))).toBeUndefined();
    const odd = 'not a list';
    expect(chainToRaw(odd, chainItems(odd))).toEqual([]);
  });

  it('adds, removes and reorders steps; untouched steps keep every key as written', () => {
    let items = addOption(chainItems(raw), 'FILTER');
    expect(items.map((i) => i.draft['optionName'])).toEqual(['LOGTOJSON', 'ADDMETADATA', 'FILTER']);
    items = moveOption(items, 2, -1);
    expect(items.map((i) => i.draft['optionName'])).toEqual(['LOGTOJSON', 'FILTER', 'ADDMETADATA']);
    expect(moveOption(items, 1, 1).map((i) => i.draft['optionName'])).toEqual(['LOGTOJSON', 'ADDMETADATA', 'FILTER']);
    expect(moveOption(items, 0, -1).map((i) => i.uid)).toEqual(items.map((i) => i.uid));
    items = replaceOptionDraft(items, items[1]!.uid, { optionName: 'FILTER', exclude: 'health' });
    expect(chainToRaw(raw, items)).toEqual([raw[0], { optionName: 'FILTER', exclude: 'health' }, raw[1]]);
    expect((chainToRaw(raw, items) as unknown[])[2]).toBe(raw[1]);
    expect(chainToRaw(raw, removeOption(removeOption(items, 0), 0))).toEqual([raw[1]]);
    expect(chainToRaw(raw, [])).toEqual([]);
  });

  it('withChain keeps the key in place, or leaves it out', () => {
    const flow = { filePattern: '/a/*.log', dataProcessingOptions: raw, kinesisStream: 's' };
    expect(Object.keys(withChain(flow, [{ optionName: 'ADDBRACKETS' }]))).toEqual(['filePattern', 'dataProcessingOptions', 'kinesisStream']);
    expect(withChain(flow, raw)).toBe(flow);
    expect(withChain(flow, undefined)).toEqual({ filePattern: '/a/*.log', kinesisStream: 's' });
  });
});

describe('destination', () => {
  it('decides the type as the schema does', () => {
    expect(destinationTypeOf({ kinesisStream: 'a' })).toBe('kinesis');
    expect(destinationTypeOf({ kinesisStream: 'a', deliveryStream: 'b' })).toBe('firehose');
    expect(destinationTypeOf({ deliveryStream: '' })).toBe('firehose');
    expect(destinationTypeOf({})).toBe('kinesis');
  });

  it('moves the stream name to the other key in place, and back to exactly the original', () => {
    const original = { name: 'n', kinesisStream: 'web', filePattern: '/a/*.log' };
    const firehose = switchDestination(original, 'firehose');
    expect(firehose).toEqual({ name: 'n', deliveryStream: 'web', filePattern: '/a/*.log' });
    expect(Object.keys(firehose)).toEqual(['name', 'deliveryStream', 'filePattern']);
    const back = switchDestination(firehose, 'kinesis');
    expect(JSON.stringify(back)).toBe(JSON.stringify(original));
    expect(switchDestination({}, 'firehose')).toEqual({ deliveryStream: '' });
    expect(switchDestination(original, 'kinesis')).toBe(original);
  });
});
