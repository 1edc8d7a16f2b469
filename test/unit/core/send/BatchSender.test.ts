import { describe, expect, it } from 'vitest';
import { AimdLimiter } from '../../../../src/core/send/AimdLimiter.js';
import { SendFailure } from '../../../../src/core/send/SendFailure.js';
import { SendSlots } from '../../../../src/core/send/SendSlots.js';
import { flush, harness, idOf, OK, PTEE, range, recs, sorted } from '../../../support/senderHarness.js';

describe('BatchSender', () => {
  it('resends only the failed entries of a partial failure, with their partition keys, after a backoff', async () => {
    const h = harness({ answer: (entries, call) => (call === 0 ? entries.map((_, i) => (i % 2 === 1 ? PTEE : OK)) : entries.map(() => OK)) });
    h.sender.enqueue({ records: recs(4), bytes: 4 });
    await h.clock.advance(60_000);
    expect(h.sent).toEqual([[0, 1, 2, 3], [1, 3]]);
    expect(sorted(h.delivered)).toEqual([0, 1, 2, 3]);
    expect(h.stats.counters).toMatchObject({ recordsSent: 4, recordsFailed: 2, throttled: 2, retries: 1, requests: 2 });
    expect(h.stats.counters.failed).toEqual({ ProvisionedThroughputExceededException: 2 });
  });

  it('under sustained 30% throttling, retries join new records in full requests (≤ 2 requests per full request of accepted records)', async () => {
    let n = 0;
    const h = harness({ maxRecords: 10, answer: (entries) => entries.map(() => (n++ % 10 < 3 ? PTEE : OK)) });
    for (let i = 0; i < 50; i++) h.sender.enqueue({ records: recs(10, i * 10), bytes: 10 });
    await h.clock.advance(600_000);
    expect(sorted(h.delivered)).toEqual(range(500));
    expect(h.sent.length).toBeLessThanOrEqual(2 * (500 / 10));
    // Every request but the tail of the backlog is full.
    const partial = h.sent.slice(0, -10).filter((request) => request.length < 10);
    expect(partial).toEqual([]);
  });

  it('retries a whole-request failure with a growing full-jitter backoff, never drops, and reports after 3 in a row', async () => {
    const h = harness({ answer: (entries, call) => (call < 4 ? new SendFailure('ECONNRESET', 'socket hang up') : entries.map(() => OK)) });
    h.sender.enqueue({ records: recs(2), bytes: 2 });
    await h.clock.advance(60_000);
    expect(h.sent).toHaveLength(5);
    expect(h.delivered).toEqual([0, 1]);
    expect(h.clock.delays.filter((d) => d > 0)).toEqual([50, 100, 200, 400]);
    expect(h.events).toEqual(['error ECONNRESET transient', 'error ECONNRESET transient', 'error ECONNRESET transient', 'degraded ECONNRESET transient', 'error ECONNRESET transient', 'recovered']);
    expect(h.stats.counters).toMatchObject({ requestErrors: 4, retries: 4, recordsSent: 2 });
  });

  it('a fatal error degrades at once, probes one record at a time at most fatalRetryMaxMillis apart, and resumes with nothing lost', async () => {
    let exists = false;
    const h = harness({ answer: (entries) => (exists ? entries.map(() => OK) : new SendFailure('ResourceNotFoundException', 'Stream x not found', 400)) });
    h.sender.enqueue({ records: recs(20), bytes: 20 });
    await h.clock.advance(120_000);
    expect(h.events.slice(0, 2)).toEqual(['degraded ResourceNotFoundException fatal', 'error ResourceNotFoundException fatal']);
    expect(h.events.filter((e) => e.startsWith('degraded'))).toHaveLength(1);
    expect(h.sent.slice(1).every((request) => request.length === 1)).toBe(true);
    const probeDelays = h.clock.delays.filter((d) => d > 0);
    expect(Math.max(...probeDelays)).toBeLessThanOrEqual(15_000);
    expect(probeDelays.at(-1)).toBeGreaterThanOrEqual(7_500);
    expect(h.sent.length).toBeLessThan(25);
    exists = true;
    await h.clock.advance(30_000);
    expect(sorted(h.delivered)).toEqual(range(20));
    expect(h.events.at(-1)).toBe('recovered');
  });

  it('finds a record the service refuses as invalid by bisection, dead-letters only it, and delivers the rest', async () => {
    const h = harness({ answer: (entries) => (entries.some((e) => idOf(e) === 5) ? new SendFailure('ValidationException', 'record too large', 400) : entries.map(() => OK)) });
    h.sender.enqueue({ records: recs(16), bytes: 16 });
    await h.clock.advance(60_000);
    expect(h.rejected).toEqual([[5, 'ValidationException']]);
    expect(sorted(h.delivered)).toEqual(range(16).filter((i) => i !== 5));
    expect(h.stats.counters.deadLettered).toBe(1);
    expect(h.sent.length).toBeLessThanOrEqual(2 * Math.log2(16) + 1);
    expect(h.events.some((e) => e.startsWith('degraded'))).toBe(false);
  });

  it('does not dead-letter anything when every request is refused (a configuration error): it degrades and probes', async () => {
    let fixed = false;
    const h = harness({ answer: (entries) => (fixed ? entries.map(() => OK) : new SendFailure('ValidationException', "Value at 'streamName' failed to satisfy constraint", 400)) });
    h.sender.enqueue({ records: recs(64), bytes: 64 });
    await h.clock.advance(120_000);
    expect(h.rejected).toEqual([]);
    expect(h.events).toContain('degraded ValidationException client');
    fixed = true;
    await h.clock.advance(60_000);
    expect(sorted(h.delivered)).toEqual(range(64));
  });

  it('dead-letters a record refused per entry with a client error, and resends throttled entries', async () => {
    const h = harness({ answer: (entries, call) => (call === 0 ? entries.map((_, i) => (i === 0 ? { ok: false, code: 'ValidationException', message: 'bad' } : i === 1 ? PTEE : OK)) : entries.map(() => OK)) });
    h.sender.enqueue({ records: recs(3), bytes: 3 });
    await h.clock.advance(10_000);
    expect(h.rejected).toEqual([[0, 'ValidationException']]);
    expect(sorted(h.delivered)).toEqual([1, 2]);
  });

  it('preserveOrder: one request in flight, and records waiting for a retry go before newer ones', async () => {
    const h = harness({ preserveOrder: true, maxRecords: 4, answer: (entries, call) => (call === 0 ? entries.map((_, i) => (i === 2 ? PTEE : OK)) : entries.map(() => OK)) });
    h.sender.enqueue({ records: recs(4), bytes: 4 });
    h.sender.enqueue({ records: recs(4, 4), bytes: 4 });
    await h.clock.advance(10_000);
    expect(h.maxInFlight()).toBe(1);
    expect(h.sent).toEqual([[0, 1, 2, 3], [2, 4, 5, 6], [7]]);
  });

  it('halves the concurrency of a destination on throttling and raises it after clean windows', async () => {
    const limiter = new AimdLimiter(8, 8);
    let throttle = true;
    const h = harness({ limiter, maxRecords: 1, answer: (entries) => entries.map(() => (throttle ? PTEE : OK)) });
    h.sender.enqueue({ records: recs(8), bytes: 8 });
    await h.clock.advance(1);
    expect(limiter.limit).toBe(4);
    await h.clock.advance(60_000);
    expect(limiter.limit).toBe(1);
    throttle = false;
    h.sender.enqueue({ records: recs(100, 8), bytes: 100 });
    await h.clock.advance(120_000);
    expect(sorted(h.delivered)).toEqual(range(108));
    expect(limiter.limit).toBeGreaterThan(4);
  });

  it('never has more requests in flight than the agent-wide slots, across senders', async () => {
    const slots = new SendSlots(2);
    const a = harness({ slots, maxRecords: 1, limiter: new AimdLimiter(8, 8) });
    const b = harness({ slots, maxRecords: 1, limiter: new AimdLimiter(8, 8) });
    a.sender.enqueue({ records: recs(10), bytes: 10 });
    b.sender.enqueue({ records: recs(10), bytes: 10 });
    let peak = 0;
    for (let i = 0; i < 50; i++) {
      peak = Math.max(peak, slots.inUse);
      await flush();
    }
    await a.sender.idle();
    await b.sender.idle();
    expect(peak).toBeLessThanOrEqual(2);
    expect(a.delivered).toHaveLength(10);
    expect(b.delivered).toHaveLength(10);
  });

  it('stop() abandons pending retries; idle() resolves', async () => {
    const h = harness({ answer: () => new SendFailure('InternalFailure', 'boom', 500) });
    h.sender.enqueue({ records: recs(3), bytes: 3 });
    await h.clock.advance(1000);
    expect(h.sender.pendingRecords).toBe(3);
    h.sender.stop();
    await h.sender.idle();
    expect(h.delivered).toEqual([]);
    expect(h.sender.pendingRecords).toBe(0);
  });
});

describe('AimdLimiter', () => {
  it.each<[string, (l: AimdLimiter) => void, number]>([
    ['starts at min(max, 4)', () => undefined, 4],
    ['halves on throttling', (l) => l.throttled(l.epoch), 2],
    ['ignores stale throttling from before the last decrease', (l) => { const e = l.epoch; l.throttled(e); l.throttled(e); }, 2],
    ['never goes below 1', (l) => { for (let i = 0; i < 5; i++) l.throttled(l.epoch); }, 1],
    ['adds one after a clean window (as many clean answers as the limit)', (l) => { for (let i = 0; i < 4; i++) l.clean(l.epoch); }, 5],
    ['not before the window is complete', (l) => { for (let i = 0; i < 3; i++) l.clean(l.epoch); }, 4],
    ['never above max', (l) => { for (let i = 0; i < 1000; i++) l.clean(l.epoch); }, 10],
  ])('%s', (_name, act, expected) => {
    const limiter = new AimdLimiter(10);
    act(limiter);
    expect(limiter.limit).toBe(expected);
  });
});
