export type MetricUnit = 'Count' | 'Bytes' | 'Milliseconds';

export interface Dimension {
  readonly name: string;
  readonly value: string;
}

/** One CloudWatch datum: a StatisticSet of every value added for a name and dimension set. */
export interface MetricDatum {
  metricName: string;
  unit: MetricUnit;
  dimensions: Dimension[];
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/**
 * Accumulates metric values into StatisticSets keyed by metric name and dimensions, as the Java
 * agent's MetricAccumulatingQueue does (reference §6.1): each send adds one sample per metric, and
 * a flush publishes min, max, count and sum instead of every sample. At most `capacity` distinct
 * data are held; values for a new key beyond that are dropped and counted (the Java agent logs
 * "Metrics queue full").
 */
export class MetricAccumulator {
  private data = new Map<string, MetricDatum>();
  private droppedSamples = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.data.size;
  }

  /** Samples dropped because the accumulator was full, since the last drain. */
  get dropped(): number {
    return this.droppedSamples;
  }

  add(metricName: string, unit: MetricUnit, dimensions: readonly Dimension[], value: number): void {
    const key = `${metricName}\u0000${dimensions.map((d) => `${d.name}=${d.value}`).join('\u0000')}`;
    const datum = this.data.get(key);
    if (datum !== undefined) {
      datum.sampleCount += 1;
      datum.sum += value;
      datum.minimum = Math.min(datum.minimum, value);
      datum.maximum = Math.max(datum.maximum, value);
      return;
    }
    if (this.data.size >= this.capacity) {
      this.droppedSamples += 1;
      return;
    }
    this.data.set(key, { metricName, unit, dimensions: [...dimensions], sampleCount: 1, sum: value, minimum: value, maximum: value });
  }

  /** Everything accumulated so far; the accumulator starts empty again. */
  drain(): MetricDatum[] {
    const data = [...this.data.values()];
    this.data = new Map();
    this.droppedSamples = 0;
    return data;
  }
}

/** The outcome of one PutRecords / PutRecordBatch call, for the Java agent's per-send metrics. */
export interface SendMetrics {
  /** Entries in the request (first attempts and retries alike). */
  attempted: number;
  /** Entries accepted. */
  sent: number;
  /** Entries the answer reported failed (0 when the call failed as a whole). */
  failed: number;
  /** Data bytes of the accepted entries (partition keys excluded). */
  bytesSent: number;
  /** The call failed as a whole (any exception, throttling included). */
  serviceError: boolean;
}

/**
 * The Java agent's per-send metrics (KinesisSender / FirehoseSender.attemptSend): RecordSendAttempts
 * before the call, ServiceErrors 0 or 1, and after an answer BytesSent, RecordSendErrors and
 * RecordsSent, all with the same dimensions.
 */
export function addSendMetrics(accumulator: MetricAccumulator, dimensions: readonly Dimension[], send: SendMetrics): void {
  accumulator.add('RecordSendAttempts', 'Count', dimensions, send.attempted);
  accumulator.add('ServiceErrors', 'Count', dimensions, send.serviceError ? 1 : 0);
  if (send.serviceError) return;
  accumulator.add('BytesSent', 'Bytes', dimensions, send.bytesSent);
  accumulator.add('RecordSendErrors', 'Count', dimensions, send.failed);
  accumulator.add('RecordsSent', 'Count', dimensions, send.sent);
}
