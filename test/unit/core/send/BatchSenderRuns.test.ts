import { describe, expect, it } from 'vitest';
import { AimdLimiter } from '../../../../src/core/send/AimdLimiter.js';
import { BatchSender, newSendState, type SendRecord } from '../../../../src/core/send/BatchSender.js';
import { expandRuns, runRecordKey } from '../../../../src/core/send/RecordRun.js';
import type { PutEntry, PutOutcome } from '../../../../src/core/send/RecordsTransport.js';
import { RunBuilder } from '../../../../src/core/send/RunBuilder.js';
import { SendFailure } from '../../../../src/core/send/SendFailure.js';
import { SendSlots } from '../../../../src/core/send/SendSlots.js';
import { FlowStats } from '../../../../src/core/stats/FlowStats.js';
import { Clock, OK, PTEE, flush, range, sorted } from '../../../support/senderHarness.js';

/** A run of records `ids` (keys pk<id>, one byte each), or one of its records after a split (`ids` of one). */
interface Item extends SendRecord { ids: number[] }

const INVALID: PutOutcome = { ok: false, code: 'ValidationException', message: 'bad record' };

function run(ids: number[]): Item {
  const builder = new RunBuilder({ maxRecords: 500, maxBytes: 5 * 1024 * 1024, random: Math.random, now: () => 0 });
  const bytes = Uint8Array.from(ids);
  ids.forEach((id, i) => builder.add(bytes, i, i + 1, id * 10, `pk${id}`));
  const size = builder.bytes;
  const sealed = builder.seal()!;
  return { ids, data: sealed.data, partitionKey: '', run: sealed, size, ...newSendState() };
}

const single = (id: number): Item => ({ ids: [id], data: Uint8Array.of(id), partitionKey: `pk${id}`, size: 1 + `pk${id}`.length, ...newSendState() });
const idsOf = (entries: readonly PutEntry[]) => expandRuns(entries).map((entry) => Number(entry.partitionKey.slice(2)));

function runHarness(answer: (ids: number[], call: number) => PutOutcome[] | SendFailure, maxRecords = 500, concurrency = 8) {
  const clock = new Clock();
  const sent: number[][] = [];
  const entriesPerRequest: number[] = [];
  const delivered: number[] = [];
  const rejected: number[] = [];
  const splits: number[][] = [];
  const stats = new FlowStats();
  let inFlight = 0;
  clock.busy = () => inFlight > 0;
  const sender = new BatchSender<Item>({
    transport: {
      put: async (entries) => {
        const ids = idsOf(entries);
        const call = sent.length;
        sent.push(ids);
        entriesPerRequest.push(entries.length);
        inFlight += 1;
        try {
          await flush();
          const result = answer(ids, call);
          if (result instanceof SendFailure) throw result;
          return result;
        } finally {
          inFlight -= 1;
        }
      },
    },
    maxRecords, maxBytes: 5 * 1024 * 1024, limiter: new AimdLimiter(concurrency, concurrency), slots: new SendSlots(100), preserveOrder: false,
    backoffBaseMillis: 100, backoffCapMillis: 10_000, fatalRetryMaxMillis: 15_000, stats, random: () => 0.5, now: clock.now, schedule: clock.schedule,
    onDelivered: (records) => { for (const record of records) delivered.push(...record.ids); },
    onRejected: (record) => rejected.push(...record.ids),
    onRequestError: () => undefined, onDegraded: () => undefined, onRecovered: () => undefined,
    split: (item) => {
      splits.push(item.ids);
      const records = item.ids.map((id, i) => ({ ...single(id), partitionKey: runRecordKey(item.run!, i), sendSeq: item.sendSeq, attempt: item.attempt, notBefore: item.notBefore, rejectedSince: item.rejectedSince }));
      return records;
    },
  });
  return { sender, clock, sent, entriesPerRequest, delivered, rejected, splits, stats };
}

describe('BatchSender with runs (RecordRun: several records in one entry)', () => {
  it('sends a run as one entry of a request, its records in order with their keys, and delivers it whole', async () => {
    const h = runHarness((ids) => ids.map(() => OK));
    h.sender.enqueue({ records: [run(range(300)), single(300), run(range(100, 301))], bytes: 0 });
    await h.clock.advance(0);
    expect(h.sent).toEqual([range(401)]);
    expect(h.entriesPerRequest).toEqual([3]);
    expect(h.delivered).toEqual(range(401));
    expect(h.splits).toEqual([]);
    expect(h.stats.counters.recordsSent).toBe(401);
    expect(h.sender.pendingRecords).toBe(0);
  });

  it('counts a run as its records against maxRecords: a run that would overflow a request goes in the next', async () => {
    const h = runHarness((ids) => ids.map(() => OK), 500);
    h.sender.enqueue({ records: [run(range(300)), run(range(300, 300)), single(600)], bytes: 0 });
    await h.clock.advance(0);
    expect(h.sent.map((ids) => ids.length)).toEqual([300, 301]);
  });

  it('partial failure: the run is split, only its failed records are sent again, with their own keys, after a backoff', async () => {
    const h = runHarness((ids, call) => (call === 0 ? ids.map((id) => (id % 100 === 7 ? PTEE : OK)) : ids.map(() => OK)));
    h.sender.enqueue({ records: [run(range(500))], bytes: 0 });
    await h.clock.advance(0);
    expect(h.splits).toHaveLength(1);
    expect(sorted(h.delivered)).toEqual(range(500).filter((id) => id % 100 !== 7));
    await h.clock.advance(10_000);
    expect(h.sent[1]).toEqual([7, 107, 207, 307, 407]);
    expect(sorted(h.delivered)).toEqual(range(500));
    expect(h.stats.counters.recordsSent).toBe(500);
  });

  it('a whole-request failure (throttled, 5xx) retries the run whole; nothing is split', async () => {
    const h = runHarness((ids, call) => (call < 2 ? new SendFailure('ServiceUnavailable', 'down', 503) : ids.map(() => OK)));
    h.sender.enqueue({ records: [run(range(50))], bytes: 0 });
    await h.clock.advance(60_000);
    expect(h.sent).toEqual([range(50), range(50), range(50)]);
    expect(h.entriesPerRequest).toEqual([1, 1, 1]);
    expect(h.splits).toEqual([]);
    expect(h.delivered).toEqual(range(50));
  });

  it('a request refused as invalid is bisected record by record (its runs split): only the bad record is dead-lettered', async () => {
    const h = runHarness((ids) => (ids.includes(13) ? new SendFailure('ValidationException', 'bad', 400) : ids.map(() => OK)));
    h.sender.enqueue({ records: [run(range(40))], bytes: 0 });
    await h.clock.advance(60_000);
    expect(h.rejected).toEqual([13]);
    expect(sorted(h.delivered)).toEqual(range(40).filter((id) => id !== 13));
  });

  it('a record of a run refused per entry as invalid is dead-lettered alone', async () => {
    const h = runHarness((ids) => ids.map((id) => (id === 3 ? INVALID : OK)));
    h.sender.enqueue({ records: [run(range(10))], bytes: 0 });
    await h.clock.advance(0);
    expect(h.rejected).toEqual([3]);
    expect(sorted(h.delivered)).toEqual(range(10).filter((id) => id !== 3));
  });

  it('a short answer (fewer results than records) resends the records it has no result for', async () => {
    const h = runHarness((ids, call) => (call === 0 ? ids.slice(0, 6).map(() => OK) : ids.map(() => OK)));
    h.sender.enqueue({ records: [run(range(10))], bytes: 0 });
    await h.clock.advance(10_000);
    expect(h.sent[1]).toEqual([6, 7, 8, 9]);
    expect(sorted(h.delivered)).toEqual(range(10));
  });

  it('pendingRecords counts the records of queued runs', async () => {
    const h = runHarness(() => new SendFailure('ServiceUnavailable', 'down', 503));
    h.sender.enqueue({ records: [run(range(200)), run(range(200, 200)), single(999)], bytes: 0 });
    expect(h.sender.pendingRecords).toBe(401);
    await h.clock.advance(0);
    expect(h.sender.pendingRecords).toBe(401);
    h.sender.stop();
  });

  it('retries fill a request with the records of a new run that does not fit whole (full requests under throttling)', async () => {
    // One request at a time, 30% of each of the first 10 throttled; 4,000 records in runs of 500.
    const h = runHarness((ids, call) => ids.map((id) => ((id + call) % 10 < 3 && call < 10 ? PTEE : OK)), 500, 1);
    h.sender.enqueue({ records: range(8).map((i) => run(range(500, i * 500))), bytes: 0 });
    await h.clock.advance(120_000);
    expect(sorted(h.delivered)).toEqual(range(4000));
    // Retries are sent with new records in full requests: at most one request that is not full
    // (the last), not one of retries alone after each throttled request.
    expect(h.sent.slice(0, -1).every((ids) => ids.length === 500)).toBe(true);
  });

  it('a degraded destination is probed with one record, not a whole run', async () => {
    let down = true;
    const h = runHarness((ids) => (down ? new SendFailure('ResourceNotFoundException', 'no stream', 400) : ids.map(() => OK)));
    h.sender.enqueue({ records: [run(range(300))], bytes: 0 });
    await h.clock.advance(0);
    await h.clock.advance(5_000);
    await h.clock.advance(5_000);
    expect(h.sent.length).toBeGreaterThan(1);
    expect(h.sent.slice(1).every((ids) => ids.length === 1)).toBe(true);
    down = false;
    await h.clock.advance(60_000);
    expect(sorted(h.delivered)).toEqual(range(300));
  });
});
