import type { Batch } from '../batch/RecordBatcher.js';
import { fullJitterBackoff } from '../retry/fullJitterBackoff.js';
import { isThrottling } from '../retry/isThrottling.js';
import type { FlowStats } from '../stats/FlowStats.js';
import type { PutEntry, PutOutcome, RecordsTransport } from './RecordsTransport.js';

export interface SenderOptions<R> {
  transport: RecordsTransport;
  /** Requests in flight at most (1 keeps order: preserveOrder). */
  maxConcurrency: number;
  backoffBaseMillis: number;
  backoffCapMillis: number;
  stats: FlowStats;
  random: () => number;
  now: () => number;
  /** Resolves after `ms`, or early (rejecting) when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Records the destination accepted, in no particular order. */
  onDelivered: (records: R[]) => void;
  /** A request failed as a whole and will be retried after `delayMillis`. */
  onRequestError: (error: unknown, attempt: number, delayMillis: number) => void;
  /** A request succeeded (after errors, the flow can leave its error state). */
  onRequestOk: () => void;
}

interface Job<R> {
  records: R[];
  attempt: number;
}

/**
 * Sends sealed batches with at most `maxConcurrency` requests in flight. A partial failure resends
 * only the failed entries, with their original partition keys, after a full-jitter backoff; a whole
 * request that fails is retried the same way. Nothing is ever dropped: the budget delays, it does
 * not give up (DESIGN §3). `stop()` abandons retries; what was not acknowledged is re-read from the
 * file after a restart.
 */
export class BatchSender<R extends PutEntry> {
  private readonly queue: Job<R>[] = [];
  private active = 0;
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private recordsInFlight = 0;

  constructor(private readonly options: SenderOptions<R>) {}

  /** Records queued, in flight or waiting for a retry. */
  get pendingRecords(): number {
    return this.recordsInFlight;
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  enqueue(batch: Batch<R>): void {
    if (this.stopped) return;
    this.recordsInFlight += batch.records.length;
    this.queue.push({ records: batch.records, attempt: 0 });
    this.pump();
  }

  /** Resolves when nothing is queued, in flight or retrying. */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops sending: pending retries are abandoned (their records stay unacknowledged). */
  stop(): void {
    this.abort.abort();
    this.queue.length = 0;
    this.notifyIfIdle();
  }

  private pump(): void {
    while (this.active < this.options.maxConcurrency && this.queue.length > 0 && !this.stopped) {
      const job = this.queue.shift();
      if (job === undefined) break;
      this.active += 1;
      void this.run(job).finally(() => {
        this.active -= 1;
        this.pump();
        this.notifyIfIdle();
      });
    }
  }

  private notifyIfIdle(): void {
    if (this.active > 0 || (this.queue.length > 0 && !this.stopped)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Sends a job until every record is accepted or the sender stops. */
  private async run(job: Job<R>): Promise<void> {
    const { stats } = this.options;
    while (job.records.length > 0 && !this.stopped) {
      if (job.attempt > 0) stats.counters.retries += 1;
      const outcomes = await this.attempt(job);
      if (outcomes === undefined) continue;
      job.records = this.settle(job.records, outcomes);
      if (job.records.length > 0) await this.backoff(job);
    }
  }

  /** One request; undefined when it failed as a whole (after its backoff). */
  private async attempt(job: Job<R>): Promise<PutOutcome[] | undefined> {
    const { stats, transport, now } = this.options;
    const started = now();
    stats.counters.requests += 1;
    try {
      const outcomes = await transport.put(job.records, this.abort.signal);
      stats.observeLatency(now() - started);
      this.options.onRequestOk();
      return outcomes;
    } catch (error) {
      stats.counters.requestErrors += 1;
      const code = errorCode(error);
      stats.fail(code, job.records.length);
      if (isThrottling(code)) stats.counters.throttled += 1;
      const delay = this.delayFor(job.attempt);
      this.options.onRequestError(error, job.attempt, delay);
      await this.sleep(delay);
      job.attempt += 1;
      return undefined;
    }
  }

  /** Acknowledges accepted records; returns the failed ones, in order, to resend. */
  private settle(records: R[], outcomes: PutOutcome[]): R[] {
    const { stats } = this.options;
    const delivered: R[] = [];
    const failed: R[] = [];
    records.forEach((record, i) => {
      const outcome = outcomes[i] ?? { ok: false, code: 'MissingResult', message: 'no result for this record' };
      if (outcome.ok) {
        delivered.push(record);
        return;
      }
      failed.push(record);
      stats.fail(outcome.code);
      if (isThrottling(outcome.code)) stats.counters.throttled += 1;
    });
    for (const record of delivered) stats.counters.bytesSent += record.data.length;
    stats.counters.recordsSent += delivered.length;
    this.recordsInFlight -= delivered.length;
    if (delivered.length > 0) this.options.onDelivered(delivered);
    return failed;
  }

  private async backoff(job: Job<R>): Promise<void> {
    await this.sleep(this.delayFor(job.attempt));
    job.attempt += 1;
  }

  private delayFor(attempt: number): number {
    return fullJitterBackoff(attempt, this.options.backoffBaseMillis, this.options.backoffCapMillis, this.options.random);
  }

  private async sleep(ms: number): Promise<void> {
    try {
      await this.options.sleep(ms, this.abort.signal);
    } catch {
      // Aborted by stop(): the loop ends and the records stay unacknowledged.
    }
  }
}

/** The AWS error code of a whole-request failure (`name` on SDK v3 service exceptions), else a Node code. */
export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { name, code } = error as { name?: unknown; code?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (typeof name === 'string' && name !== '' && name !== 'Error') return name;
  }
  return 'UnknownError';
}
