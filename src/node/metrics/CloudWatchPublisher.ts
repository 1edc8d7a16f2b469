import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Logger } from 'pino';
import { MetricAccumulator, type MetricDatum } from '../../core/metrics/MetricAccumulator.js';
import { describeError } from '../util/describeError.js';

/** PutMetricData data per request, as the Java agent (DefaultCWMetricsPublisher.BATCH_SIZE). */
const BATCH_SIZE = 20;
/** Distinct data that trigger a flush before the interval is up (CWMetricsFactory.FLUSH_SIZE). */
const FLUSH_SIZE = 200;

export interface CloudWatchPublisherOptions {
  client: CloudWatchClient;
  namespace: string;
  intervalMillis: number;
  queueSize: number;
  logger: Logger;
}

/**
 * Publishes the Java agent's CloudWatch metrics (cloudwatch.emitMetrics): data accumulate as
 * StatisticSets and go out every `cloudwatch.metricsBufferTimeMillis` (or at 200 distinct data), 20
 * per PutMetricData call. Publishing never blocks shipping: it runs on its own timer, a failure is
 * logged at most once per interval and its data are dropped (as in the Java agent; metrics are not
 * worth a backlog), and the shutdown flush is bounded.
 */
export class CloudWatchPublisher {
  readonly accumulator: MetricAccumulator;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private lastFailureLoggedAt = -Infinity;

  constructor(private readonly options: CloudWatchPublisherOptions) {
    this.accumulator = new MetricAccumulator(options.queueSize);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.intervalMillis);
    this.timer.unref();
  }

  /** Called after data were added: flushes early when many distinct data are waiting. */
  added(): void {
    if (this.accumulator.size >= FLUSH_SIZE) void this.flush();
  }

  async stop(timeoutMillis: number): Promise<void> {
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMillis); })]);
    clearTimeout(timer);
    this.options.client.destroy();
  }

  flush(): Promise<void> {
    this.flushing ??= this.publish().finally(() => { this.flushing = undefined; });
    return this.flushing;
  }

  private async publish(): Promise<void> {
    const { logger, namespace, client } = this.options;
    const accumulator = this.accumulator;
    const dropped = accumulator.dropped;
    const data = accumulator.drain();
    if (dropped > 0) logger.warn({ dropped }, `CloudWatch metrics queue full (cloudwatch.metricsQueueSize): ${dropped} samples dropped`);
    for (let i = 0; i < data.length; i += BATCH_SIZE) {
      try {
        await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + BATCH_SIZE).map(toWire) }));
      } catch (error) {
        this.failed(error, data.length - i);
        return;
      }
    }
  }

  private failed(error: unknown, lost: number): void {
    const now = Date.now();
    if (now - this.lastFailureLoggedAt < this.options.intervalMillis * 0.9) return;
    this.lastFailureLoggedAt = now;
    const described = describeError(error);
    this.options.logger.warn({ error: described, data: lost }, `cannot publish CloudWatch metrics (${described.code}: ${described.message}); ${lost} data dropped, shipping is not affected`);
  }
}

function toWire(datum: MetricDatum) {
  return {
    MetricName: datum.metricName,
    Unit: datum.unit,
    Dimensions: datum.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
    StatisticValues: { SampleCount: datum.sampleCount, Sum: datum.sum, Minimum: datum.minimum, Maximum: datum.maximum },
  };
}
