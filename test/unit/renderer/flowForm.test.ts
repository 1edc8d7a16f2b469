import { describe, expect, it } from 'vitest';
import type { ConfigView } from '../../../src/shared/control/controllerApi.js';
import { defaultText, rangeText, withUnit } from '../../../renderer/src/components/fieldHint.js';
import { configDocumentWith } from '../../../renderer/src/edit/configDocument.js';
import { flowFieldGroups, flowFieldSpec, KNOWN_FLOW_KEYS, optionParamSpecs } from '../../../renderer/src/edit/fieldSpecs.js';
import { validateFlowDraft } from '../../../renderer/src/edit/validateFlowDraft.js';

describe('form fields from the shared schema metadata', () => {
  it('groups Java and Shardline keys and shows only keys of the destination type', () => {
    const kinesis = flowFieldGroups('kinesis');
    const keys = (specs: { key: string }[]) => specs.map((s) => s.key);
    expect(keys(kinesis.head)).toEqual(['name', 'filePattern']);
    expect(keys(kinesis.java)).toContain('maxBufferSizeRecords');
    expect(keys(kinesis.java)).toContain('partitionKeyOption');
    expect(keys(kinesis.shardline)).toContain('aggregation');
    expect(keys(kinesis.otherDestination)).toEqual(['aggregatedRecordSizeBytes']);
    expect(keys(kinesis.ignored)).toEqual(expect.arrayContaining(['publishQueueCapacity', 'waitOnEmptyPublishQueueMillis']));
    const firehose = flowFieldGroups('firehose');
    expect(keys(firehose.java)).toContain('aggregatedRecordSizeBytes');
    expect(keys(firehose.otherDestination)).toEqual(expect.arrayContaining(['partitionKeyOption', 'aggregation']));
    const all = [...kinesis.head, ...kinesis.java, ...kinesis.shardline, ...kinesis.ignored, ...kinesis.otherDestination];
    expect(all.every((s) => s.meta.description !== '')).toBe(true);
    expect(all.filter((s) => s.meta.origin === 'shardline').every((s) => !kinesis.java.includes(s))).toBe(true);
  });

  it('knows every flow key and each processing option\'s keys', () => {
    expect(KNOWN_FLOW_KEYS.has('dataProcessingOptions')).toBe(true);
    expect(KNOWN_FLOW_KEYS.has('teamTag')).toBe(false);
    expect(optionParamSpecs('CSVTOJSON').map((s) => s.key)).toEqual(['customFieldNames', 'delimiter', 'quotes', 'typedFields', 'jsonFormat']);
    expect(optionParamSpecs('ADDBRACKETS')).toEqual([]);
  });

  it('describes defaults and ranges in the key\'s unit, for people', () => {
    const records = flowFieldSpec('maxBufferSizeRecords')!.meta;
    expect(defaultText(records)).toBe('500 records');
    expect(rangeText(records)).toBe('1 – 500 records');
    expect(defaultText(flowFieldSpec('maxBufferAgeMillis')!.meta)).toBe('60000 ms (1 min)');
    expect(rangeText(flowFieldSpec('maxInFlightBytes')!.meta)).toBe('65536 – 1073741824 bytes (1 GiB)');
    expect(defaultText(flowFieldSpec('maxBufferSizeBytes')!.meta)).toContain('for Firehose');
    expect(defaultText(flowFieldSpec('truncatedRecordTerminator')!.meta)).toBe('"\\n" (a newline)');
    expect(defaultText(flowFieldSpec('region')!.meta)).toBeUndefined();
    expect(withUnit(120, 's')).toBe('120 s (2 min)');
  });
});

describe('validateFlowDraft (the shared flow schema, in the browser)', () => {
  it('reports problems by key, by processing step, and for the flow as a whole', () => {
    const problems = validateFlowDraft({
      filePattern: '/var/log/*.log',
      kinesisStream: 's',
      maxBufferSizeRecords: 900,
      dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }, { optionName: 'FILTER' }, { optionName: 'CSVTOJSON' }],
    });
    expect(problems.byKey.get('maxBufferSizeRecords')).toEqual(['must be 1..500, got 900']);
    expect(problems.byOption.get(1)?.get('')).toEqual(['FILTER needs include or exclude']);
    expect(problems.byOption.get(2)?.get('customFieldNames')).toEqual(['is required by CSVTOJSON']);
    expect(problems.count).toBe(3);
    expect(validateFlowDraft({}).general[0]).toMatch(/could not recognize flow type/);
  });

  it('accepts values written as strings, as the Java agent does', () => {
    expect(validateFlowDraft({ filePattern: '/var/log/*.log', kinesisStream: 's', maxBufferSizeRecords: '500', paused: 'no' }).count).toBe(0);
  });
});

describe('configDocumentWith', () => {
  const view: ConfigView = {
    mainFile: '/etc/a.json',
    files: [
      { path: '/etc/a.json', main: true, writable: true, hasComments: false, content: { 'kinesis.region': 'eu-west-1', flows: [{ kinesisStream: 'a', filePattern: '/x/*.log' }] } },
      { path: '/etc/a.d/b.json', main: false, writable: true, hasComments: false, content: { flows: [{ kinesisStream: 'b', filePattern: '/y/*.log' }] } },
    ],
    flows: [
      { id: 'kinesis:a:/x/*.log', file: '/etc/a.json', index: 0, raw: { kinesisStream: 'a', filePattern: '/x/*.log' } },
      { id: 'kinesis:b:/y/*.log', file: '/etc/a.d/b.json', index: 0, raw: { kinesisStream: 'b', filePattern: '/y/*.log' } },
    ],
    problems: [],
    warnings: [],
  };

  it('replaces an edited flow in its own file and keeps everything else', () => {
    const doc = configDocumentWith(view, { kinesisStream: 'b2', filePattern: '/y/*.log' }, { id: 'kinesis:b:/y/*.log' });
    expect(doc.files[0]).toEqual({ path: '/etc/a.json', content: view.files[0]!.content });
    expect(doc.files[1]!.content['flows']).toEqual([{ kinesisStream: 'b2', filePattern: '/y/*.log' }]);
    expect(view.files[1]!.content['flows']).toEqual([{ kinesisStream: 'b', filePattern: '/y/*.log' }]);
  });

  it('adds a new flow to the chosen file', () => {
    const doc = configDocumentWith(view, { deliveryStream: 'c', filePattern: '/z/*.log' }, { file: '/etc/a.json' });
    expect(doc.files[0]!.content['flows']).toHaveLength(2);
    expect(doc.files[0]!.content['kinesis.region']).toBe('eu-west-1');
  });
});
