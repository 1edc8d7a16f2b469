import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { recordCount } from '../../core/send/RecordRun.js';
import type { PutEntry, PutOutcome, RecordsTransport } from '../../core/send/RecordsTransport.js';
import { encodePutRecordsBody } from './encodePutRecordsBody.js';
import { rebuildsClient } from './rebuildsClient.js';
import { toFailure } from './toFailure.js';

export type DestinationClient = { kind: 'kinesis'; client: KinesisClient } | { kind: 'firehose'; client: FirehoseClient };

/** A replaced client is destroyed this long after (longer than any request it may still carry). */
const RETIRE_AFTER_MILLIS = 120_000;

/**
 * PutRecords / PutRecordBatch through the AWS SDK (endpoint, region, credentials, SigV4 signing,
 * response parsing), with the body encoded by Shardline straight from the record bytes: a
 * build-step middleware puts it in place of the SDK's serialization of an empty record list, before
 * the request is signed. The client is created at the first request (a missing region is a clear
 * error then, not a crash at start-up) and again after a credentials error. LeanRecordsTransport is
 * the default; this one is the reference its tests compare with, and what an agent started with
 * SHARDLINE_SDK_TRANSPORT=1 uses.
 */
export class SdkRecordsTransport implements RecordsTransport {
  private current: Promise<DestinationClient> | undefined;

  constructor(
    private readonly createClient: () => Promise<DestinationClient>,
    private readonly streamName: string,
  ) {}

  async put(entries: readonly PutEntry[], signal?: AbortSignal): Promise<PutOutcome[]> {
    this.current ??= this.createClient();
    const used = this.current;
    try {
      return await this.send(await used, entries, signal);
    } catch (error) {
      const failure = toFailure(error);
      if (rebuildsClient(failure.code)) this.reset(used);
      throw failure;
    }
  }

  /**
   * Drops the client a failed request used (and its credential cache), unless a newer one already
   * replaced it; the next request builds a new one. The old client is destroyed only after its
   * other requests had time to finish: killing them would make their outcome unknown.
   */
  private reset(used: Promise<DestinationClient>): void {
    if (this.current !== used) return;
    this.current = undefined;
    void used.then((destination) => {
      setTimeout(() => destination.client.destroy(), RETIRE_AFTER_MILLIS).unref();
    }, () => undefined);
  }

  private async send(destination: DestinationClient, entries: readonly PutEntry[], signal: AbortSignal | undefined): Promise<PutOutcome[]> {
    const options = signal === undefined ? {} : { abortSignal: signal };
    if (destination.kind === 'kinesis') {
      const command = new PutRecordsCommand({ StreamName: this.streamName, Records: [] });
      withBody(command.middlewareStack, encodePutRecordsBody(this.streamName, entries));
      const response = await destination.client.send(command, options);
      return outcomes(response.Records, recordCount(entries));
    }
    const command = new PutRecordBatchCommand({ DeliveryStreamName: this.streamName, Records: [] });
    withBody(command.middlewareStack, encodePutRecordsBody(this.streamName, entries, true));
    const response = await destination.client.send(command, options);
    return outcomes(response.RequestResponses, recordCount(entries));
  }
}

interface MiddlewareStack {
  add(middleware: (next: (args: { request: unknown }) => Promise<unknown>) => (args: { request: unknown }) => Promise<unknown>, options: { step: 'build'; priority: 'high'; name: string }): void;
}

/** Replaces the serialized body with ours (the Content-Length is computed again from it). */
function withBody(stack: unknown, body: Buffer): void {
  (stack as MiddlewareStack).add(
    (next) => async (args) => {
      const request = args.request as { body?: unknown; headers?: Record<string, string> };
      request.body = body;
      for (const name of Object.keys(request.headers ?? {})) if (name.toLowerCase() === 'content-length') delete request.headers?.[name];
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'shardlineEncodedBody' },
  );
}

/** Per-entry outcomes in request order; a short answer leaves the missing entries failed (they are resent). */
function outcomes(results: readonly { ErrorCode?: string | undefined; ErrorMessage?: string | undefined }[] | undefined, count: number): PutOutcome[] {
  const list = results ?? [];
  return Array.from({ length: count }, (_, i) => {
    const result = list[i];
    if (result === undefined) return { ok: false, code: 'MissingResult', message: 'the answer has no result for this record' };
    return result.ErrorCode === undefined || result.ErrorCode === null ? { ok: true } : { ok: false, code: result.ErrorCode, message: result.ErrorMessage ?? '' };
  });
}
