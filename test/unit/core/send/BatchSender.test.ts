import { describe, expect, it } from 'vitest';
import { BatchSender } from '../../../../src/core/send/BatchSender.js';
import type { PutEntry, PutOutcome } from '../../../../src/core/send/RecordsTransport.js';
import { FlowStats } from '../../../../src/core/stats/FlowStats.js';

interface Rec extends PutEntry { id: number }
const recs = (n: number): Rec[] => Array.from({ length: n }, (_, id) => ({ id, data: Uint8Array.of(id), partitionKey: `pk${id}` }));
const PTEE: PutOutcome = { ok: false, code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' };

/** A scripted transport: each call takes the next script step; records what was sent. */
function harness(script: ((entries: readonly PutEntry[]) => PutOutcome[] | Error)[], maxConcurrency = 1) {
  const sent: string[][] = [];
  const delivered: number[] = [];
  const sleeps: number[] = [];
  const stats = new FlowStats();
  const sender = new BatchSender<Rec>({
    transport: {
      put: async (entries) => {
        sent.push(entries.map((e) => e.partitionKey));
        const step = script.shift() ?? ((e) => e.map(() => ({ ok: true }) as PutOutcome));
        const result = step(entries);
        if (result instanceof Error) throw result;
        return result;
      },
    },
    maxConcurrency,
    backoffBaseMillis: 100,
    backoffCapMillis: 10_000,
    stats,
    random: () => 0.5,
    now: () => 0,
    sleep: async (ms) => { sleeps.push(ms); },
    onDelivered: (records) => delivered.push(...records.map((r) => r.id)),
    onRequestError: () => {},
    onRequestOk: () => {},
  });
  return { sender, sent, delivered, sleeps, stats };
}

describe('BatchSender', () => {
  it('resends only the failed entries of a partial failure, with their partition keys', async () => {
    const h = harness([(e) => e.map((_, i) => (i % 2 === 1 ? PTEE : { ok: true }))]);
    h.sender.enqueue({ records: recs(4), bytes: 4 });
    await h.sender.idle();
    expect(h.sent).toEqual([['pk0', 'pk1', 'pk2', 'pk3'], ['pk1', 'pk3']]);
    expect(h.delivered.sort()).toEqual([0, 1, 2, 3]);
    expect(h.sleeps).toEqual([50]);
    expect(h.stats.counters).toMatchObject({ recordsSent: 4, recordsFailed: 2, throttled: 2, retries: 1, requests: 2 });
    expect(h.stats.counters.failed).toEqual({ ProvisionedThroughputExceededException: 2 });
  });

  it('retries a failed request with growing full-jitter backoff and never drops', async () => {
    const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const h = harness([() => error, () => error, () => error]);
    h.sender.enqueue({ records: recs(2), bytes: 2 });
    await h.sender.idle();
    expect(h.sent).toHaveLength(4);
    expect(h.sleeps).toEqual([50, 100, 200]);
    expect(h.delivered).toEqual([0, 1]);
    expect(h.stats.counters).toMatchObject({ requestErrors: 3, retries: 3, recordsSent: 2 });
    expect(h.stats.counters.failed).toEqual({ ECONNRESET: 6 });
  });

  it('abandons retries on stop, leaving records unacknowledged', async () => {
    const h = harness([(e) => e.map(() => PTEE)]);
    h.sender.enqueue({ records: recs(2), bytes: 2 });
    h.sender.stop();
    await h.sender.idle();
    expect(h.delivered).toEqual([]);
    h.sender.enqueue({ records: recs(1), bytes: 1 });
    expect(h.sent).toHaveLength(1);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const h = harness([], 2);
    const slow = async (entries: readonly PutEntry[]): Promise<PutOutcome[]> => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return entries.map(() => ({ ok: true }));
    };
    (h.sender as unknown as { options: { transport: { put: typeof slow } } }).options.transport.put = slow;
    for (let i = 0; i < 5; i += 1) h.sender.enqueue({ records: recs(1), bytes: 1 });
    await h.sender.idle();
    expect(peak).toBe(2);
    expect(h.delivered).toHaveLength(5);
  });
});
