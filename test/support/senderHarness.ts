import { AimdLimiter } from '../../src/core/send/AimdLimiter.js';
import { BatchSender, newSendState, type SendRecord } from '../../src/core/send/BatchSender.js';
import type { PutEntry, PutOutcome } from '../../src/core/send/RecordsTransport.js';
import { SendFailure } from '../../src/core/send/SendFailure.js';
import { SendSlots } from '../../src/core/send/SendSlots.js';
import { FlowStats } from '../../src/core/stats/FlowStats.js';

/**
 * A BatchSender on a virtual clock with a scripted transport, for the send loop's unit tests:
 * timers fire only when the test advances time, and the clock waits for requests in flight.
 */
export interface Rec extends SendRecord { id: number }
export const recs = (n: number, from = 0): Rec[] => Array.from({ length: n }, (_, i) => ({ id: from + i, data: Uint8Array.of(from + i), partitionKey: `pk${from + i}`, size: 1, ...newSendState() }));
export const OK: PutOutcome = { ok: true };
export const PTEE: PutOutcome = { ok: false, code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' };
export const idOf = (entry: PutEntry) => Number(entry.partitionKey.slice(2));
export type Answer = PutOutcome[] | SendFailure | Promise<PutOutcome[]>;

/** A virtual clock: timers fire only when the test advances time. */
export class Clock {
  time = 0;
  timers: { at: number; callback: () => void }[] = [];
  readonly delays: number[] = [];
  busy: () => boolean = () => false;
  now = () => this.time;
  schedule = (millis: number, callback: () => void) => {
    this.delays.push(millis);
    const timer = { at: this.time + millis, callback };
    this.timers.push(timer);
    return () => { this.timers = this.timers.filter((t) => t !== timer); };
  };
  async advance(millis: number): Promise<void> {
    const end = this.time + millis;
    for (;;) {
      await this.settle();
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.at;
      next.callback();
    }
    this.time = end;
    await this.settle();
  }
  private async settle(): Promise<void> {
    await flush();
    for (let i = 0; i < 2_000 && this.busy(); i++) await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

export interface HarnessOptions {
  answer?: (entries: readonly PutEntry[], call: number) => Answer;
  maxRecords?: number;
  preserveOrder?: boolean;
  limiter?: AimdLimiter;
  slots?: SendSlots;
  random?: () => number;
}

export function harness(options: HarnessOptions = {}) {
  const clock = new Clock();
  const sent: number[][] = [];
  const sentAt: number[] = [];
  const delivered: number[] = [];
  const rejected: [number, string][] = [];
  const events: string[] = [];
  const stats = new FlowStats();
  let inFlight = 0;
  let maxInFlight = 0;
  clock.busy = () => inFlight > 0;
  const sender = new BatchSender<Rec>({
    transport: {
      put: async (entries) => {
        const call = sent.length;
        sent.push(entries.map(idOf));
        sentAt.push(clock.time);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          await flush();
          const answer = await (options.answer?.(entries, call) ?? entries.map(() => OK));
          if (answer instanceof SendFailure) throw answer;
          return answer;
        } finally {
          inFlight -= 1;
        }
      },
    },
    maxRecords: options.maxRecords ?? 500,
    maxBytes: 5 * 1024 * 1024,
    limiter: options.limiter ?? new AimdLimiter(8),
    slots: options.slots ?? new SendSlots(100),
    preserveOrder: options.preserveOrder ?? false,
    backoffBaseMillis: 100,
    backoffCapMillis: 10_000,
    fatalRetryMaxMillis: 15_000,
    stats,
    random: options.random ?? (() => 0.5),
    now: clock.now,
    schedule: clock.schedule,
    onDelivered: (records) => delivered.push(...records.map((r) => r.id)),
    onRejected: (record, failure) => rejected.push([record.id, failure.code]),
    onRequestError: (failure, kind) => events.push(`error ${failure.code} ${kind}`),
    onDegraded: (failure, kind) => events.push(`degraded ${failure.code} ${kind}`),
    onRecovered: () => events.push('recovered'),
  });
  return { sender, clock, sent, sentAt, delivered, rejected, events, stats, maxInFlight: () => maxInFlight };
}

export const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
export const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
/** Deterministic sequence of random values (cycled). */
export const sequence = (...values: number[]) => { let i = 0; return () => values[i++ % values.length] as number; };

