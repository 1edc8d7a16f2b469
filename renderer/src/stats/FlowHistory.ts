import type { AgentStatus, FlowStatus } from '../../../src/shared/stats/flowStatus.js';
import { RATE_COUNTERS, rateBetween, sampleBefore, type CounterSample, type RateCounter } from './rateBetween.js';

export interface FlowRates {
  linesPerSecond: number;
  recordsPerSecond: number;
  bytesPerSecond: number;
  throttledPerMinute: number;
  failedPerMinute: number;
}

/** uPlot's aligned data: unix seconds, lines read per second, records sent per second. */
export type ChartSeries = [times: number[], lines: number[], records: number[]];

interface FlowTrack {
  samples: CounterSample[];
  chart: ChartSeries;
}

/** Display rates are smoothed over a few seconds so they do not flicker with batch timing. */
const RATE_WINDOW_MILLIS = 5000;
const MINUTE_MILLIS = 60_000;
export const CHART_WINDOW_MILLIS = 15 * MINUTE_MILLIS;

/**
 * Keeps what the UI needs from the status stream: recent counter samples for rates and a 15-minute
 * chart series per flow, by flow key (unique even when two flows share an id in different
 * regions). It lives for the whole page, so charts keep their history when the user visits another
 * view, and it notifies subscribers (the charts) without involving the view tree.
 */
export class FlowHistory {
  private readonly tracks = new Map<string, FlowTrack>();
  private readonly listeners = new Set<() => void>();
  private run: string | undefined;

  constructor(private readonly chartWindowMillis = CHART_WINDOW_MILLIS) {}

  push(status: AgentStatus): void {
    // A new pid or start time is a restarted agent: its counters start again from zero.
    const run = `${status.pid}@${status.startedAt}`;
    if (run !== this.run) {
      this.tracks.clear();
      this.run = run;
    }
    const started = Date.parse(status.startedAt);
    const time = (Number.isFinite(started) ? started : 0) + status.uptimeMillis;
    const seen = new Set<string>();
    for (const flow of status.flows) {
      seen.add(flow.key);
      this.pushFlow(flow, time);
    }
    for (const id of [...this.tracks.keys()]) if (!seen.has(id)) this.tracks.delete(id);
    for (const listener of this.listeners) listener();
  }

  rates(flowKey: string): FlowRates | undefined {
    const samples = this.tracks.get(flowKey)?.samples ?? [];
    const last = samples.at(-1);
    const recent = sampleBefore(samples, RATE_WINDOW_MILLIS);
    const minute = sampleBefore(samples, MINUTE_MILLIS);
    if (last === undefined || recent === undefined || minute === undefined) return undefined;
    const perSecond = (from: CounterSample, counter: RateCounter) => rateBetween(from, last, counter);
    return {
      linesPerSecond: perSecond(recent, 'linesRead'),
      recordsPerSecond: perSecond(recent, 'recordsSent'),
      bytesPerSecond: perSecond(recent, 'bytesSent'),
      throttledPerMinute: perSecond(minute, 'throttled') * 60,
      failedPerMinute: perSecond(minute, 'recordsFailed') * 60,
    };
  }

  /** The live arrays; uPlot reads them on each setData, so no copy is made per second. */
  chart(flowKey: string): ChartSeries {
    return this.tracks.get(flowKey)?.chart ?? [[], [], []];
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private pushFlow(flow: FlowStatus, time: number): void {
    let track = this.tracks.get(flow.key);
    if (track === undefined) {
      track = { samples: [], chart: [[], [], []] };
      this.tracks.set(flow.key, track);
    }
    const previous = track.samples.at(-1);
    // A reply to pause/resume carries a snapshot too; an older or equal time adds nothing.
    if (previous !== undefined && time <= previous.time) return;
    const counters = Object.fromEntries(RATE_COUNTERS.map((c) => [c, flow.counters[c]])) as Record<RateCounter, number>;
    const sample: CounterSample = { time, counters };
    if (previous !== undefined) {
      const [times, lines, records] = track.chart;
      times.push(Math.round(time / 1000));
      lines.push(rateBetween(previous, sample, 'linesRead'));
      records.push(rateBetween(previous, sample, 'recordsSent'));
      const oldest = (time - this.chartWindowMillis) / 1000;
      while (times.length > 0 && times[0]! < oldest) {
        times.shift();
        lines.shift();
        records.shift();
      }
    }
    track.samples.push(sample);
    // Keep just over a minute of samples: enough for the per-minute rates.
    while (track.samples.length > 2 && time - track.samples[1]!.time >= MINUTE_MILLIS) track.samples.shift();
  }
}
