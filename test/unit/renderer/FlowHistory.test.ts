import { describe, expect, it } from 'vitest';
import type { AgentStatus, FlowStatus } from '../../../src/shared/stats/flowStatus.js';
import { FlowHistory } from '../../../renderer/src/stats/FlowHistory.js';
import { rateBetween, sampleBefore, type CounterSample } from '../../../renderer/src/stats/rateBetween.js';

const START = '2026-11-22T07:00:00.000Z';

function flow(key: string, counters: Partial<FlowStatus['counters']>): FlowStatus {
  return {
    key,
    id: key,
    name: key,
    type: 'kinesis',
    streamName: 's',
    filePattern: '/var/log/*.log',
    state: 'running',
    warnings: [],
    counters: {
      linesRead: 0, bytesRead: 0, recordsSent: 0, bytesSent: 0, recordsSkipped: 0, skipped: {}, recordsTruncated: 0, recordsProcessed: 0,
      processingErrors: 0, partitionKeyFallbacks: 0, recordsFailed: 0, failed: {}, throttled: 0, retries: 0, requests: 0, requestErrors: 0,
      deadLettered: 0, recordsCompressed: 0, bytesBeforeCompression: 0, bytesAfterCompression: 0, filesOpened: 0, filesReleased: 0,
      rotationsFollowed: 0, truncations: 0, bytesAbandoned: 0, ...counters,
    },
    gauges: { lagBytes: 0, filesTracked: 0, filesOpen: 0, heldBytes: 0, inFlightBytes: 0, inFlightRecords: 0, concurrency: 1 },
    putLatency: { boundsMillis: [], counts: [0], sumMillis: 0, count: 0 },
  };
}

function status(uptimeMillis: number, flows: FlowStatus[], pid = 1): AgentStatus {
  return { version: '0.1.0', pid, startedAt: START, uptimeMillis, flows };
}

/** One snapshot a second with `perSecond` more lines (and records, bytes) each time. */
function feed(history: FlowHistory, seconds: number, perSecond: { lines: number; throttled?: number }, from = 0): void {
  for (let s = from; s <= from + seconds; s++) {
    history.push(status(s * 1000, [flow('a', { linesRead: s * perSecond.lines, recordsSent: s * perSecond.lines, bytesSent: s * perSecond.lines * 100, throttled: s * (perSecond.throttled ?? 0) })]));
  }
}

describe('rateBetween and sampleBefore', () => {
  const sample = (time: number, linesRead: number): CounterSample => ({ time, counters: { linesRead, recordsSent: 0, bytesSent: 0, throttled: 0, recordsFailed: 0 } });

  it('is per second over the interval, 0 over a reset or a zero interval', () => {
    expect(rateBetween(sample(0, 0), sample(2000, 500), 'linesRead')).toBe(250);
    expect(rateBetween(sample(0, 900), sample(1000, 100), 'linesRead')).toBe(0);
    expect(rateBetween(sample(1000, 0), sample(1000, 100), 'linesRead')).toBe(0);
  });

  it('picks the newest sample at least the window old, else the oldest', () => {
    const samples = [0, 1000, 2000, 3000, 4000, 5000, 6000].map((t) => sample(t, t));
    expect(sampleBefore(samples, 5000)?.time).toBe(1000);
    expect(sampleBefore(samples, 60_000)?.time).toBe(0);
    expect(sampleBefore([sample(0, 0)], 5000)).toBeUndefined();
  });
});

describe('FlowHistory', () => {
  it('has no rates from one snapshot, then rates from successive counters', () => {
    const history = new FlowHistory();
    history.push(status(0, [flow('a', {})]));
    expect(history.rates('a')).toBeUndefined();
    feed(history, 10, { lines: 1200, throttled: 2 });
    expect(history.rates('a')).toEqual({ linesPerSecond: 1200, recordsPerSecond: 1200, bytesPerSecond: 120_000, throttledPerMinute: 120, failedPerMinute: 0 });
  });

  it('appends one chart point per snapshot and keeps only the window', () => {
    const history = new FlowHistory(60_000);
    feed(history, 100, { lines: 10 });
    const [times, lines, records] = history.chart('a');
    expect(times.length).toBe(61);
    expect(times.at(-1)! - times[0]!).toBe(60);
    expect(times.at(-1)).toBe(Date.parse(START) / 1000 + 100);
    expect(new Set(lines)).toEqual(new Set([10]));
    expect(records.length).toBe(61);
  });

  it('ignores a snapshot that is not newer (a pause reply between two events)', () => {
    const history = new FlowHistory();
    feed(history, 3, { lines: 100 });
    history.push(status(3000, [flow('a', { linesRead: 999_999 })]));
    expect(history.chart('a')[0].length).toBe(3);
    expect(history.rates('a')?.linesPerSecond).toBe(100);
  });

  it('starts again when the agent restarts, and forgets removed flows', () => {
    const history = new FlowHistory();
    feed(history, 5, { lines: 100 });
    history.push(status(1000, [flow('a', { linesRead: 5 })], 2));
    expect(history.chart('a')[0]).toEqual([]);
    history.push(status(2000, [flow('b', {})], 2));
    expect(history.chart('a')[0]).toEqual([]);
    expect(history.rates('a')).toBeUndefined();
  });

  it('tells subscribers about each snapshot until they unsubscribe', () => {
    const history = new FlowHistory();
    let calls = 0;
    const unsubscribe = history.subscribe(() => calls++);
    feed(history, 2, { lines: 1 });
    unsubscribe();
    feed(history, 2, { lines: 1 }, 3);
    expect(calls).toBe(3);
  });
});
