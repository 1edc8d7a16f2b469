import { describe, expect, it } from 'vitest';
import { diffFlow } from '../../../renderer/src/edit/diffFlow.js';

describe('diffFlow', () => {
  it('lists changed, added and removed keys in file order, values as JSON', () => {
    const before = { filePattern: '/a/*.log', kinesisStream: 's', maxBufferSizeRecords: '500', paused: 'no', teamTag: 'x' };
    const after = { filePattern: '/a/*.log', kinesisStream: 's', maxBufferSizeRecords: 400, teamTag: 'x', region: 'eu-west-1' };
    expect(diffFlow(before, after)).toEqual([
      { key: 'maxBufferSizeRecords', change: 'changed', before: '"500"', after: '400' },
      { key: 'paused', change: 'removed', before: '"no"' },
      { key: 'region', change: 'added', after: '"eu-west-1"' },
    ]);
  });

  it('is empty when nothing changed, whatever the key order', () => {
    expect(diffFlow({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toEqual([]);
  });

  it('shows long lists one entry per line', () => {
    const chain = [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }, { optionName: 'ADDBRACKETS' }];
    const [entry] = diffFlow({}, { dataProcessingOptions: chain });
    expect(entry?.after).toBe(JSON.stringify(chain, null, 2));
  });

  it('treats a key set to undefined as absent', () => {
    expect(diffFlow({ a: undefined }, {})).toEqual([]);
  });
});
