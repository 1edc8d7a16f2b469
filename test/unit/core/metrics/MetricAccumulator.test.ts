import { describe, expect, it } from 'vitest';
import { addSendMetrics, MetricAccumulator } from '../../../../src/core/metrics/MetricAccumulator.js';

const DEST = [{ name: 'Destination', value: 'KinesisStream:s' }];

describe('MetricAccumulator', () => {
  it('keeps one StatisticSet per metric name and dimension set', () => {
    const acc = new MetricAccumulator(10);
    acc.add('BytesSent', 'Bytes', DEST, 10);
    acc.add('BytesSent', 'Bytes', DEST, 30);
    acc.add('BytesSent', 'Bytes', [{ name: 'Destination', value: 'DeliveryStream:f' }], 5);
    expect(acc.drain()).toEqual([
      { metricName: 'BytesSent', unit: 'Bytes', dimensions: DEST, sampleCount: 2, sum: 40, minimum: 10, maximum: 30 },
      { metricName: 'BytesSent', unit: 'Bytes', dimensions: [{ name: 'Destination', value: 'DeliveryStream:f' }], sampleCount: 1, sum: 5, minimum: 5, maximum: 5 },
    ]);
    expect(acc.size).toBe(0);
  });

  it('drops samples of new data beyond its capacity, counting them, and still merges known ones', () => {
    const acc = new MetricAccumulator(1);
    acc.add('A', 'Count', DEST, 1);
    acc.add('B', 'Count', DEST, 1);
    acc.add('A', 'Count', DEST, 2);
    expect(acc.dropped).toBe(1);
    expect(acc.drain().map((d) => [d.metricName, d.sum])).toEqual([['A', 3]]);
    expect(acc.dropped).toBe(0);
  });

  it.each([
    ['a clean answer', { attempted: 5, sent: 5, failed: 0, bytesSent: 50, serviceError: false }, { RecordSendAttempts: 5, ServiceErrors: 0, BytesSent: 50, RecordSendErrors: 0, RecordsSent: 5 }],
    ['a partial failure', { attempted: 5, sent: 3, failed: 2, bytesSent: 30, serviceError: false }, { RecordSendAttempts: 5, ServiceErrors: 0, BytesSent: 30, RecordSendErrors: 2, RecordsSent: 3 }],
    ['a failed call', { attempted: 5, sent: 0, failed: 0, bytesSent: 0, serviceError: true }, { RecordSendAttempts: 5, ServiceErrors: 1 }],
  ])('the Java agent\'s per-send metrics for %s', (_name, send, expected) => {
    const acc = new MetricAccumulator(100);
    addSendMetrics(acc, DEST, send);
    expect(Object.fromEntries(acc.drain().map((d) => [d.metricName, d.sum]))).toEqual(expected);
  });
});
