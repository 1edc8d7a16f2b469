import type { FlowCounters, FlowGauges, Latency } from '../../shared/stats/flowStatus.js';

/** Put latency histogram bounds, ms (Prometheus-style cumulative buckets are derived from these). */
export const LATENCY_BOUNDS_MILLIS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

/** Counters and gauges of one flow, updated by every stage (DESIGN §5). */
export class FlowStats {
  readonly counters: FlowCounters = {
    linesRead: 0,
    bytesRead: 0,
    recordsSent: 0,
    bytesSent: 0,
    recordsSkipped: 0,
    skipped: {},
    recordsTruncated: 0,
    recordsProcessed: 0,
    processingErrors: 0,
    partitionKeyFallbacks: 0,
    recordsFailed: 0,
    failed: {},
    throttled: 0,
    retries: 0,
    requests: 0,
    requestErrors: 0,
    deadLettered: 0,
    recordsCompressed: 0,
    bytesBeforeCompression: 0,
    bytesAfterCompression: 0,
    filesOpened: 0,
    filesReleased: 0,
    rotationsFollowed: 0,
    truncations: 0,
    bytesAbandoned: 0,
  };

  readonly gauges: FlowGauges = { lagBytes: 0, filesTracked: 0, filesOpen: 0, heldBytes: 0, inFlightBytes: 0, inFlightRecords: 0, concurrency: 0 };

  private readonly latencyCounts = new Array<number>(LATENCY_BOUNDS_MILLIS.length + 1).fill(0);
  private latencySum = 0;
  private latencyCount = 0;

  skip(reason: string, records = 1): void {
    this.counters.recordsSkipped += records;
    this.counters.skipped[reason] = (this.counters.skipped[reason] ?? 0) + records;
  }

  fail(code: string, records = 1): void {
    this.counters.recordsFailed += records;
    this.counters.failed[code] = (this.counters.failed[code] ?? 0) + records;
  }

  observeLatency(millis: number): void {
    let bucket = LATENCY_BOUNDS_MILLIS.findIndex((bound) => millis <= bound);
    if (bucket < 0) bucket = LATENCY_BOUNDS_MILLIS.length;
    this.latencyCounts[bucket] = (this.latencyCounts[bucket] ?? 0) + 1;
    this.latencySum += millis;
    this.latencyCount += 1;
  }

  latency(): Latency {
    return { boundsMillis: [...LATENCY_BOUNDS_MILLIS], counts: [...this.latencyCounts], sumMillis: this.latencySum, count: this.latencyCount };
  }

  snapshotCounters(): FlowCounters {
    return { ...this.counters, skipped: { ...this.counters.skipped }, failed: { ...this.counters.failed } };
  }
}
