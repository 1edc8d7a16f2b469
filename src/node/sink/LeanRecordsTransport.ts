import { randomUUID } from 'node:crypto';
import { recordCount } from '../../core/send/RecordRun.js';
import type { PutEntry, PutOutcome, RecordsTransport } from '../../core/send/RecordsTransport.js';
import type { LeanDestination } from './createLeanDestination.js';
import { BodyPool } from './BodyPool.js';
import { encodePutRecordsBody } from './encodePutRecordsBody.js';
import { parsePutRecordsResponse, type HttpAnswer } from './parsePutRecordsResponse.js';
import { rebuildsClient } from './rebuildsClient.js';
import { sendHttpRequest } from './sendHttpRequest.js';
import { signRequest } from './signRequest.js';
import { toFailure } from './toFailure.js';

export interface LeanTransportOptions {
  /** The clock the signing date comes from (Date.now). */
  now?: () => number;
  /** The amz-sdk-invocation-id of each request (a random UUID, as the SDK's). */
  invocationId?: () => string;
}

/** A replaced destination's connections are closed this long after (longer than any request it may still carry). */
const RETIRE_AFTER_MILLIS = 120_000;

/** The SDK ignores a Date header from an answer that took longer than this (getUpdatedSystemClockOffset). */
const MAX_SAMPLE_MILLIS = 900_000;

/**
 * PutRecords / PutRecordBatch without the SDK's per-request pipeline (issue 8: its middleware and
 * the schema-driven reading of a 500-entry answer cost more CPU than the records): the body
 * written by encodePutRecordsBody in one Buffer, signed with the SDK's own SigV4 signer and
 * credential provider, posted with node:http(s) over keep-alive connections, and only the fields
 * the sender needs read from the answer. Region, endpoint and credentials come from the SDK client
 * the SDK path would use (createLeanDestination), built at the first request and again after a
 * credentials or region error, as SdkRecordsTransport rebuilds its client; failures carry the same
 * codes as on the SDK path.
 */
export class LeanRecordsTransport implements RecordsTransport {
  private current: Promise<LeanDestination> | undefined;
  /** Server time minus local time, from the last answer's Date header (the SDK's systemClockOffset). */
  private clockOffset = 0;
  private readonly now: () => number;
  private readonly invocationId: () => string;
  private readonly bodies = new BodyPool();

  constructor(
    private readonly createDestination: () => Promise<LeanDestination>,
    private readonly streamName: string,
    options: LeanTransportOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.invocationId = options.invocationId ?? randomUUID;
  }

  async put(entries: readonly PutEntry[], signal?: AbortSignal): Promise<PutOutcome[]> {
    this.current ??= this.createDestination();
    const used = this.current;
    try {
      const destination = await used;
      let pooled: Buffer | undefined;
      const body = encodePutRecordsBody(this.streamName, entries, destination.kind === 'firehose', (size) => (pooled = this.bodies.acquire(size)));
      const request = await signRequest(destination, body, new Date(this.now() + this.clockOffset), this.invocationId());
      const sentAt = this.now();
      // The body's buffer is reused only if the request was written out whole and answered.
      let written = false;
      const answer = await sendHttpRequest({
        ...request,
        onBodyWritten: () => { written = true; },
        protocol: destination.protocol,
        hostname: destination.hostname,
        port: destination.port,
        agent: destination.agent,
        connectionTimeoutMillis: destination.connectionTimeoutMillis,
        socketTimeoutMillis: destination.socketTimeoutMillis,
        signal,
      });
      if (written && pooled !== undefined) this.bodies.release(pooled);
      this.sampleClock(answer, sentAt);
      return parsePutRecordsResponse(answer, destination.kind, recordCount(entries));
    } catch (error) {
      const failure = toFailure(error);
      if (rebuildsClient(failure.code)) this.reset(used);
      throw failure;
    }
  }

  /**
   * As the SDK (AwsSdkSigV4Signer), every answer's Date header sets the clock offset the next
   * signatures use, so a skewed host clock heals after one RequestTimeTooSkewed / signature-expired
   * answer; not when a cache answered (an Age header) or the answer took too long to be a measure.
   */
  private sampleClock(answer: HttpAnswer, sentAt: number): void {
    const date = answer.headers.date;
    if (date === undefined || answer.headers.age !== undefined) return;
    const serverTime = Date.parse(date);
    const received = this.now();
    if (Number.isNaN(serverTime) || received - sentAt > MAX_SAMPLE_MILLIS) return;
    this.clockOffset = serverTime - received;
  }

  /**
   * Drops the destination a failed request used (and with it the credential cache), unless a newer
   * one already replaced it; the next request builds a new one. The old connections are closed
   * only after its other requests had time to finish: killing them would make their outcome unknown.
   */
  private reset(used: Promise<LeanDestination>): void {
    if (this.current !== used) return;
    this.current = undefined;
    void used.then((destination) => {
      setTimeout(() => destination.destroy(), RETIRE_AFTER_MILLIS).unref();
    }, () => undefined);
  }
}
