import { CloudWatchClient, PutMetricDataCommand, type MetricDatum as SdkMetricDatum } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import { startCloudWatchStub, type CloudWatchStub, type CloudWatchStubOptions } from '../../support/cloudWatchStub.js';

// The stub of the latest clientFor() call; every stub and client is cleaned up after each test.
let stub: CloudWatchStub | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  stub = undefined;
});

async function clientFor(options?: CloudWatchStubOptions, maxAttempts?: number): Promise<CloudWatchClient> {
  const started = await startCloudWatchStub(options);
  cleanups.push(() => started.close());
  const client = new CloudWatchClient({ region: 'us-east-1', endpoint: started.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts });
  cleanups.push(() => client.destroy());
  stub = started;
  return client;
}

const timestamp = new Date('2026-03-01T12:34:56.789Z');
const datum: SdkMetricDatum = {
  MetricName: 'BytesSent',
  Dimensions: [{ Name: 'StreamName', Value: 'orders' }, { Name: 'Host', Value: 'web-1' }],
  Timestamp: timestamp,
  StatisticValues: { SampleCount: 3, Sum: 4096.5, Minimum: 10, Maximum: 4000 },
  Unit: 'Bytes',
};

describe('startCloudWatchStub', () => {
  it('decodes exactly what the SDK sent', async () => {
    const cw = await clientFor();
    await cw.send(new PutMetricDataCommand({ Namespace: 'Shardline', MetricData: [datum, { MetricName: 'RecordsSent', Value: 7, Unit: 'Count' }] }));
    expect(stub!.requests).toEqual([
      {
        index: 0,
        namespace: 'Shardline',
        datums: [
          {
            metricName: 'BytesSent',
            dimensions: [{ name: 'StreamName', value: 'orders' }, { name: 'Host', value: 'web-1' }],
            timestamp,
            statisticValues: { sampleCount: 3, sum: 4096.5, minimum: 10, maximum: 4000 },
            unit: 'Bytes',
          },
          { metricName: 'RecordsSent', dimensions: [], value: 7, unit: 'Count' },
        ],
        gzipped: false,
        failed: false,
      },
    ]);
  });

  it('decodes gzip-compressed bodies (PutMetricData compresses from 10 KiB)', async () => {
    const cw = await clientFor();
    const many = Array.from({ length: 500 }, (_, i): SdkMetricDatum => ({ ...datum, MetricName: `Metric${i}` }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'Shardline', MetricData: many }));
    expect(stub!.requests).toHaveLength(1);
    expect(stub!.requests[0]!.gzipped).toBe(true);
    expect(stub!.requests[0]!.datums.map((d) => d.metricName)).toEqual(many.map((d) => d.MetricName));
  });

  it('answers a 500 the SDK retries, then throws once attempts run out', async () => {
    const cw = await clientFor({ fail: (i) => i === 0 });
    await cw.send(new PutMetricDataCommand({ Namespace: 'Shardline', MetricData: [datum] }));
    expect(stub!.requests.map((r) => r.failed)).toEqual([true, false]);

    const once = await clientFor({ fail: () => true }, 1);
    const error = await once.send(new PutMetricDataCommand({ Namespace: 'Shardline', MetricData: [datum] })).then(() => undefined, (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string });
    expect(error?.name).toBe('InternalServiceFault');
    expect(error?.$metadata?.httpStatusCode).toBe(500);
    expect(error?.$fault).toBe('server');
    expect(stub!.requests).toHaveLength(1);
  });

  it('answers throttling the SDK recognises', async () => {
    const cw = await clientFor({ fail: () => 'throttling' }, 1);
    const error = await cw.send(new PutMetricDataCommand({ Namespace: 'Shardline', MetricData: [datum] })).then(() => undefined, (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } });
    expect(error?.name).toBe('Throttling');
    expect(error?.$metadata?.httpStatusCode).toBe(400);
    expect(stub!.requests.map((r) => r.failed)).toEqual([true]);
  });
});
