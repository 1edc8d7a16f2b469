import type { Batch } from '../batch/RecordBatcher.js';
import { classifyError, type ErrorClass } from '../retry/classifyError.js';
import { fullJitterBackoff } from '../retry/fullJitterBackoff.js';
import type { SendMetrics } from '../metrics/MetricAccumulator.js';
import type { FlowStats } from '../stats/FlowStats.js';
import type { AimdLimiter } from './AimdLimiter.js';
import { runDataBytes, runRecordStart } from './RecordRun.js';
import type { PutEntry, PutOutcome } from './RecordsTransport.js';
import { SendFailure, toSendFailure } from './SendFailure.js';
import type { SendSlots } from './SendSlots.js';

/**
 * The sender's bookkeeping of a record, kept on the record itself: a separate object per record
 * lived as long as the record and was most of what the young generation promoted (issue 8's
 * profile). Records start with `newSendState()`; only the sender writes these fields.
 */
export interface SendState {
  /** Order in which the record reached the sender (preserveOrder keeps retries in this order). */
  sendSeq: number;
  /** Sends so far that failed. */
  attempt: number;
  /** Not sent again before this time (its backoff). */
  notBefore: number;
  /** The answer count when the service first refused this record as invalid (a client error), or -1. */
  rejectedSince: number;
}

export interface SendRecord extends PutEntry, SendState {
  /** Bytes this record counts against the request limit (data plus partition key). */
  readonly size: number;
}

/** The initial send state of a record (spread into it when it is created, so its shape never changes). */
export function newSendState(): SendState {
  return { sendSeq: 0, attempt: 0, notBefore: 0, rejectedSince: -1 };
}

export interface SenderOptions<R> {
  /** A RecordsTransport, or anything that sends this sender's own records. */
  transport: { put(entries: readonly R[], signal?: AbortSignal): Promise<PutOutcome[]> };
  /** Request limits: PutRecords 500 records / 5 MiB, PutRecordBatch 500 / 4 MiB (or the flow's lower buffer limits). */
  maxRecords: number;
  maxBytes: number;
  /** Per-destination adaptive concurrency (shared by the flows that send to one stream). */
  limiter: AimdLimiter;
  /** Agent-wide request slots (maxSendingThreads). */
  slots: SendSlots;
  /** One request in flight, and failed records go out again before any newer one. */
  preserveOrder: boolean;
  backoffBaseMillis: number;
  backoffCapMillis: number;
  /** A destination in error is probed at least this often (the probe interval grows to this cap). */
  fatalRetryMaxMillis: number;
  stats: FlowStats;
  random: () => number;
  now: () => number;
  /** Runs `callback` after `millis`; returns a cancel function. */
  schedule: (millis: number, callback: () => void) => () => void;
  /** Records the destination accepted, in no particular order. */
  onDelivered: (records: R[]) => void;
  /** A record the destination rejects permanently (it goes to the dead-letter file and is acknowledged). */
  onRejected: (record: R, failure: SendFailure) => void;
  /** A request failed as a whole; its records are sent again after `retryInMillis`. */
  onRequestError: (failure: SendFailure, kind: ErrorClass, retryInMillis: number) => void;
  /** The destination cannot take records until something is fixed (or has failed several times in a row). */
  onDegraded: (failure: SendFailure, kind: ErrorClass) => void;
  /** A request succeeded after the sender was degraded. */
  onRecovered: () => void;
  /** Every call's outcome, for CloudWatch's per-send metrics. */
  onSend?: (metrics: SendMetrics) => void;
  /**
   * A run (a record with `run`, standing for run.count records) as its single records, in order,
   * each with the run's send state: called when some of its records failed, or its request was
   * refused as invalid, so that each is retried, bisected or rejected on its own. Required when
   * runs are enqueued.
   */
  split?: (run: R) => R[];
}

/** What the sender knew when it sent a request, to judge its answer. */
interface Sent {
  /** AIMD epoch (stale throttling does not halve twice). */
  epoch: number;
  /** Degraded generation at the time. */
  generation: number;
  /** Sent as a probe of a degraded destination. */
  probe: boolean;
}

const MISSING: PutOutcome = Object.freeze({ ok: false, code: 'MissingResult', message: 'the answer has no result for this record' });

/** Records a request entry stands for: a run's count, else 1. */
function countOf(record: PutEntry): number {
  return record.run?.count ?? 1;
}

function countAll(records: readonly PutEntry[]): number {
  let count = 0;
  for (const record of records) count += countOf(record);
  return count;
}

function allOk(outcomes: readonly PutOutcome[], from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) if (outcomes[i]?.ok !== true) return false;
  return true;
}

/** Consecutive whole-request failures after which a flow shows state `error` while it keeps retrying. */
const DEGRADED_AFTER_FAILURES = 3;

/**
 * Client errors (a whole request refused as invalid) in a row, without any success, after which the
 * cause is taken to be the configuration rather than a record: bisection stops and the flow goes to
 * state `error`. 2·log2(500) + 2 covers finding one bad record among 500 while good halves succeed.
 */
const MAX_BISECTIONS_WITHOUT_SUCCESS = 20;

/**
 * Sends records from sealed batches to one destination (DESIGN §3):
 * - each request takes the records whose backoff has passed (retries first), then new records,
 *   up to the request limits: under throttling, retries join new records in full requests instead
 *   of going out alone;
 * - only failed entries are sent again, with their original partition keys, after a full-jitter
 *   backoff; whole-request failures hold the destination back for a backoff; nothing is dropped:
 *   the budget delays, it never gives up;
 * - throttling halves the concurrency (AIMD, shared per destination), clean answers raise it;
 * - fatal errors (stream missing, access denied, bad credentials, KMS) degrade the flow: one probe
 *   of a single record at a time, at most `fatalRetryMaxMillis` apart, until the cause is fixed;
 * - a request the service refuses as invalid is split in halves until the record at fault is
 *   found; that record alone goes to the dead-letter file, once the destination has shown it
 *   accepts other records (otherwise the configuration is at fault and the flow is degraded).
 * `stop()` abandons what was not sent; it is read from the file again after a restart.
 */
export class BatchSender<R extends SendRecord> {
  private fresh: R[] = [];
  private freshHead = 0;
  /** Records in fresh[freshHead…] (a run counts its records). */
  private freshRecords = 0;
  private retries: R[] = [];
  /** Halves of a request refused as invalid: sent as they are, before anything else. */
  private readonly pinned: R[][] = [];
  private active = 0;
  private activeRecords = 0;
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private cancelTimer: (() => void) | undefined;
  private timerAt = Infinity;
  /** No request starts before this time (backoff after whole-request failures, probe interval). */
  private gateUntil = 0;
  private consecutiveFailures = 0;
  private throttleStreak = 0;
  /** Answers received so far (a clock that cannot tie, unlike milliseconds). */
  private answers = 0;
  private bisectionsWithoutSuccess = 0;
  private degraded: { failure: SendFailure; kind: ErrorClass; probes: number } | undefined;
  /** onDegraded was called and onRecovered not yet. */
  private reported = false;
  private readonly wake = (): void => this.pump();
  private nextSeq = 0;
  /** Incremented each time the sender becomes degraded: answers to older requests are stale. */
  private degradedGeneration = 0;

  constructor(private readonly options: SenderOptions<R>) {}

  /** Records queued, in flight or waiting for a retry. */
  get pendingRecords(): number {
    let retrying = 0;
    for (const record of this.retries) retrying += countOf(record);
    return this.freshRecords + retrying + this.pinned.reduce((n, job) => n + job.length, 0) + this.activeRecords;
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** The failure the destination is degraded by, if it is. */
  get degradedBy(): SendFailure | undefined {
    return this.degraded?.failure;
  }

  enqueue(batch: Batch<R>): void {
    if (this.stopped) return;
    for (const record of batch.records) {
      this.fresh.push(record);
      this.freshRecords += countOf(record);
    }
    this.pump();
  }

  /** Resolves when nothing is queued, in flight or retrying. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops sending: pending retries are abandoned (their records stay unacknowledged). */
  stop(): void {
    this.abort.abort();
    this.cancelTimer?.();
    this.options.slots.cancel(this.wake);
    this.fresh = [];
    this.freshHead = 0;
    this.freshRecords = 0;
    this.retries = [];
    this.pinned.length = 0;
    this.notifyIfIdle();
  }

  private isIdle(): boolean {
    return this.active === 0 && (this.stopped || this.pendingRecords === 0);
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private concurrency(): number {
    if (this.degraded !== undefined || this.options.preserveOrder) return 1;
    return this.options.limiter.limit;
  }

  private pump(): void {
    const { slots, now } = this.options;
    while (!this.stopped && this.active < this.concurrency()) {
      const at = now();
      if (this.gateUntil > at) {
        this.wakeAt(this.gateUntil);
        return;
      }
      if (!slots.tryAcquire()) {
        slots.whenFree(this.wake);
        return;
      }
      const job = this.compose(at);
      if (job === undefined) {
        slots.release();
        return;
      }
      this.active += 1;
      const records = countAll(job);
      this.activeRecords += records;
      void this.send(job, records).finally(() => {
        this.active -= 1;
        this.activeRecords -= records;
        slots.release();
        this.pump();
        this.notifyIfIdle();
      });
    }
  }

  private wakeAt(time: number): void {
    if (time >= this.timerAt) return;
    this.cancelTimer?.();
    this.timerAt = time;
    this.cancelTimer = this.options.schedule(Math.max(0, time - this.options.now()), () => {
      this.timerAt = Infinity;
      this.cancelTimer = undefined;
      this.pump();
    });
  }

  /** The next request's records, or undefined when nothing may be sent now. */
  private compose(at: number): R[] | undefined {
    if (this.degraded !== undefined) return this.probe();
    const { maxRecords, maxBytes, preserveOrder } = this.options;
    // preserveOrder: a half waits while an older record (failed in the other half) waits for its retry.
    const pinnedFrom = this.pinned[0]?.[0]?.sendSeq;
    const olderWaiting = preserveOrder && pinnedFrom !== undefined && (this.retries[0]?.sendSeq ?? Infinity) < pinnedFrom;
    if (pinnedFrom !== undefined && !olderWaiting) return this.pinned.shift();
    const job: R[] = [];
    let bytes = 0;
    let records = 0;
    let retried = 0;
    const fits = (record: R) => job.length === 0 || (records + countOf(record) <= maxRecords && bytes + record.size <= maxBytes);
    const waiting: R[] = [];
    let earliest = Infinity;
    let blocked = false;
    for (const pending of this.retries) {
      // preserveOrder: only a prefix (in arrival order) of records whose backoff has passed.
      if (olderWaiting && pending.sendSeq >= (pinnedFrom ?? Infinity)) blocked = true;
      if (!blocked && pending.notBefore <= at && fits(pending)) {
        retried += 1;
        job.push(pending);
        bytes += pending.size;
        records += countOf(pending);
      } else {
        waiting.push(pending);
        if (preserveOrder) blocked = true;
        if (pending.notBefore > at) earliest = Math.min(earliest, pending.notBefore);
      }
    }
    this.retries = waiting;
    if (earliest !== Infinity) this.wakeAt(earliest);
    // preserveOrder: nothing newer overtakes a record waiting for its retry, so a request is always
    // a run of consecutive records and whatever still waits is newer than it.
    if (!(preserveOrder && (waiting.length > 0 || this.pinned.length > 0))) {
      while (this.freshHead < this.fresh.length) {
        const record = this.fresh[this.freshHead] as R;
        if (!fits(record)) {
          // A run does not fit whole beside retries: it is split, so the request is filled with as
          // many of its records as fit (under throttling, retries join new records in full requests).
          // (Only beside retries: runs sealed short, by age or by a switch between files, would
          // otherwise be split one after the other, each record an object again.)
          if (record.run === undefined || retried === 0 || records >= maxRecords || bytes >= maxBytes) break;
          this.fresh.splice(this.freshHead, 1, ...this.splitRun(record));
          continue;
        }
        job.push(this.pendingOf(record));
        bytes += record.size;
        records += countOf(record);
        this.freshRecords -= countOf(record);
        this.freshHead += 1;
      }
      this.compactFresh();
    }
    return job.length === 0 ? undefined : job;
  }

  /**
   * A degraded destination gets one record at a time. When invalid records degraded it, the probe
   * is a random waiting record, so one bad record cannot hide that the others are accepted.
   */
  private probe(): R[] | undefined {
    if (this.retries.length === 0 && this.freshHead < this.fresh.length) {
      const record = this.fresh[this.freshHead] as R;
      this.retries.push(this.pendingOf(record));
      this.freshRecords -= countOf(record);
      this.freshHead += 1;
      this.compactFresh();
    }
    if (this.retries.length === 0) return undefined;
    // A probe is one record: waiting runs become single records (in their places).
    if (this.retries.some((record) => record.run !== undefined)) this.retries = this.singles(this.retries);
    const random = this.degraded?.kind === 'client' && !this.options.preserveOrder;
    const index = random ? Math.floor(this.options.random() * this.retries.length) : 0;
    const [probe] = this.retries.splice(index, 1);
    return probe === undefined ? undefined : [probe];
  }

  private pendingOf(record: R): R {
    record.sendSeq = this.nextSeq++;
    record.attempt = 0;
    record.notBefore = 0;
    record.rejectedSince = -1;
    return record;
  }

  private compactFresh(): void {
    if (this.freshHead === this.fresh.length) {
      this.fresh = [];
      this.freshHead = 0;
    } else if (this.freshHead > 4096 && this.freshHead * 2 > this.fresh.length) {
      this.fresh = this.fresh.slice(this.freshHead);
      this.freshHead = 0;
    }
  }

  private async send(job: R[], records: number): Promise<void> {
    const { stats, transport, now, limiter } = this.options;
    const epoch = limiter.epoch;
    const sent: Sent = { epoch, generation: this.degradedGeneration, probe: this.degraded !== undefined };
    const started = now();
    stats.counters.requests += 1;
    if (job.some((pending) => pending.attempt > 0)) stats.counters.retries += 1;
    let outcomes: PutOutcome[];
    try {
      outcomes = await transport.put(job, this.abort.signal);
    } catch (error) {
      this.options.onSend?.({ attempted: records, sent: 0, failed: 0, bytesSent: 0, serviceError: true });
      if (!this.stopped) this.requestFailed(job, toSendFailure(error), sent);
      return;
    }
    stats.observeLatency(now() - started);
    if (this.options.onSend !== undefined) {
      let sent = 0;
      let bytesSent = 0;
      let at = 0;
      for (const pending of job) {
        const run = pending.run;
        const count = run?.count ?? 1;
        for (let i = 0; i < count; i++) {
          if (outcomes[at + i]?.ok !== true) continue;
          sent += 1;
          bytesSent += run === undefined ? pending.data.length : run.ends[i]! - runRecordStart(run, i);
        }
        at += count;
      }
      this.options.onSend({ attempted: records, sent, failed: records - sent, bytesSent, serviceError: false });
    }
    // After stop() an answer that still arrives is used: what it accepted is acknowledged.
    this.answered(job, outcomes, sent);
  }

  /** An answer with one outcome per entry (HTTP 200; some entries may have failed). */
  private answered(job: R[], outcomes: PutOutcome[], sent: Sent): void {
    const { stats, limiter, now } = this.options;
    const at = now();
    this.answers += 1;
    this.consecutiveFailures = 0;
    this.bisectionsWithoutSuccess = 0;
    const delivered: R[] = [];
    let throttled = false;
    let fatal: SendFailure | undefined;
    let index = 0;
    const single = (pending: R): void => {
      const outcome = outcomes[index++] ?? MISSING;
      if (outcome.ok) {
        delivered.push(pending);
        return;
      }
      stats.fail(outcome.code);
      const failure = new SendFailure(outcome.code, outcome.message);
      const kind = classifyError(outcome.code);
      if (kind === 'client') {
        this.reject(pending, failure);
        return;
      }
      if (kind === 'throttling') {
        throttled = true;
        stats.counters.throttled += 1;
      }
      if (kind === 'fatal') fatal = failure;
      this.retry(pending, at);
    };
    for (const pending of job) {
      const count = countOf(pending);
      if (count === 1 && pending.run === undefined) single(pending);
      else if (allOk(outcomes, index, count)) {
        delivered.push(pending);
        index += count;
      } else for (const record of this.splitRun(pending)) single(record);
    }
    let sentRecords = 0;
    for (const record of delivered) {
      stats.counters.bytesSent += record.run === undefined ? record.data.length : runDataBytes(record.run);
      sentRecords += countOf(record);
    }
    stats.counters.recordsSent += sentRecords;
    if (delivered.length > 0) this.options.onDelivered(delivered);
    if (this.stopped) return;
    if (throttled) {
      limiter.throttled(sent.epoch);
      // At one request in flight, throttling can only be answered by waiting.
      this.throttleStreak += 1;
      if (this.concurrency() === 1) this.holdFor(this.backoff(this.throttleStreak - 1));
    } else {
      limiter.clean(sent.epoch);
      this.throttleStreak = 0;
    }
    if (fatal !== undefined) this.holdFor(this.degrade(fatal, 'fatal', sent));
    else if (delivered.length > 0 && this.current(sent)) this.recover();
  }

  /** Whether an answer speaks of the destination as it is now (not a request sent before it degraded). */
  private current(sent: Sent): boolean {
    return this.degraded === undefined || (sent.probe && sent.generation === this.degradedGeneration);
  }

  private requestFailed(request: R[], failure: SendFailure, sent: Sent): void {
    const { stats, limiter, now } = this.options;
    const at = now();
    const kind = classifyError(failure.code, failure.httpStatus);
    stats.counters.requestErrors += 1;
    stats.fail(failure.code, countAll(request));
    // A refused request is bisected to find the record at fault: its runs become single records.
    // (Other failures retry the request as it was: its runs stay whole.)
    const job = kind === 'client' ? this.singles(request) : request;
    if (kind === 'client' && this.bisect(job, failure)) return;
    if (kind === 'throttling') {
      stats.counters.throttled += 1;
      limiter.throttled(sent.epoch);
    }
    this.consecutiveFailures += 1;
    // One backoff for the whole request (the gate below): its records keep their order.
    for (const pending of job) this.retry(pending, at, 0);
    const delay = kind === 'fatal' || kind === 'client' ? this.degrade(failure, kind, sent) : this.backoff(this.consecutiveFailures - 1);
    this.holdFor(delay);
    this.options.onRequestError(failure, kind, delay);
    if (this.consecutiveFailures >= DEGRADED_AFTER_FAILURES) this.report(failure, kind);
  }

  private report(failure: SendFailure, kind: ErrorClass): void {
    if (this.reported) return;
    this.reported = true;
    this.options.onDegraded(failure, kind);
  }

  /**
   * A request refused as invalid: split it to find the record at fault. Returns false when the
   * refusal looks like the configuration's fault (a single record refused while nothing has been
   * accepted since, or too many refusals in a row), which degrades the flow instead.
   */
  private bisect(job: R[], failure: SendFailure): boolean {
    for (const pending of job) if (pending.rejectedSince < 0) pending.rejectedSince = this.answers;
    if (job.length === 1) {
      const [only] = job;
      if (only === undefined || only.rejectedSince < 0 || this.answers <= only.rejectedSince) return false;
      this.reject(only, failure);
      return true;
    }
    if (this.degraded !== undefined || ++this.bisectionsWithoutSuccess > MAX_BISECTIONS_WITHOUT_SUCCESS) return false;
    // The halves go out before anything else: they are older than every record still waiting
    // (with preserveOrder a request is a run of consecutive records, see compose()).
    const half = Math.ceil(job.length / 2);
    this.pinned.unshift(job.slice(0, half), job.slice(half));
    return true;
  }

  /** `records` with each run replaced by its single records, in order. */
  private singles(records: R[]): R[] {
    return records.flatMap((record) => (record.run === undefined ? [record] : this.splitRun(record)));
  }

  private splitRun(run: R): R[] {
    const split = this.options.split;
    if (split === undefined) throw new Error('BatchSender: a run was enqueued without a split function');
    return split(run);
  }

  private reject(record: R, failure: SendFailure): void {
    this.options.stats.counters.deadLettered += 1;
    this.options.onRejected(record, failure);
  }

  /**
   * Puts a failed record back to be sent after its backoff (or `delay`). With preserveOrder the
   * retries stay in arrival order, so the oldest record always goes first.
   */
  private retry(pending: R, at: number, delay?: number): void {
    if (this.stopped) return;
    pending.attempt += 1;
    pending.notBefore = at + (delay ?? this.backoff(pending.attempt - 1));
    if (!this.options.preserveOrder) {
      this.retries.push(pending);
      return;
    }
    let index = this.retries.length;
    while (index > 0 && (this.retries[index - 1] as R).sendSeq > pending.sendSeq) index -= 1;
    this.retries.splice(index, 0, pending);
  }

  /** Enters (or stays in) the degraded state; returns the delay before the next probe. */
  private degrade(failure: SendFailure, kind: ErrorClass, sent: Sent): number {
    const entering = this.degraded === undefined;
    if (entering) {
      this.degradedGeneration += 1;
      // Halves of a bisected request wait with the rest: a degraded destination gets single records.
      for (const job of this.pinned.splice(0)) for (const pending of job) this.retry(pending, this.options.now(), 0);
    }
    // Only real probes lengthen the probe interval (not answers to requests sent before).
    const probes = (this.degraded?.probes ?? 0) + (entering || (sent.probe && sent.generation === this.degradedGeneration) ? 1 : 0);
    this.degraded = { failure, kind, probes };
    this.report(failure, kind);
    // Equal jitter: the probe interval grows from the retry base to fatalRetryMaxMillis, never 0.
    const ceiling = Math.min(this.options.fatalRetryMaxMillis, this.options.backoffBaseMillis * 2 ** Math.min(probes, 30));
    return Math.floor(ceiling / 2 + (this.options.random() * ceiling) / 2);
  }

  private recover(): void {
    this.degraded = undefined;
    if (!this.reported) return;
    this.reported = false;
    this.options.onRecovered();
  }

  private holdFor(millis: number): void {
    this.gateUntil = Math.max(this.gateUntil, this.options.now() + millis);
  }

  private backoff(attempt: number): number {
    return fullJitterBackoff(attempt, this.options.backoffBaseMillis, this.options.backoffCapMillis, this.options.random);
  }
}
