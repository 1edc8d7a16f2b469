/** The counters the UI turns into rates (DESIGN §5 counters; rates are computed client-side). */
export const RATE_COUNTERS = ['linesRead', 'recordsSent', 'bytesSent', 'throttled', 'recordsFailed'] as const;
export type RateCounter = (typeof RATE_COUNTERS)[number];

/** One status snapshot of one flow: the agent's clock in milliseconds and its counters. */
export interface CounterSample {
  time: number;
  counters: Record<RateCounter, number>;
}

/**
 * Per-second rate of a counter between two snapshots. A counter that went down means the flow
 * was restarted with fresh counters; that interval has no meaningful rate, so it reads 0 rather
 * than a negative number.
 */
export function rateBetween(before: CounterSample, after: CounterSample, counter: RateCounter): number {
  const seconds = (after.time - before.time) / 1000;
  if (seconds <= 0) return 0;
  const delta = after.counters[counter] - before.counters[counter];
  return delta <= 0 ? 0 : delta / seconds;
}

/**
 * The sample to measure from for a rate over `windowMillis` ending at the last sample: the newest
 * one at least that old, else the oldest there is (a flow younger than the window).
 */
export function sampleBefore(samples: readonly CounterSample[], windowMillis: number): CounterSample | undefined {
  const last = samples.at(-1);
  if (last === undefined) return undefined;
  for (let i = samples.length - 2; i >= 0; i--) {
    const sample = samples[i]!;
    if (last.time - sample.time >= windowMillis) return sample;
  }
  return samples.length > 1 ? samples[0] : undefined;
}
