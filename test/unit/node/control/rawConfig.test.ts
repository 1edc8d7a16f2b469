import { describe, expect, it } from 'vitest';
import { maskSecrets, mergeEdits, rawFlowId, sameValue, SECRET_MASK } from '../../../../src/node/control/rawConfig.js';

describe('sameValue (Java coercion)', () => {
  it.each<[unknown, unknown, boolean]>([
    ['true', true, true], ['yes', true, true], ['Y', true, true], ['0', false, true], ['false', true, false],
    ['1000', 1000, true], [' 1000 ', 1000, true], ['1000', 1001, false], [1000, 1000, true],
    ['x', 'x', true], ['x', 'y', false], [{ a: 1 }, { a: 1 }, true], [{ a: 1 }, { a: '1' }, false], [null, 'null', false],
  ])('%j ~ %j → %s', (a, b, expected) => {
    expect(sameValue(a, b)).toBe(expected);
  });
});

describe('maskSecrets', () => {
  it('masks global and per-flow secrets, nothing else', () => {
    expect(maskSecrets({ awsAccessKeyId: 'AKID', awsSecretAccessKey: 's', region: 'x', flows: [{ assumeRoleExternalId: 'e', kinesisStream: 'k' }] }))
      .toEqual({ awsAccessKeyId: SECRET_MASK, awsSecretAccessKey: SECRET_MASK, region: 'x', flows: [{ assumeRoleExternalId: SECRET_MASK, kinesisStream: 'k' }] });
  });
});

describe('mergeEdits', () => {
  const previous = {
    awsSecretAccessKey: 'secret', 'cloudwatch.emitMetrics': 'false', unknownGlobal: [1, 2],
    flows: [
      { filePattern: '/a/*.log', kinesisStream: 'a', maxBufferAgeMillis: '5000', custom: { keep: true }, dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'SYSLOG', matchPattern: 'x' }] },
      { filePattern: '/b/*.log', deliveryStream: 'b', assumeRoleExternalId: 'ext' },
    ],
  };
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a masked secret keeps the secret', { ...previous, awsSecretAccessKey: SECRET_MASK }, previous],
    ['an equal value keeps its written form', { ...previous, 'cloudwatch.emitMetrics': false }, previous],
    ['a changed value is written as sent', { ...previous, 'cloudwatch.emitMetrics': true }, { ...previous, 'cloudwatch.emitMetrics': true }],
    ['flows are matched by id, even reordered', { ...previous, flows: [{ ...previous.flows[1], assumeRoleExternalId: SECRET_MASK }, { ...previous.flows[0], maxBufferAgeMillis: 5000 }] }, { ...previous, flows: [previous.flows[1], previous.flows[0]] }],
    ['processing options by position', { ...previous, flows: [{ ...previous.flows[0], dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'SYSLOG', matchPattern: 'y' }] }, previous.flows[1]] },
      { ...previous, flows: [{ ...previous.flows[0], dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'SYSLOG', matchPattern: 'y' }] }, previous.flows[1]] }],
    ['a secret masked on a new flow is dropped, not written as the mask', { ...previous, flows: [...previous.flows, { filePattern: '/c/*.log', kinesisStream: 'c', assumeRoleExternalId: SECRET_MASK }] },
      { ...previous, flows: [...previous.flows, { filePattern: '/c/*.log', kinesisStream: 'c' }] }],
  ])('%s', (_name, next, expected) => {
    expect(mergeEdits(previous, next)).toEqual(expected);
  });
});

describe('rawFlowId', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ filePattern: '/a/*.log', kinesisStream: 's' }, 'kinesis:s:/a/*.log'],
    [{ filePattern: '/a/*.log', kinesisStream: 's', deliveryStream: 'f' }, 'fh:f:/a/*.log'],
    [{ filePattern: '/a/*.log', kinesisStream: 's', deliveryStream: '' }, 'kinesis:s:/a/*.log'],
  ])('%j → %s', (raw, id) => {
    expect(rawFlowId(raw)).toBe(id);
  });
});
