import { describe, expect, it } from 'vitest';
import { regionOfEndpoint, withScheme } from '../../../../src/node/sink/destinationClient.js';

describe('withScheme', () => {
  it.each([
    ['kinesis.us-west-2.amazonaws.com', 'https://kinesis.us-west-2.amazonaws.com'],
    ['127.0.0.1:4567', 'https://127.0.0.1:4567'],
    ['localhost:4567', 'https://localhost:4567'],
    ['http://127.0.0.1:4567', 'http://127.0.0.1:4567'],
    ['https://kinesis.us-west-2.amazonaws.com/', 'https://kinesis.us-west-2.amazonaws.com/'],
    ['HTTP://LOCALHOST:4567', 'HTTP://LOCALHOST:4567'],
  ])('%s → %s', (endpoint, expected) => {
    expect(withScheme(endpoint)).toBe(expected);
  });
});

describe('regionOfEndpoint', () => {
  it.each<[string | undefined, string | undefined]>([
    ['kinesis.us-west-2.amazonaws.com', 'us-west-2'],
    ['https://kinesis.us-west-2.amazonaws.com', 'us-west-2'],
    ['https://kinesis.us-west-2.amazonaws.com/', 'us-west-2'],
    ['http://kinesis.eu-central-1.amazonaws.com:443', 'eu-central-1'],
    ['KINESIS.AP-SOUTHEAST-2.AMAZONAWS.COM', 'ap-southeast-2'],
    ['firehose.ap-northeast-1.amazonaws.com', 'ap-northeast-1'],
    ['https://firehose.eu-west-3.amazonaws.com', 'eu-west-3'],
    ['kinesis-fips.us-east-1.amazonaws.com', 'us-east-1'],
    ['https://firehose-fips.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
    ['kinesis.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    ['https://firehose.cn-northwest-1.amazonaws.com.cn', 'cn-northwest-1'],
    ['127.0.0.1:4567', undefined],
    ['http://127.0.0.1:4567', undefined],
    ['localhost:4567', undefined],
    ['sts.us-west-2.amazonaws.com', undefined],
    ['monitoring.us-west-2.amazonaws.com', undefined],
    ['kinesis.us-west-2.amazonaws.com.example.org', undefined],
    ['kinesis.amazonaws.com', undefined],
    [undefined, undefined],
  ])('%s → %s', (endpoint, expected) => {
    expect(regionOfEndpoint(endpoint)).toBe(expected);
  });
});
