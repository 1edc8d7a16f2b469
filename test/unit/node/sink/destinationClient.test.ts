import { afterEach, describe, expect, it } from 'vitest';
import { classifyError } from '../../../../src/core/retry/classifyError.js';
import { SendFailure } from '../../../../src/core/send/SendFailure.js';
import { createDestinationClient, regionOfEndpoint, withScheme } from '../../../../src/node/sink/destinationClient.js';
import { SdkRecordsTransport } from '../../../../src/node/sink/SdkRecordsTransport.js';

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
    ['sts.us-west-2.amazonaws.com', 'us-west-2'],
    ['monitoring.us-west-2.amazonaws.com', 'us-west-2'],
    ['kinesis.us-west-2.amazonaws.com.example.org', undefined],
    ['kinesis.amazonaws.com', undefined],
    [undefined, undefined],
  ])('%s → %s', (endpoint, expected) => {
    expect(regionOfEndpoint(endpoint)).toBe(expected);
  });
});

describe('createDestinationClient: regions', () => {
  const saved = { AWS_REGION: process.env['AWS_REGION'], AWS_DEFAULT_REGION: process.env['AWS_DEFAULT_REGION'], AWS_CONFIG_FILE: process.env['AWS_CONFIG_FILE'], AWS_PROFILE: process.env['AWS_PROFILE'] };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  const base = { endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b', assumeRoleARN: undefined, assumeRoleExternalId: undefined, stsEndpoint: undefined }, userAgent: undefined, connectionTimeoutMillis: 500, socketTimeoutMillis: 500, maxConnections: 1, useTcpKeepAlive: false };

  it.each<[string, 'kinesis' | 'firehose', string | undefined, string | undefined, string]>([
    ['Firehose falls back to us-east-1 when nothing names a region (as the Java agent)', 'firehose', undefined, undefined, 'us-east-1'],
    ['Firehose takes the SDK region chain (AWS_REGION) first', 'firehose', undefined, 'eu-west-2', 'eu-west-2'],
    ['a configured region wins', 'firehose', 'ap-south-1', 'eu-west-2', 'ap-south-1'],
    ['Kinesis takes the SDK region chain', 'kinesis', undefined, 'eu-north-1', 'eu-north-1'],
  ])('%s', async (_name, kind, region, envRegion, expected) => {
    delete process.env['AWS_DEFAULT_REGION'];
    delete process.env['AWS_PROFILE'];
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/aws-config';
    if (envRegion === undefined) delete process.env['AWS_REGION'];
    else process.env['AWS_REGION'] = envRegion;
    const destination = await createDestinationClient({ ...base, kind, region });
    expect(await destination.client.config.region()).toBe(expected);
    destination.client.destroy();
  });

  it('a Streams flow without any region fails with RegionMissing (a fatal error naming the fix), not a crash', async () => {
    delete process.env['AWS_REGION'];
    delete process.env['AWS_DEFAULT_REGION'];
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/aws-config';
    const transport = new SdkRecordsTransport(() => createDestinationClient({ ...base, kind: 'kinesis', region: undefined }), 's');
    const failure = await transport.put([{ data: Buffer.from('x'), partitionKey: 'k' }]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SendFailure);
    expect((failure as SendFailure).code).toBe('RegionMissing');
    expect(classifyError((failure as SendFailure).code)).toBe('fatal');
  });
});
